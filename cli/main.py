"""The ``socialbasis`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import click

from socialbasis.analysis.coverage import WalkParams
from socialbasis.analysis.filters import Filters
from socialbasis.analysis.gaps import GapParams, kansenlijst
from socialbasis.analysis.grid import build_grid
from socialbasis.analysis.need import DEFAULT_WEIGHTS, available_indicators
from socialbasis.analysis.walking import DEFAULT_SPEED_KMH, ROLLATOR_SPEED_KMH
from socialbasis.dataset import Dataset, load_dataset
from socialbasis.errors import SocialBasisError
from socialbasis.export import gaps_table
from socialbasis.settings import ENV_PREFIX, PROJECT_ROOT, Settings, load_settings
from socialbasis.vocab import Discipline, Layer, TargetGroup, codes

SPEED_KMH = {"normaal": DEFAULT_SPEED_KMH, "rollator": ROLLATOR_SPEED_KMH}


class Context:
    """Settings for one invocation: environment plus the global options."""

    def __init__(self, **overrides: object) -> None:
        self.overrides = {k: v for k, v in overrides.items() if v is not None}

    def settings(self) -> Settings:
        # Options go through the same parsing and checks as environment variables.
        env = {
            **os.environ,
            **{f"{ENV_PREFIX}{k.upper()}": str(v) for k, v in self.overrides.items()},
        }
        try:
            return load_settings(env)
        except SocialBasisError as exc:
            _fail(exc)

    def dataset(self) -> Dataset:
        return load_dataset(self.settings())


def _fail(exc: SocialBasisError) -> None:
    raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--gemeente",
    help="CBS-gemeentecode, bijvoorbeeld GM0479 (standaard: "
    "SOCIALBASIS_GEMEENTE, anders Zaanstad).",
)
@click.option("--jaar", type=int, help="Jaar van de grenzen en kerncijfers (standaard 2024).")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    help="Map met opgehaalde gegevens en ingelezen aanbod.",
)
@click.option(
    "--werkgebieden",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="CSV met wijkcode/buurtcode -> werkgebied (sociaal wijkteam).",
)
@click.pass_context
def main(
    ctx: click.Context,
    gemeente: str | None,
    jaar: int | None,
    data_dir: Path | None,
    werkgebieden: Path | None,
) -> None:
    """Sociale Basis Kaart: waar is de sociale basis van een gemeente sterk, en waar zijn
    kansen?"""
    ctx.obj = Context(gemeente=gemeente, jaar=jaar, data_dir=data_dir, werkgebieden=werkgebieden)


@main.command()
@click.pass_obj
def info(obj: Context) -> None:
    """Laat zien welke gegevens geladen zijn: gebieden, aanbod en bronnen."""
    try:
        dataset = obj.dataset()
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(f"{dataset.gemeentenaam} ({dataset.gemeentecode}), {dataset.year}")
    click.echo(
        f"  buurten: {len(dataset.buurten)}   wijken: {len(dataset.wijken)}   "
        f"werkgebieden: {len(dataset.werkgebieden)} ({dataset.area_mapping.status})"
    )
    click.echo(
        f"  initiatieven: {len(dataset.initiatives)}   locaties: {len(dataset.venues)}"
        + ("   (voorbeelddata)" if dataset.listings_are_examples else "")
    )
    for row in dataset.provenance.itertuples():
        click.echo(f"  {row.what}: {row.source}")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def dashboard(obj: Context, streamlit_args: tuple[str, ...]) -> None:
    """Start het dashboard (extra argumenten gaan naar Streamlit)."""
    env = dict(os.environ)
    for name, value in obj.overrides.items():
        env[f"SOCIALBASIS_{name.upper()}"] = str(value)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "dashboard" / "app.py"),
        "--server.enableStaticServing",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *streamlit_args,
    ]
    raise SystemExit(subprocess.call(command, env=env, cwd=PROJECT_ROOT))


def _parse_date(value: str) -> date | None:
    if value == "alle":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("verwacht JJJJ-MM-DD of 'alle'") from exc


def _parse_weight(value: str) -> tuple[str, float]:
    name, _, number = value.partition("=")
    if name not in DEFAULT_WEIGHTS:
        raise click.BadParameter(f"onbekend cijfer {name!r}; kies uit {', '.join(DEFAULT_WEIGHTS)}")
    try:
        return name, float(number)
    except ValueError as exc:
        raise click.BadParameter(f"gewicht van {name} is geen getal: {number!r}") from exc


@main.command()
@click.option(
    "--layer",
    "--laag",
    "layer",
    required=True,
    type=click.Choice(codes(Layer)),
    help="Laag van de sociale basis.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["csv", "json", "tabel"]),
    default="csv",
    show_default=True,
    help="Uitvoer.",
)
@click.option("--top", type=click.IntRange(min=1), help="Alleen de eerste N buurten.")
@click.option(
    "--tempo",
    type=click.Choice(["normaal", "rollator"]),
    default="normaal",
    show_default=True,
    help="Wandeltempo: 4,8 km/u of 3 km/u.",
)
@click.option(
    "--doelgroep",
    multiple=True,
    type=click.Choice(codes(TargetGroup)),
    help="Alleen aanbod voor deze doelgroep (mag vaker).",
)
@click.option(
    "--discipline",
    multiple=True,
    type=click.Choice(codes(Discipline)),
    help="Alleen aanbod van deze soort (mag vaker).",
)
@click.option(
    "--datum",
    default=lambda: date.today().isoformat(),
    show_default="vandaag",
    help="Alleen aanbod dat loopt op deze datum (JJJJ-MM-DD), of 'alle'.",
)
@click.option(
    "--gewicht",
    multiple=True,
    metavar="CIJFER=GETAL",
    help="Gewicht van een behoeftecijfer, bv. pct_eenzaam=3 (mag vaker).",
)
@click.pass_obj
def gaps(
    obj: Context,
    layer: str,
    output: str,
    top: int | None,
    tempo: str,
    doelgroep: tuple[str, ...],
    discipline: tuple[str, ...],
    datum: str,
    gewicht: tuple[str, ...],
) -> None:
    """De kansenlijst: buurten gerangschikt naar kansscore voor één laag."""
    active_on = _parse_date(datum)
    weights = dict(_parse_weight(w) for w in gewicht)
    try:
        dataset = obj.dataset()
    except SocialBasisError as exc:
        _fail(exc)
    walk = WalkParams(speed_kmh=SPEED_KMH[tempo])
    filters = Filters(target_groups=doelgroep, disciplines=discipline, active_on=active_on)
    ranked = kansenlijst(
        dataset.buurten,
        build_grid(dataset.buurten),
        dataset.initiatives,
        dataset.venues,
        layer,
        filters,
        GapParams(walk=walk, need_weights=weights),
    )
    table = gaps_table(ranked, dataset.gemeentecode, dataset.year, walk)
    if top:
        table = table.head(top)
    if not available_indicators(dataset.buurten):
        click.echo(
            "Let op: geen cijfers over behoefte geladen; de rangorde gebruikt alleen het aanbod.",
            err=True,
        )
    if dataset.listings_are_examples:
        click.echo("Let op: het aanbod is voorbeelddata (verzonnen).", err=True)
    if output == "json":
        click.echo(table.to_json(orient="records", force_ascii=False, indent=1))
    elif output == "tabel":
        shown = table[["rank", "buurtcode", "buurtnaam", "score", "share_10min", "reason"]]
        click.echo(shown.to_string(index=False, max_colwidth=90))
    else:
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)
