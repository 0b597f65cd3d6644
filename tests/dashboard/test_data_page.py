"""The data view (upload, werkgebieden, exports), in-process with AppTest."""

from tests.dashboard.test_page import run_app


def test_data_view_offers_upload_mapping_and_every_export():
    app = run_app(modus="gegevens")
    assert not app.exception
    headers = [s.value for s in app.subheader]
    assert headers[:4] == [
        "Aanbod inlezen",
        "Werkgebieden van de sociale wijkteams",
        "Inwoners per 100 meter",
        "Exporteren",
    ]
    assert any("Nu: geen. De dekking telt naar oppervlakte." in c.value for c in app.caption)
    labels = {button.label for button in app.get("download_button")}
    assert labels >= {
        "CSV",
        "GeoJSON",
        "GeoPackage",
        "Open Referral (HSDS)",
        "Per buurt (CSV)",
        "Locaties (CSV)",
    }
    assert any("indicatief" in c.value for c in app.caption)
