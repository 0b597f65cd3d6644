"""The names a user can choose from on the command line and in the dashboard, declared once
and importable without the geo stack (so that ``socialbasis --help`` starts at once)."""

from __future__ import annotations

from socialbasis.i18n import N_

# Kinds of listings.
KINDS = ("initiatieven", "locaties")

# Steps of ``socialbasis fetch``; all but the boundaries can be skipped.
FETCH_STEPS: dict[str, str] = {
    "grenzen": N_("Grenzen en kerncijfers (PDOK)"),
    "kerncijfers": N_("Kerncijfers (CBS StatLine)"),
    "eenzaamheid": N_("Eenzaamheid (RIVM)"),
    "locaties": N_("Locaties (OpenStreetMap)"),
    "netwerk": N_("Loopnetwerk (OpenStreetMap)"),
}
OPTIONAL_STEPS = ("kerncijfers", "eenzaamheid", "locaties", "netwerk")

# What to do with a row that looks like a stored listing under another id.
DUPLICATE_CHOICES = {
    "bijwerken": N_("bijwerken (de bestaande vermelding krijgt de nieuwe gegevens)"),
    "beide": N_("beide houden (het is een ander aanbod)"),
    "overslaan": N_("overslaan (niet inlezen)"),
}

# excel/csv/geojson/gpkg/hsds: the listings; buurten: counts per buurt and layer on CBS codes
# (canonical CSV), buurten-excel: the same for Dutch Excel.
EXPORT_FORMATS = ("excel", "csv", "geojson", "gpkg", "hsds", "buurten", "buurten-excel")

# How the kansenlijst is ordered, in words for the faces.
ORDER_TEXT = N_(
    "Gerangschikt naar kansscore; bij een gelijke score gaat de buurt met de hoogste "
    "behoefte voor, daarna die met de meeste inwoners, daarna de buurtcode."
)
