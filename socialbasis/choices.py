"""The names a user can choose from on the command line and in the dashboard, declared once
and importable without the geo stack (so that ``socialbasis --help`` starts at once)."""

from __future__ import annotations

# Kinds of listings.
KINDS = ("initiatieven", "locaties")

# Steps of ``socialbasis fetch``; all but the boundaries can be skipped.
FETCH_STEPS: dict[str, str] = {
    "grenzen": "Grenzen en kerncijfers (PDOK)",
    "kerncijfers": "Kerncijfers (CBS StatLine)",
    "eenzaamheid": "Eenzaamheid (RIVM)",
    "locaties": "Locaties (OpenStreetMap)",
}
OPTIONAL_STEPS = ("kerncijfers", "eenzaamheid", "locaties")

# What to do with a row that looks like a stored listing under another id.
DUPLICATE_CHOICES = {
    "bijwerken": "bijwerken (de bestaande vermelding krijgt de nieuwe gegevens)",
    "beide": "beide houden (het is een ander aanbod)",
    "overslaan": "overslaan (niet inlezen)",
}

# excel/csv/geojson/gpkg/hsds: the listings; buurten: counts per buurt and layer on CBS codes
# (canonical CSV), buurten-excel: the same for Dutch Excel.
EXPORT_FORMATS = ("excel", "csv", "geojson", "gpkg", "hsds", "buurten", "buurten-excel")

# How the kansenlijst is ordered, in words for the faces.
ORDER_TEXT = (
    "Gerangschikt naar kansscore; bij een gelijke score gaat de buurt met de hoogste "
    "behoefte voor, daarna die met de meeste inwoners, daarna de buurtcode."
)
