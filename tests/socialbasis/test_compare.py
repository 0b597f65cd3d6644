"""Two buurten side by side."""

from __future__ import annotations

from socialbasis.analysis.compare import compare_buurten
from socialbasis.dataset import Dataset


def test_two_buurten_side_by_side_with_sources(embedded2020: Dataset):
    data = embedded2020
    a, b = list(data.buurten["buurtcode"][:2])
    table = compare_buurten(data.buurten, data.figures, data.initiatives, data.venues, [a, b])
    names = data.buurten.set_index("buurtcode")["buurtnaam"]
    assert list(table.columns) == ["Onderwerp", f"{names[a]} ({a})", f"{names[b]} ({b})"]
    rows = table.set_index("Onderwerp")
    inwoners = next(s for s in rows.index if s.startswith("Inwoners ("))
    assert "CBS" in inwoners and "2020" in inwoners  # each figure names its source and year
    for code in (a, b):
        column = f"{names[code]} ({code})"
        inside = data.initiatives[data.initiatives["buurtcode"] == code]
        persoonlijk = int((inside["layer"] == "persoonlijk").sum())
        assert rows.at["Activiteiten persoonlijk", column] == str(persoonlijk)
        assert rows.at["Dichtstbij persoonlijk (rechte lijn)", column].endswith(" m")
