"""Controlled vocabularies of the social-basis model, defined once.

Codes are what files and URLs hold; labels are what the Dutch interface shows.
"""

from __future__ import annotations

from enum import StrEnum


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
    Layer.PERSOONLIJK: "Persoonlijk",
    Layer.GEMEENSCHAPPELIJK: "Gemeenschappelijk",
    Layer.INSTITUTIONEEL: "Institutioneel",
}

LAYER_HELP: dict[Layer, str] = {
    Layer.PERSOONLIJK: "Wat iemand zelf nodig heeft: zorg, steun, hulp voor één persoon.",
    Layer.GEMEENSCHAPPELIJK: "Plekken en groepen waar je anderen ontmoet: koor, club, vereniging.",
    Layer.INSTITUTIONEEL: "Professionals, gebouwen en voorzieningen: bieb, buurthuis, theater.",
}

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
LAYER_COLOURS: dict[Layer, str] = {
    Layer.PERSOONLIJK: "#D55E00",
    Layer.GEMEENSCHAPPELIJK: "#0072B2",
    Layer.INSTITUTIONEEL: "#009E73",
}
VENUE_COLOUR = "#000000"

DISCIPLINE_LABELS: dict[Discipline, str] = {
    Discipline.MUZIEK: "Muziek",
    Discipline.DANS: "Dans",
    Discipline.THEATER: "Theater",
    Discipline.BEELDEND: "Beeldend",
    Discipline.LITERATUUR: "Literatuur",
    Discipline.MEDIA: "Media",
    Discipline.ERFGOED: "Erfgoed",
    Discipline.SPORT: "Sport",
    Discipline.ONTMOETING: "Ontmoeting",
    Discipline.ZORG_ONDERSTEUNING: "Zorg en ondersteuning",
}

TARGET_GROUP_LABELS: dict[TargetGroup, str] = {
    TargetGroup.IEDEREEN: "Iedereen",
    TargetGroup.KINDEREN: "Kinderen (tot 12)",
    TargetGroup.JONGEREN: "Jongeren (12-23)",
    TargetGroup.VOLWASSENEN: "Volwassenen",
    TargetGroup.OUDEREN: "Ouderen (65+)",
    TargetGroup.GEZINNEN: "Gezinnen",
    TargetGroup.MANTELZORGERS: "Mantelzorgers",
    TargetGroup.NIEUWKOMERS: "Nieuwkomers",
    TargetGroup.BEPERKING: "Mensen met een beperking",
}

SUPPORT_ACTIVATION_LABELS: dict[SupportActivation, str] = {
    SupportActivation.HULPVERLENING: "Hulpverlening",
    SupportActivation.ACTIVERING: "Activering",
}

INDIVIDUAL_COLLECTIVE_LABELS: dict[IndividualCollective, str] = {
    IndividualCollective.INDIVIDUEEL: "Individueel",
    IndividualCollective.COLLECTIEF: "Collectief",
}

COST_LABELS: dict[Cost, str] = {Cost.GRATIS: "Gratis", Cost.BETAALD: "Betaald"}

WHEELCHAIR_LABELS: dict[Wheelchair, str] = {
    Wheelchair.JA: "Rolstoeltoegankelijk",
    Wheelchair.NEE: "Niet rolstoeltoegankelijk",
    Wheelchair.ONBEKEND: "Rolstoeltoegang onbekend",
}

# The source value that marks a record as invented example data.
EXAMPLE_SOURCE = "voorbeeld"


def codes(enum: type[StrEnum]) -> list[str]:
    """All codes of a vocabulary, in declaration order."""
    return [member.value for member in enum]


def dutch_count(number: float) -> str:
    """A whole number the Dutch way: 12345.6 -> "12.346"."""
    return f"{number:,.0f}".replace(",", ".")


def dutch_decimal(number: float) -> str:
    """A number with a decimal comma and no trailing zeros: 4.8 -> "4,8", 3.0 -> "3".

    >>> dutch_decimal(4.8), dutch_decimal(3.0)
    ('4,8', '3')
    """
    return f"{number:g}".replace(".", ",")
