"""Generate the embedded example listings for Zaanstad (seeded, so reruns give the same files).

Every record is invented: its source is ``voorbeeld``, its name starts with "Voorbeeld", its
address says "fictief". Records are placed at random points inside real CBS buurten, with a
deliberately uneven spread so that the map shows rich buurten and real gaps.

    python scripts/generate_demo_data.py [--out data/initiatives]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from shapely import contains_xy

from socialbasis.areas import read_buurten
from socialbasis.geo import rd_to_lonlat
from socialbasis.schedule import DAGDELEN, WEEKDAYS
from socialbasis.schema import INITIATIVE_COLUMNS, VENUE_COLUMNS
from socialbasis.settings import PROJECT_ROOT
from socialbasis.vocab import (
    EXAMPLE_SOURCE,
    Discipline,
    IndividualCollective,
    Layer,
    SupportActivation,
    TargetGroup,
    codes,
)

SEED = 479
N_INITIATIVES = 200
N_VENUES = 40
BUURTEN = PROJECT_ROOT / "data" / "geo" / "GM0479_2024" / "buurten_rd.geojson"

# What kind of activity fits which layer and discipline (names are generic, never real).
ACTIVITY_KINDS: dict[str, list[tuple[str, str]]] = {
    "persoonlijk": [
        ("zorg_ondersteuning", "Buddyproject"),
        ("zorg_ondersteuning", "Taalmaatjes"),
        ("zorg_ondersteuning", "Spreekuur schuldhulp"),
        ("zorg_ondersteuning", "Huisbezoek"),
        ("beeldend", "Creatieve therapie"),
        ("muziek", "Muziektherapie"),
        ("literatuur", "Schrijfmaatje"),
        ("ontmoeting", "Wandelmaatje"),
        ("media", "Digicoach aan huis"),
        ("dans", "Dansexpressie één-op-één"),
    ],
    "gemeenschappelijk": [
        ("muziek", "Buurtkoor"),
        ("muziek", "Straatorkest"),
        ("dans", "Dansgroep"),
        ("theater", "Buurttheater"),
        ("beeldend", "Schilderclub"),
        ("sport", "Wandelgroep"),
        ("sport", "Beweegclub"),
        ("ontmoeting", "Repair café"),
        ("ontmoeting", "Buurtmaaltijd"),
        ("ontmoeting", "Moestuingroep"),
        ("erfgoed", "Verhalenkring"),
        ("literatuur", "Leesclub"),
        ("media", "Fotoclub"),
    ],
    "institutioneel": [
        ("literatuur", "Bibliotheekpunt"),
        ("theater", "Theaterwerkplaats"),
        ("erfgoed", "Erfgoedspreekuur"),
        ("media", "Mediawerkplaats"),
        ("muziek", "Muziekschool"),
        ("beeldend", "Open atelier"),
        ("zorg_ondersteuning", "Inloop sociaal wijkteam"),
        ("ontmoeting", "Buurthuisinloop"),
        ("sport", "Sportloket"),
        ("dans", "Danslessen cultuurcentrum"),
    ],
}
NICKNAMES = [
    "Merel",
    "Reiger",
    "Kievit",
    "Grutto",
    "Fuut",
    "Spreeuw",
    "Zwaluw",
    "Mus",
    "Meerkoet",
    "Tureluur",
    "Lepelaar",
    "Ekster",
    "Winterkoning",
    "Roodborst",
    "Koolmees",
    "Vink",
    "Kwikstaart",
    "Boomklever",
    "IJsvogel",
    "Patrijs",
]
ORGANISATIONS = [
    "Stichting Voorbeeld Welzijn",
    "Voorbeeld Cultuurhuis",
    "Vereniging Voorbeeld Sport",
    "Voorbeeld Zorgcoöperatie",
    "Buurtnetwerk Voorbeeld",
    "Voorbeeld Kunstcollectief",
    "Voorbeeld Vrijwilligerscentrale",
    "Stichting Voorbeeld Erfgoed",
]
VENUE_KINDS = [
    ("buurthuis", "institutioneel", "Buurthuis"),
    ("bibliotheek", "institutioneel", "Bieb"),
    ("cultuurcentrum", "institutioneel", "Cultuurhuis"),
    ("theater", "institutioneel", "Theater"),
    ("museum", "institutioneel", "Museum"),
    ("sporthal", "institutioneel", "Sporthal"),
    ("dorpshuis", "institutioneel", "Dorpshuis"),
    ("wijkteampost", "institutioneel", "Wijkpost"),
    ("gebedshuis", "gemeenschappelijk", "Ontmoetingskerk"),
    ("clubhuis", "gemeenschappelijk", "Clubhuis"),
    ("volkstuin", "gemeenschappelijk", "Buurttuin"),
]


def buurt_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uneven weights per buurt and layer: about a fifth of buurten get nothing at all."""
    overall = rng.gamma(shape=1.6, scale=1.0, size=n)
    overall[rng.random(n) < 0.2] = 0.0
    per_layer = rng.gamma(shape=1.5, scale=1.0, size=(n, 3))
    per_layer[rng.random((n, 3)) < 0.2] = 0.0
    return overall[:, None] * per_layer


def random_point(rng: np.random.Generator, polygon) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if contains_xy(polygon, x, y):
            return x, y


def schedule_text(rng: np.random.Generator) -> str:
    if rng.random() < 0.1:
        return ""  # op afspraak
    slots = rng.choice(len(WEEKDAYS) * len(DAGDELEN), size=rng.integers(1, 4), replace=False)
    return ";".join(
        f"{WEEKDAYS[s // len(DAGDELEN)]}-{DAGDELEN[s % len(DAGDELEN)]}" for s in sorted(slots)
    )


def dates(rng: np.random.Generator) -> tuple[str, str]:
    roll = rng.random()
    start = f"{rng.integers(2019, 2025)}-{rng.integers(1, 13):02d}-01"
    if roll < 0.1:  # ended
        return start, f"2025-{rng.integers(1, 13):02d}-28"
    if roll < 0.15:  # starts later
        return f"2027-{rng.integers(1, 7):02d}-01", ""
    if roll < 0.3:  # a project with an end date ahead
        return start, f"2027-{rng.integers(6, 13):02d}-30"
    return start, ""


def coverage_plan(rng: np.random.Generator) -> list[dict[str, str]]:
    """One record for every layer x quadrant, every discipline and every target group."""
    plan = [
        {"layer": layer, "support_activation": sa, "individual_collective": ic}
        for layer, sa, ic in itertools.product(
            codes(Layer), codes(SupportActivation), codes(IndividualCollective)
        )
    ]
    disciplines = codes(Discipline)
    for i, record in enumerate(plan):
        record["discipline"] = disciplines[i % len(disciplines)]
    for discipline in disciplines[len(plan) :]:
        plan.append({"discipline": discipline})
    for i, group in enumerate(codes(TargetGroup)):
        plan[i]["target_groups"] = group
    return plan


def make_initiatives(rng: np.random.Generator, buurten) -> pd.DataFrame:
    weights = buurt_weights(rng, len(buurten))
    flat = weights.ravel() / weights.sum()
    layers = codes(Layer)
    plan = coverage_plan(rng)
    records = []
    for i in range(N_INITIATIVES):
        fixed = plan[i] if i < len(plan) else {}
        layer = fixed.get("layer")
        if layer is None:
            cell = rng.choice(flat.size, p=flat)
            buurt_index, layer = divmod(cell, 3)
            layer = layers[layer]
        else:
            layer_weights = weights[:, layers.index(layer)] + 1e-9
            buurt_index = rng.choice(len(buurten), p=layer_weights / layer_weights.sum())
        kinds = ACTIVITY_KINDS[layer]
        if "discipline" in fixed:
            matching = [k for k in kinds if k[0] == fixed["discipline"]]
            discipline, kind = matching[0] if matching else (fixed["discipline"], "Activiteit")
        else:
            discipline, kind = kinds[rng.integers(len(kinds))]
        individual = layer == "persoonlijk"
        sa = fixed.get("support_activation") or (
            "hulpverlening" if rng.random() < (0.75 if individual else 0.25) else "activering"
        )
        ic = fixed.get("individual_collective") or (
            "individueel" if rng.random() < (0.8 if individual else 0.15) else "collectief"
        )
        groups = fixed.get("target_groups") or ";".join(
            sorted(rng.choice(codes(TargetGroup), size=rng.integers(1, 3), replace=False))
        )
        buurt = buurten.iloc[buurt_index]
        x, y = random_point(rng, buurt.geometry)
        lon, lat = rd_to_lonlat(np.array([x]), np.array([y]))
        start, end = dates(rng)
        nickname = NICKNAMES[rng.integers(len(NICKNAMES))]
        records.append(
            {
                "id": f"vb-act-{i + 1:03d}",
                "name": f"Voorbeeld: {kind} {nickname}",
                "organisation": ORGANISATIONS[rng.integers(len(ORGANISATIONS))],
                "description": f"Fictief voorbeeld van een {kind.lower()} in {buurt.buurtnaam}.",
                "layer": layer,
                "support_activation": sa,
                "individual_collective": ic,
                "discipline": discipline,
                "target_groups": groups,
                "cost": "gratis" if rng.random() < 0.7 else "betaald",
                "wheelchair": rng.choice(["ja", "nee", "onbekend"], p=[0.6, 0.15, 0.25]),
                "schedule": schedule_text(rng),
                "start_date": start,
                "end_date": end,
                "address": f"Fictief adres in {buurt.buurtnaam}",
                "lat": f"{lat[0]:.6f}",
                "lon": f"{lon[0]:.6f}",
                "source": EXAMPLE_SOURCE,
                "last_verified": "",
            }
        )
    return pd.DataFrame(records, columns=list(INITIATIVE_COLUMNS))


def make_venues(rng: np.random.Generator, buurten) -> pd.DataFrame:
    weights = rng.gamma(shape=1.0, size=len(buurten))
    weights[rng.random(len(buurten)) < 0.3] = 0.0
    records = []
    for i in range(N_VENUES):
        kind, layer, label = VENUE_KINDS[i % len(VENUE_KINDS)]
        buurt = buurten.iloc[rng.choice(len(buurten), p=weights / weights.sum())]
        x, y = random_point(rng, buurt.geometry)
        lon, lat = rd_to_lonlat(np.array([x]), np.array([y]))
        records.append(
            {
                "id": f"vb-loc-{i + 1:03d}",
                "name": f"Voorbeeld: {label} {NICKNAMES[rng.integers(len(NICKNAMES))]}",
                "kind": kind,
                "layer": layer,
                "address": f"Fictief adres in {buurt.buurtnaam}",
                "lat": f"{lat[0]:.6f}",
                "lon": f"{lon[0]:.6f}",
                "capacity": str(int(rng.choice([15, 25, 40, 60, 120, 250]))),
                "source": EXAMPLE_SOURCE,
            }
        )
    return pd.DataFrame(records, columns=list(VENUE_COLUMNS))


def generate(out: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(SEED)
    buurten = read_buurten(BUURTEN)
    out.mkdir(parents=True, exist_ok=True)
    initiatives_path = out / "voorbeeld_initiatieven_zaanstad.csv"
    venues_path = out / "voorbeeld_locaties_zaanstad.csv"
    make_initiatives(rng, buurten).to_csv(initiatives_path, index=False, lineterminator="\n")
    make_venues(rng, buurten).to_csv(venues_path, index=False, lineterminator="\n")
    return initiatives_path, venues_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "data" / "initiatives")
    for path in generate(parser.parse_args().out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
