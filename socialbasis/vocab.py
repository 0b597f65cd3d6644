"""Controlled vocabularies of the social-basis model, defined once.

Codes are what files and URLs hold; labels are what the Dutch interface shows.
"""

from __future__ import annotations

from enum import StrEnum

from socialbasis.i18n import N_, _


class Layer(StrEnum):
    """The three layers of the sociale basis (Jansen et al., 2021)."""

    PERSOONLIJK = "persoonlijk"
    GEMEENSCHAPPELIJK = "gemeenschappelijk"
    INSTITUTIONEEL = "institutioneel"


class SupportActivation(StrEnum):
    """Axis hulpverlening (support) <-> activering (activation)."""

    HULPVERLENING = "hulpverlening"
    ACTIVERING = "activering"


class IndividualCollective(StrEnum):
    """Axis individueel <-> collectief."""

    INDIVIDUEEL = "individueel"
    COLLECTIEF = "collectief"


class Discipline(StrEnum):
    MUZIEK = "muziek"
    DANS = "dans"
    THEATER = "theater"
    BEELDEND = "beeldend"
    LITERATUUR = "literatuur"
    MEDIA = "media"
    ERFGOED = "erfgoed"
    SPORT = "sport"
    ONTMOETING = "ontmoeting"
    ZORG_ONDERSTEUNING = "zorg_ondersteuning"


class TargetGroup(StrEnum):
    IEDEREEN = "iedereen"
    KINDEREN = "kinderen"
    JONGEREN = "jongeren"
    VOLWASSENEN = "volwassenen"
    OUDEREN = "ouderen"
    GEZINNEN = "gezinnen"
    MANTELZORGERS = "mantelzorgers"
    NIEUWKOMERS = "nieuwkomers"
    BEPERKING = "beperking"


class Cost(StrEnum):
    GRATIS = "gratis"
    BETAALD = "betaald"


class Wheelchair(StrEnum):
    JA = "ja"
    NEE = "nee"
    ONBEKEND = "onbekend"


LAYER_LABELS: dict[Layer, str] = {
    Layer.PERSOONLIJK: N_("Persoonlijk"),
    Layer.GEMEENSCHAPPELIJK: N_("Gemeenschappelijk"),
    Layer.INSTITUTIONEEL: N_("Institutioneel"),
}

LAYER_HELP: dict[Layer, str] = {
    Layer.PERSOONLIJK: N_("Wat iemand zelf nodig heeft: zorg, steun, hulp voor één persoon."),
    Layer.GEMEENSCHAPPELIJK: N_(
        "Plekken en groepen waar je anderen ontmoet: koor, club, vereniging."
    ),
    Layer.INSTITUTIONEEL: N_("Professionals, gebouwen en voorzieningen: bieb, buurthuis, theater."),
}

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
LAYER_COLOURS: dict[Layer, str] = {
    Layer.PERSOONLIJK: "#D55E00",
    Layer.GEMEENSCHAPPELIJK: "#0072B2",
    Layer.INSTITUTIONEEL: "#009E73",
}
VENUE_COLOUR = "#000000"
# Planned activities (a plan, not supply), on the map and in the meeting pack: magenta, apart
# from the layers and the outlines; 5:1 on white.
PLANNED_COLOUR = "#c51b7d"

DISCIPLINE_LABELS: dict[Discipline, str] = {
    Discipline.MUZIEK: N_("Muziek"),
    Discipline.DANS: N_("Dans"),
    Discipline.THEATER: N_("Theater"),
    Discipline.BEELDEND: N_("Beeldend"),
    Discipline.LITERATUUR: N_("Literatuur"),
    Discipline.MEDIA: N_("Media"),
    Discipline.ERFGOED: N_("Erfgoed"),
    Discipline.SPORT: N_("Sport"),
    Discipline.ONTMOETING: N_("Ontmoeting"),
    Discipline.ZORG_ONDERSTEUNING: N_("Zorg en ondersteuning"),
}

TARGET_GROUP_LABELS: dict[TargetGroup, str] = {
    TargetGroup.IEDEREEN: N_("Iedereen"),
    TargetGroup.KINDEREN: N_("Kinderen (tot 12)"),
    TargetGroup.JONGEREN: N_("Jongeren (12-23)"),
    TargetGroup.VOLWASSENEN: N_("Volwassenen"),
    TargetGroup.OUDEREN: N_("Ouderen (65+)"),
    TargetGroup.GEZINNEN: N_("Gezinnen"),
    TargetGroup.MANTELZORGERS: N_("Mantelzorgers"),
    TargetGroup.NIEUWKOMERS: N_("Nieuwkomers"),
    TargetGroup.BEPERKING: N_("Mensen met een beperking"),
}

SUPPORT_ACTIVATION_LABELS: dict[SupportActivation, str] = {
    SupportActivation.HULPVERLENING: N_("Hulpverlening"),
    SupportActivation.ACTIVERING: N_("Activering"),
}

INDIVIDUAL_COLLECTIVE_LABELS: dict[IndividualCollective, str] = {
    IndividualCollective.INDIVIDUEEL: N_("Individueel"),
    IndividualCollective.COLLECTIEF: N_("Collectief"),
}

COST_LABELS: dict[Cost, str] = {Cost.GRATIS: N_("Gratis"), Cost.BETAALD: N_("Betaald")}

WHEELCHAIR_LABELS: dict[Wheelchair, str] = {
    Wheelchair.JA: N_("Rolstoeltoegankelijk"),
    Wheelchair.NEE: N_("Niet rolstoeltoegankelijk"),
    Wheelchair.ONBEKEND: N_("Rolstoeltoegang onbekend"),
}

# The source value that marks a record as invented example data.
EXAMPLE_SOURCE = "voorbeeld"


def codes(enum: type[StrEnum]) -> list[str]:
    """All codes of a vocabulary, in declaration order."""
    return [member.value for member in enum]


_LABELS: dict[str, str] = {
    code.value: text
    for labels in (
        LAYER_LABELS,
        SUPPORT_ACTIVATION_LABELS,
        INDIVIDUAL_COLLECTIVE_LABELS,
        DISCIPLINE_LABELS,
        TARGET_GROUP_LABELS,
        COST_LABELS,
    )
    for code, text in labels.items()
}


def label(code: str) -> str:
    """The label of a vocabulary code in the language of this run (the code itself if it
    has none).

    >>> label("persoonlijk"), label("zorg_ondersteuning"), label("iets anders")
    ('Persoonlijk', 'Zorg en ondersteuning', 'iets anders')
    """
    return _(_LABELS.get(code, code))
