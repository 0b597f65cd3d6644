"""The ``socialbasis`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from socialbasis.dataset import Dataset, load_dataset
from socialbasis.errors import SocialBasisError
from socialbasis.settings import ENV_PREFIX, PROJECT_ROOT, Settings, load_settings


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
