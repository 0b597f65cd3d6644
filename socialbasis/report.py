"""The meeting pack: one A4 PDF per buurt or werkgebied to take to the conversation, and the
map as a PNG for slides. Made offline: the map is drawn from the geometry (matplotlib), the
PDF laid out with ReportLab (both well kept, both pure wheels: no system libraries)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.gaps import SCORE_BINS, SCORE_COLOURS, SCORE_LABELS
from socialbasis.analysis.planning import PlanEffect, PlannedActivity
from socialbasis.geo import points_rd
from socialbasis.i18n import N_, _, day, number, percent
from socialbasis.schedule import DAGDEEL_LABELS, WEEKDAY_LABELS
from socialbasis.vocab import LAYER_COLOURS, PLANNED_COLOUR, VENUE_COLOUR, Layer, label

MAP_MARGIN_M = 600.0  # around the area, so what is just outside shows too

# The handreiking's ten steps and six success factors, in our own words (B1).
TEN_STEPS = (
    N_("Bereid het goed voor: wat wilt u bereiken, voor wie, en waarom hier?"),
    N_("Zoek partners die passen: wie werkt hier al met deze bewoners?"),
    N_("Neem de tijd om elkaar te leren kennen."),
    N_("Gebruik wat ieder goed kan."),
    N_("Schrijf samen een plan: doel, taken, geld, planning."),
    N_("Leer de doelgroep kennen: praat met bewoners, niet alleen over hen."),
    N_("Betrek de mensen die het gaan doen, vanaf het begin."),
    N_("Sluit aan bij wat er al is in de buurt."),
    N_("Maak de activiteit bekend, ook bij wie niet zelf zoekt."),
    N_("Denk aan later: hoe blijft het bestaan na de start?"),
)
SIX_FACTORS = (
    N_("Talent: mensen laten zien wat ze kunnen."),
    N_("Een actieve rol: zelf maken, gezien en gehoord worden."),
    N_("Eigen verhalen delen."),
    N_("Een vriendelijke, speelse plek waar iedereen zo binnenloopt."),
    N_("Eigenaarschap: bewoners beslissen mee."),
    N_("Culturele instellingen als verbinder tussen werelden."),
)


@dataclass(frozen=True)
class PackContent:
    """Everything the pack shows, gathered by the core (faces only lay it out)."""

    title: str
    area_name: str
    gemeente: str
    year: int
    layer: str
    examples: bool
    buurten: gpd.GeoDataFrame  # every buurt of the gemeente, with ``score`` for the layer
    area: list[str]  # buurtcodes of the area
    ranked: pd.DataFrame  # the kansenlijst rows of the area (best first)
    figures: pd.DataFrame  # key figures: buurt (or area) and gemeente, with source and year
    slots: np.ndarray | None  # 21 shares within the middle band (one buurt), or None
    minutes: int
    supply: gpd.GeoDataFrame  # activities of the layer (with the filters)
    venues: gpd.GeoDataFrame  # venues near the area, with distance_m
    partners: gpd.GeoDataFrame  # activities of other layers near the area, with distance_m
    werkgebieden: list[str]
    indicative_werkgebieden: bool
    planned: Sequence[PlannedActivity]
    plan_effect: PlanEffect | None
    sources: list[str]
    made_on: date


def map_png(content: PackContent, width_px: int = 1400, height_px: int = 1000) -> bytes:
    """The area's map (scores, activities, venues, planned activities) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display: draw into memory
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    buurten = content.buurten
    area = buurten[buurten["buurtcode"].isin(content.area)]
    xmin, ymin, xmax, ymax = area.total_bounds
    # The area with a margin, widened to the picture's shape (and at least 2.5 km across),
    # so the neighbourhood around it shows too.
    aspect = width_px / height_px
    width = max(xmax - xmin + 2 * MAP_MARGIN_M, (ymax - ymin + 2 * MAP_MARGIN_M) * aspect, 2500.0)
    centre_x, centre_y = (xmin + xmax) / 2, (ymin + ymax) / 2
    xmin, xmax = centre_x - width / 2, centre_x + width / 2
    ymin, ymax = centre_y - width / aspect / 2, centre_y + width / aspect / 2
    dpi = 100
    figure, axes = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    colours = [_score_colour(value) if pd.notna(value) else "#ffffff" for value in buurten["score"]]
    buurten.plot(ax=axes, color=colours, edgecolor="#555555", linewidth=0.6)
    area.boundary.plot(ax=axes, color="#000000", linewidth=2.4)
    if len(content.venues):
        axes.scatter(
            content.venues.geometry.x,
            content.venues.geometry.y,
            marker="s",
            s=60,
            color=VENUE_COLOUR,
            edgecolor="#ffffff",
            zorder=3,
        )
    if len(content.supply):
        axes.scatter(
            content.supply.geometry.x,
            content.supply.geometry.y,
            s=55,
            color=LAYER_COLOURS[Layer(content.layer)],
            edgecolor="#000000",
            zorder=4,
        )
    if content.planned:
        points = points_rd(
            np.array([p.lon for p in content.planned]), np.array([p.lat for p in content.planned])
        )
        axes.scatter(
            points.x,
            points.y,
            s=260,
            facecolors="none",
            edgecolors=PLANNED_COLOUR,
            linewidths=3,
            zorder=5,
        )
    for _index, row in area.iterrows():
        point = row.geometry.representative_point()
        axes.annotate(
            str(row["buurtnaam"]),
            (point.x, point.y),
            ha="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffff", "alpha": 0.8, "lw": 0},
        )
    axes.set_xlim(xmin, xmax)
    axes.set_ylim(ymin, ymax)
    axes.set_aspect("equal")
    axes.set_axis_off()
    handles = [
        Patch(facecolor=colour, edgecolor="#555555", label=_(text))
        for colour, text in zip(SCORE_COLOURS, SCORE_LABELS, strict=True)
    ]
    handles += [
        Patch(facecolor=LAYER_COLOURS[Layer(content.layer)], label=_("activiteit in deze laag")),
        Patch(facecolor=VENUE_COLOUR, label=_("locatie")),
    ]
    if content.planned:
        handles.append(Patch(facecolor="#ffffff", edgecolor=PLANNED_COLOUR, label=_("gepland")))
    axes.legend(
        handles=handles,
        title=_("Kansscore {lower}").format(lower=label(content.layer).lower()),
        loc="lower left",
        fontsize=8,
        title_fontsize=9,
        framealpha=0.9,
    )
    axes.text(
        1.0,
        0.0,
        _("Buurtgrenzen: CBS/Kadaster (CC BY 4.0)"),
        transform=axes.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
        bbox={"fc": "#ffffff", "alpha": 0.8, "lw": 0},
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.05)
    plt.close(figure)
    return buffer.getvalue()


def _score_colour(value: float) -> str:
    index = int(np.searchsorted(SCORE_BINS, value, side="right")) - 1
    return SCORE_COLOURS[min(max(index, 0), len(SCORE_COLOURS) - 1)]


def meeting_pack_pdf(content: PackContent) -> bytes:
    """The meeting pack as an A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    heading = styles["Heading2"]
    grid = TableStyle(
        [
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def text(value: object, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(str(value)), style)

    def table(rows: list[list[object]], widths: list[float]) -> Table:
        cells = [[text(c, small) for c in row] for row in rows]
        result = Table(cells, colWidths=[w * cm for w in widths], repeatRows=1)
        result.setStyle(grid)
        return result

    story: list[object] = [
        Paragraph(escape(content.title), styles["Title"]),
        text(
            _(
                "{gemeente}, buurtindeling {year}. Laag: {layer}. Gemaakt op {day} met de "
                "Sociale Basis Kaart."
            ).format(
                gemeente=content.gemeente,
                year=content.year,
                layer=label(content.layer).lower(),
                day=day(content.made_on),
            )
        ),
    ]
    if content.examples:
        story.append(
            text(
                _(
                    "Let op: het aanbod op deze kaart is voorbeelddata (verzonnen). De "
                    "buurtgrenzen en kerncijfers zijn echt."
                )
            )
        )
    story += [
        Spacer(1, 0.2 * cm),
        Image(io.BytesIO(map_png(content)), width=17 * cm, height=12 * cm, kind="proportional"),
        Paragraph(escape(_("Kansen")), heading),
        text(
            _(
                "Kansscore 0 tot 100: hoe hoger, hoe meer kans dat hier iets nieuws in deze "
                "laag nodig is (weinig aanbod binnen 5, 10 en 15 minuten lopen, en behoefte)."
            )
        ),
    ]
    kansen = [[_("Buurt"), _("Kansscore"), _("Plaats"), _("Waarom")]]
    for row in content.ranked.itertuples():
        kansen.append([row.buurtnaam, f"{row.score:.0f}", row.rank, row.reason])
    story.append(table(kansen, [4.2, 2.0, 1.5, 9.3]))
    if len(content.figures):
        story.append(Paragraph(escape(_("Kerncijfers: de buurt en de gemeente")), heading))
        story.append(
            table(
                [list(content.figures.columns), *content.figures.astype(str).values.tolist()],
                [4.3, 2.0, 2.0, 6.0, 2.7],
            )
        )
    if content.slots is not None:
        story.append(
            Paragraph(
                escape(
                    _("Wanneer is er iets binnen {minutes} minuten lopen?").format(
                        minutes=content.minutes
                    )
                ),
                heading,
            )
        )
        story.append(_slot_table(content.slots))
    story.append(Paragraph(escape(_("Waar kan het?")), heading))
    if len(content.venues):
        rows = [[_("Locatie"), _("Afstand"), _("Capaciteit"), _("Contact")]]
        for venue in content.venues.itertuples():
            rows.append(
                [
                    venue.name,
                    _distance(venue.distance_m),
                    "" if pd.isna(venue.capacity) else int(venue.capacity),
                    _contact(venue),
                ]
            )
        story.append(table(rows, [5.5, 2.0, 2.0, 7.5]))
    else:
        story.append(text(_("Geen locatie in de buurt bekend.")))
    story.append(Paragraph(escape(_("Met wie? Mogelijke partners")), heading))
    if len(content.partners):
        rows = [[_("Activiteit"), _("Laag"), _("Organisatie"), _("Afstand"), _("Contact")]]
        for partner in content.partners.head(15).itertuples():
            rows.append(
                [
                    partner.name,
                    label(partner.layer),
                    partner.organisation,
                    _distance(partner.distance_m),
                    _contact(partner),
                ]
            )
        story.append(table(rows, [4.5, 2.4, 3.6, 1.8, 4.7]))
    else:
        story.append(text(_("Geen activiteiten van andere lagen in de buurt bekend.")))
    indicative = _(" (indicatieve indeling)") if content.indicative_werkgebieden else ""
    story.append(
        text(
            _("Sociaal wijkteam: {werkgebied}{indicative}.").format(
                werkgebied=", ".join(content.werkgebieden), indicative=indicative
            )
        )
    )
    if content.planned:
        story.append(Paragraph(escape(_("Het plan")), heading))
        for activity in content.planned:
            story.append(text(f"– {activity.name}"))
        if content.plan_effect is not None:
            effect = content.plan_effect
            reached = (
                _("{count} inwoners nieuw binnen {minutes} minuten lopen.").format(
                    count=number(effect.newly_reached, 0), minutes=effect.minutes
                )
                if effect.residents_known
                else _("{area} hectare nieuw binnen {minutes} minuten lopen.").format(
                    area=number(effect.newly_reached / 10_000, 1), minutes=effect.minutes
                )
            )
            story.append(text(reached))
    checklist = [Paragraph(escape(_("Samen plannen: tien stappen")), heading)]
    checklist += [text(f"[  ] {index}. {_(step)}") for index, step in enumerate(TEN_STEPS, 1)]
    checklist.append(Paragraph(escape(_("Wat werkt tegen eenzaamheid")), heading))
    checklist += [text(f"[  ] {_(factor)}") for factor in SIX_FACTORS]
    story.append(KeepTogether(checklist))
    story.append(Paragraph(escape(_("Bronnen")), heading))
    for source in content.sources:
        story.append(text(source, small))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=content.title,
        author="Sociale Basis Kaart",
        lang="nl",
    )

    def footer(canvas: object, doc: object) -> None:  # ReportLab's page callback
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            2 * cm, 1 * cm, f"{content.title} · " + _("pagina {page}").format(page=doc.page)
        )
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _distance(metres: float) -> str:
    return f"{number(float(metres), 0)} m" if pd.notna(metres) else ""


def _contact(row: object) -> str:
    parts = [str(getattr(row, f, "") or "").strip() for f in ("website", "email", "phone")]
    return " · ".join(p for p in parts if p)


def _slot_table(shares: np.ndarray) -> object:
    """The week as days x dagdelen, each cell the share within reach, shaded."""
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Table, TableStyle

    grid = shares.reshape(len(WEEKDAY_LABELS), len(DAGDEEL_LABELS))
    rows = [["", *[_(d) for d in DAGDEEL_LABELS]]]
    for weekday, values in zip(WEEKDAY_LABELS, grid, strict=True):
        rows.append([_(weekday), *[percent(v) for v in values]])
    result = Table(rows, colWidths=[3 * cm] + [3 * cm] * len(DAGDEEL_LABELS))
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
    ]
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values, start=1):
            shade = 1 - 0.6 * float(value)
            style.append(("BACKGROUND", (c, r), (c, r), colors.Color(shade, shade, 1)))
    result.setStyle(TableStyle(style))
    return result
