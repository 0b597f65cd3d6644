"""What a listing's popup says: known values only, never "onbekend, onbekend"."""

from __future__ import annotations

import pandas as pd

from dashboard.popups import initiative_popup
from socialbasis.schema import validate_initiatives
from tests.helpers import initiative_row


def popup(**fields: object) -> str:
    frame = validate_initiatives(pd.DataFrame([initiative_row(**fields)]), "t").frame
    return initiative_popup(frame.iloc[0])


def test_unknown_values_are_left_out_instead_of_printed():
    html = popup(support_activation="", individual_collective="", cost="", wheelchair="")
    assert "onbekend" not in html
    assert "Werkwijze" not in html and "Kosten" not in html and "Rolstoel" not in html


def test_a_half_known_way_of_working_shows_only_what_is_known():
    html = popup(support_activation="", individual_collective="collectief")
    assert "<b>Werkwijze:</b> Collectief<br>" in html
    both = popup(support_activation="activering", individual_collective="collectief")
    assert "Werkwijze:</b>" in both and ", " in both.split("Werkwijze:</b>")[1].split("<br>")[0]


def test_the_profile_chart_shows_every_layer_name_at_any_width():
    from dashboard.profile_view import BAR_HEIGHT, layer_chart
    from socialbasis.analysis.profile import counts_per_layer

    spec = layer_chart(counts_per_layer(pd.DataFrame({"layer": ["persoonlijk"]}))).to_dict()
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and axis["labelLimit"] == 0
    assert spec["height"] == 3 * BAR_HEIGHT >= 3 * 2 * axis["labelFontSize"]
