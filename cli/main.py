"""The ``socialbasis`` command."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from socialbasis.access import MANAGE, ROLES, Identity
from socialbasis.analysis.walking import WALKING_SPEEDS

# Only what the options need is imported here: the geo stack and the database load when a
# command runs, so that ``socialbasis --help`` answers at once.
from socialbasis.choices import (
    DUPLICATE_CHOICES,
    EXPORT_FORMATS,
    KINDS,
    OPTIONAL_STEPS,
    ORDER_TEXT,
)
from socialbasis.choices import FETCH_STEPS as STEPS
from socialbasis.errors import SocialBasisError
from socialbasis.i18n import LANGUAGES, _, number, percent, set_language, using
from socialbasis.settings import PROJECT_ROOT
from socialbasis.vocab import Discipline, Layer, TargetGroup, codes

if TYPE_CHECKING:
    from socialbasis.accounts import Accounts
    from socialbasis.analysis.detour import NetworkSummary
    from socialbasis.analysis.filters import Filters
    from socialbasis.analysis.gaps import GapParams
    from socialbasis.app import ImportReport, SocialBasis
    from socialbasis.dataset import Dataset
    from socialbasis.settings import Settings


class Context:
    """One invocation: the global options, and the application core they configure."""

    def __init__(self, **overrides: object) -> None:
        self.overrides = {k: v for k, v in overrides.items() if v is not None}
        self._core: SocialBasis | None = None

    def core(self) -> SocialBasis:
        # Options go through the same parsing and checks as environment variables.
        if self._core is None:
            try:
                from socialbasis.app import SocialBasis

                self._core = SocialBasis.from_options(**self.overrides)
            except SocialBasisError as exc:
                _fail(exc)
            # Whoever runs the CLI on the server can reach the data folder anyway: a beheerder.
            user = _user()
            self._core.identity = Identity(user=user, name=user, role="beheerder", via="cli")
        return self._core  # type: ignore[return-value]

    def listings_core(self) -> SocialBasis:
        """The core, with a listings file of before the database moved in (reported once)."""
        core = self.core()
        try:
            core.database  # noqa: B018 - opening it moves an old listings file in
        except SocialBasisError as exc:
            _fail(exc)
        if core.migration is not None:
            for line in core.migration.lines():
                click.echo(line, err=True)
            core.migration = None
        return core

    def settings(self) -> Settings:
        return self.core().settings

    def dataset(self) -> Dataset:
        core = self.listings_core()
        try:
            return core.dataset()
        except SocialBasisError as exc:
            _fail(exc)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (e.g. in a container)
        return str(os.getuid())


def _fail(exc: SocialBasisError) -> None:
    raise click.ClickException(str(exc)) from exc


def _language_from_arguments(arguments: list[str]) -> None:
    """The help texts below are made when this module loads, so ``--taal`` is looked at
    before click parses it (which checks it properly)."""
    for index, argument in enumerate(arguments):
        code = None
        if argument == "--taal" and index + 1 < len(arguments):
            code = arguments[index + 1]
        elif argument.startswith("--taal="):
            code = argument.partition("=")[2]
        if code and code.strip().lower() in LANGUAGES:
            set_language(code)


_language_from_arguments(sys.argv[1:])


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_(
        "Sociale Basis Kaart: waar is de sociale basis van een gemeente sterk, en waar zijn kansen?"
    ),
)
@click.option(
    "--taal",
    type=click.Choice(list(LANGUAGES)),
    help=_("Taal van de meldingen: nl of en (standaard: SOCIALBASIS_TAAL, anders nl)."),
)
@click.option(
    "--gemeente",
    help=_(
        "CBS-gemeentecode, bijvoorbeeld GM0479 (standaard: SOCIALBASIS_GEMEENTE, anders Zaanstad)."
    ),
)
@click.option(
    "--jaar",
    type=int,
    help=_(
        "Jaar van de grenzen en kerncijfers (standaard 2020: Zaanstad met CBS-kerncijfers; "
        "2024: alleen grenzen)."
    ),
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    help=_("Map met opgehaalde gegevens en ingelezen aanbod."),
)
@click.option(
    "--werkgebieden",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help=_("CSV met wijkcode/buurtcode -> werkgebied (sociaal wijkteam)."),
)
@click.pass_context
def main(
    ctx: click.Context,
    gemeente: str | None,
    jaar: int | None,
    data_dir: Path | None,
    werkgebieden: Path | None,
    taal: str | None,
) -> None:
    """Sociale Basis Kaart: waar is de sociale basis van een gemeente sterk, en waar zijn
    kansen?"""
    if taal:
        # For this invocation only: the language of before comes back when it ends.
        ctx.with_resource(using(taal))
    ctx.obj = Context(
        gemeente=gemeente, jaar=jaar, data_dir=data_dir, werkgebieden=werkgebieden, taal=taal
    )


@main.command(help=_("Laat zien welke gegevens geladen zijn: gebieden, aanbod en bronnen."))
@click.pass_obj
def info(obj: Context) -> None:
    """Laat zien welke gegevens geladen zijn: gebieden, aanbod en bronnen."""
    try:
        dataset = obj.dataset()
    except SocialBasisError as exc:
        _fail(exc)
    from socialbasis.dataset import provenance_label

    click.echo(f"{dataset.gemeentenaam} ({dataset.gemeentecode}), {dataset.year}")
    click.echo(
        _("  buurten: {count}   wijken: {count2}   werkgebieden: {count3} ({status})").format(
            count=len(dataset.buurten),
            count2=len(dataset.wijken),
            count3=len(dataset.werkgebieden),
            status=dataset.area_mapping.status,
        )
    )
    click.echo(
        _("  initiatieven: {count}   locaties: {count2}").format(
            count=len(dataset.initiatives), count2=len(dataset.venues)
        )
        + (_("   (voorbeelddata)") if dataset.listings_are_examples else "")
    )
    click.echo(
        _("  afstanden: {how}").format(how=dataset.distance_label)
        + ("" if dataset.network is not None else _(" (lees een loopnetwerk in met 'netwerk')"))
    )
    for row in dataset.provenance.itertuples():
        click.echo(f"  {provenance_label(row.what)}: {row.source}")


@main.command(
    context_settings={"ignore_unknown_options": True},
    help=_("Start het dashboard (extra argumenten gaan naar Streamlit)."),
)
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def dashboard(obj: Context, streamlit_args: tuple[str, ...]) -> None:
    """Start het dashboard (extra argumenten gaan naar Streamlit)."""
    env = dict(os.environ)
    for name, value in obj.overrides.items():
        env[f"SOCIALBASIS_{name.upper()}"] = str(value)
    command = [sys.executable, "-m", "dashboard", *streamlit_args]
    raise SystemExit(subprocess.call(command, env=env, cwd=PROJECT_ROOT))


def _parse_date(value: str) -> date | None:
    if value == "alle":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(_("verwacht JJJJ-MM-DD of 'alle'")) from exc


def _supply_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say which layer and which supply count (kansen, voorstel)."""
    options = [
        click.option(
            "--layer",
            "--laag",
            "layer",
            required=True,
            type=click.Choice(codes(Layer)),
            help=_("Laag van de sociale basis."),
        ),
        click.option(
            "--tempo",
            type=click.Choice(list(WALKING_SPEEDS)),
            default="normaal",
            show_default=True,
            help=_("Wandeltempo: 4,8 km/u of 3 km/u."),
        ),
        click.option(
            "--doelgroep",
            multiple=True,
            type=click.Choice(codes(TargetGroup)),
            help=_("Alleen aanbod voor deze doelgroep (mag vaker)."),
        ),
        click.option(
            "--discipline",
            multiple=True,
            type=click.Choice(codes(Discipline)),
            help=_("Alleen aanbod van deze soort (mag vaker)."),
        ),
        click.option(
            "--datum",
            default=lambda: date.today().isoformat(),
            show_default="vandaag",
            help=_("Alleen aanbod dat loopt op deze datum (JJJJ-MM-DD), of 'alle'."),
        ),
        click.option(
            "--gewicht",
            multiple=True,
            metavar="CIJFER=GETAL",
            help=_("Gewicht van een behoeftecijfer, bv. pct_eenzaam=3 (mag vaker)."),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _supply(
    core: SocialBasis,
    tempo: str,
    gewicht: tuple[str, ...],
    doelgroep: tuple[str, ...],
    discipline: tuple[str, ...],
    datum: str,
) -> tuple[Filters, GapParams]:
    """What the ``_supply_options`` say: which activities count, and how walking and need
    weigh (a bad weight is an error of --gewicht)."""
    from socialbasis.analysis.filters import Filters

    active_on = _parse_date(datum)
    try:
        params = core.gap_params(tempo, ",".join(gewicht))
    except SocialBasisError as exc:
        raise click.BadParameter(str(exc), param_hint="--gewicht") from exc
    return Filters(target_groups=doelgroep, disciplines=discipline, active_on=active_on), params


@main.command(help=_("De kansenlijst: buurten gerangschikt naar kansscore voor één laag."))
@_supply_options
@click.option(
    "--format",
    "output",
    type=click.Choice(["csv", "json", "tabel"]),
    default="csv",
    show_default=True,
    help="Uitvoer.",
)
@click.option("--top", type=click.IntRange(min=1), help=_("Alleen de eerste N buurten."))
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
    core = obj.listings_core()
    filters, params = _supply(core, tempo, gewicht, doelgroep, discipline, datum)
    try:
        dataset = core.dataset()
    except SocialBasisError as exc:
        _fail(exc)
    walk = params.walk
    from socialbasis.analysis.need import available_indicators, need_basis_text
    from socialbasis.export import gaps_table
    from socialbasis.figures import figure_sources

    ranked = core.kansenlijst(layer, filters, params)
    table = gaps_table(ranked, dataset.gemeentecode, dataset.year, walk)
    if top:
        table = table.head(top)
    if not available_indicators(dataset.buurten):
        click.echo(
            _(
                "Let op: geen cijfers over behoefte geladen; de "
                "rangorde gebruikt alleen het aanbod."
            ),
            err=True,
        )
    else:
        sources = figure_sources(dataset.figures)
        click.echo(
            _("{need_basis_text} Bron: {items}.").format(
                need_basis_text=need_basis_text(dataset.buurten), items="; ".join(sources)
            ),
            err=True,
        )
    if dataset.listings_are_examples:
        click.echo(_("Let op: het aanbod is voorbeelddata (verzonnen)."), err=True)
    click.echo(_(ORDER_TEXT), err=True)
    if output == "json":
        click.echo(table.to_json(orient="records", force_ascii=False, indent=1))
    elif output == "tabel":
        shown = table[
            ["rank", "buurtcode", "buurtnaam", "score", "share_10min", "per_1000", "need", "reason"]
        ]
        click.echo(shown.to_string(index=False, max_colwidth=90))
    else:
        click.echo(table.to_csv(index=False, lineterminator="\n"), nl=False)


@main.command(
    help=_(
        "Stel de beste plekken voor om iets nieuws te beginnen: samen bereiken ze de meeste "
        "inwoners die nu niets binnen 10 minuten hebben (gewogen naar behoefte)."
    )
)
@_supply_options
@click.option(
    "--aantal",
    type=click.IntRange(1, 5),
    default=3,
    show_default=True,
    help=_("Hoeveel plekken (1 tot 5)."),
)
@click.option(
    "--kandidaten",
    type=click.Choice(["locaties", "cellen"]),
    default="locaties",
    show_default=True,
    help=_("Kies uit de locaties, of uit elk vak van 100 bij 100 meter."),
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["tabel", "csv", "json"]),
    default="tabel",
    show_default=True,
    help="Uitvoer.",
)
@click.pass_obj
def voorstel(
    obj: Context,
    layer: str,
    tempo: str,
    doelgroep: tuple[str, ...],
    discipline: tuple[str, ...],
    datum: str,
    gewicht: tuple[str, ...],
    aantal: int,
    kandidaten: str,
    output: str,
) -> None:
    """Stel de beste plekken voor om iets nieuws te beginnen."""
    core = obj.listings_core()
    filters, params = _supply(core, tempo, gewicht, doelgroep, discipline, datum)
    try:
        report = core.suggest(layer, filters, params, aantal, kandidaten)
        examples = core.dataset().listings_are_examples
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(report.maximised, err=True)
    if not report.optimal:
        click.echo(
            _("Let op: de rekentijd was op; dit is de beste keuze die tot dan gevonden was."),
            err=True,
        )
    if examples:
        click.echo(_("Let op: het aanbod is voorbeelddata (verzonnen)."), err=True)
    if output == "json":
        click.echo(report.places.to_json(orient="records", force_ascii=False, indent=1))
    elif output == "csv":
        click.echo(report.places.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        for row in report.places.itertuples():
            click.echo(f"{row.rank}. {row.text} ({number(row.lat, 5)}, {number(row.lon, 5)})")


@main.command(
    help=_(
        "Maak de gesprekskaart (PDF, A4) van een buurt of werkgebied: kaart, kansen, "
        "kerncijfers, locaties, partners en de tien stappen. Met --png ook de kaart als PNG."
    )
)
@_supply_options
@click.option("--buurt", "buurtcode", help=_("Buurtcode, bijvoorbeeld BU04792220."))
@click.option("--werkgebied", help=_("Naam van een werkgebied (in plaats van een buurt)."))
@click.option("--plan", "plan_number", type=int, help=_("Neem een opgeslagen plan mee (nummer)."))
@click.option(
    "--uit",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help=_("Het PDF-bestand dat gemaakt wordt."),
)
@click.option(
    "--png",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help=_("Schrijf de kaart ook als PNG (voor een presentatie)."),
)
@click.pass_obj
def rapport(
    obj: Context,
    layer: str,
    tempo: str,
    doelgroep: tuple[str, ...],
    discipline: tuple[str, ...],
    datum: str,
    gewicht: tuple[str, ...],
    buurtcode: str | None,
    werkgebied: str | None,
    plan_number: int | None,
    output: Path,
    png: Path | None,
) -> None:
    """Maak de gesprekskaart (PDF) van een buurt of werkgebied."""
    from socialbasis.report import map_png, meeting_pack_pdf
    from socialbasis.storage import atomic_path

    if (buurtcode is None) == (werkgebied is None):
        raise click.UsageError(_("Kies precies een van --buurt en --werkgebied."))
    core = obj.listings_core()
    filters, params = _supply(core, tempo, gewicht, doelgroep, discipline, datum)
    try:
        planned: tuple = ()
        if plan_number is not None:
            saved = core.open_plan(plan_number)
            if saved is None:
                raise click.BadParameter(
                    _("plan {number} bestaat niet").format(number=plan_number),
                    param_hint="--plan",
                )
            planned = saved.activities
        content = core.meeting_pack(layer, filters, params, buurtcode, werkgebied, planned)
    except SocialBasisError as exc:
        _fail(exc)
    with atomic_path(output) as target:
        target.write_bytes(meeting_pack_pdf(content))
    click.echo(_("Geschreven: {path}").format(path=output), err=True)
    if png is not None:
        with atomic_path(png) as target:
            target.write_bytes(map_png(content))
        click.echo(_("Geschreven: {path}").format(path=png), err=True)


@main.command(
    help=_(
        "Haal grenzen, kerncijfers, eenzaamheid, locaties en het loopnetwerk op voor een gemeente."
    )
)
@click.option("--gemeente", "gemeente_option", help=_("CBS-gemeentecode, bv. GM0479."))
@click.option("--jaar", "jaar_option", type=int, help=_("Jaar van grenzen en kerncijfers."))
@click.option(
    "--data-dir",
    "data_dir_option",
    type=click.Path(path_type=Path),
    help=_("Map waar de gegevens komen."),
)
@click.option(
    "--zonder",
    multiple=True,
    type=click.Choice(list(OPTIONAL_STEPS)),
    help=_("Sla een stap over (mag vaker)."),
)
@click.option("--opnieuw", is_flag=True, help=_("Haal alles opnieuw op, niet uit de cache."))
@click.option("--cbs-tabel", help=_("StatLine-tabel als de standaard voor dit jaar niet klopt."))
@click.option(
    "--rivm-tabel",
    help=_(
        "RIVM-tabel (eenzaamheid) als de standaard voor dit jaar niet klopt; let op: de "
        "buurtindeling van de tabel moet die van het jaar zijn."
    ),
)
@click.pass_obj
def fetch(
    obj: Context,
    gemeente_option: str | None,
    jaar_option: int | None,
    data_dir_option: Path | None,
    zonder: tuple[str, ...],
    opnieuw: bool,
    cbs_tabel: str | None,
    rivm_tabel: str | None,
) -> None:
    """Haal grenzen, kerncijfers, eenzaamheid, locaties en het loopnetwerk op voor een gemeente."""
    for name, value in (
        ("gemeente", gemeente_option),
        ("jaar", jaar_option),
        ("data_dir", data_dir_option),
    ):
        if value is not None:
            obj.overrides[name] = value
    core = obj.core()
    settings = core.settings
    steps = [s for s in STEPS if s not in zonder]
    click.echo(
        _("Ophalen: {gemeente}, {jaar} -> {data_dir}").format(
            gemeente=settings.gemeente, jaar=settings.jaar, data_dir=settings.data_dir
        )
    )

    def progress(step: str, message: str) -> None:
        number = steps.index(step) + 1
        click.echo(f"  [{number}/{len(steps)}] {_(STEPS[step])}: {message}")

    try:
        report = core.fetch(progress, zonder, opnieuw, cbs_tabel, rivm_tabel)
    except SocialBasisError as exc:
        click.echo(_("Er is niets opgeslagen; de vorige gegevens zijn er nog."), err=True)
        _fail(exc)
    click.echo(
        _("Klaar: {buurten} buurten, {venues} locaties, cijfers: ").format(
            buurten=report.buurten, venues=report.venues
        )
        + (", ".join(report.figures) or "geen")
    )
    if report.network_edges:
        click.echo(
            _("Loopnetwerk: {edges} stukken weg en pad; afstanden gaan over straat.").format(
                edges=report.network_edges
            )
        )
    for note in report.notes:
        click.echo(_("  let op: {note}").format(note=note))
    for problem in report.venue_problems:
        click.echo(_("  locatie afgekeurd: {describe}").format(describe=problem.describe()))
    click.echo(_("Opgeslagen in {path}").format(path=report.path))


def _column_map(pairs: tuple[str, ...]) -> dict[str, str]:
    try:
        from socialbasis.app import parse_column_map

        return parse_column_map(pairs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--kolom") from exc


def _prepare(
    obj: Context,
    path: Path,
    *,
    soort: str,
    kolom: tuple[str, ...],
    bron: str | None,
    geen_adres_zoeken: bool,
    blad: str | None,
) -> ImportReport:
    """Read and check a listing file against the loaded gemeente and what is stored."""
    try:
        return obj.listings_core().check_listing_file(
            path,
            path.name,
            kind=soort,
            column_map=_column_map(kolom),
            source_label=bron,
            geocode=not geen_adres_zoeken,
            sheet=blad,
        )
    except SocialBasisError as exc:
        _fail(exc)


def _print_report(report: ImportReport) -> None:
    click.echo(
        _("{source}: {format}, {rows_read} rijen gelezen").format(
            source=report.source, format=report.format, rows_read=report.rows_read
        )
    )
    if report.column_mapping:
        click.echo(
            _("  kolommen: ") + ", ".join(f"{k} -> {v}" for k, v in report.column_mapping.items())
        )
    for problem in report.problems:
        mark = _("FOUT") if problem.severity == "fout" else _("let op")
        click.echo(f"  {mark}: {problem.describe()}")
    click.echo(
        _("Goed: {count} rijen; geweigerd: {count2} rijen; meldingen: {count3}.").format(
            count=len(report.frame), count2=len(report.refused_rows), count3=len(report.warnings)
        )
    )
    if report.updates:
        click.echo(
            _("  {updates} rijen staan al opgeslagen (zelfde id): ze worden bijgewerkt.").format(
                updates=report.updates
            )
        )
    if report.likely_duplicates:
        click.echo(
            _("Lijkt dubbel met wat er al is ({count}):").format(
                count=len(report.likely_duplicates)
            )
        )
        for d in report.likely_duplicates:
            click.echo(
                _(
                    "  rij {row}: {name!r} ({id_}) ~ {existing_name!r} ({existing_id}): {reason}"
                ).format(
                    row=d.row,
                    name=d.name,
                    id_=d.id,
                    existing_name=d.existing_name,
                    existing_id=d.existing_id,
                    reason=d.reason,
                )
            )


_import_options = [
    click.option(
        "--soort",
        type=click.Choice(list(KINDS)),
        default="initiatieven",
        show_default=True,
        help=_("Wat het bestand bevat."),
    ),
    click.option(
        "--kolom",
        multiple=True,
        metavar="BRONKOLOM=VELD",
        help=_("Koppel een kolom aan een veld, bv. 'Wat=name' (mag vaker)."),
    ),
    click.option("--bron", help=_("Bron voor rijen zonder bron (standaard: de bestandsnaam).")),
    click.option(
        "--geen-adres-zoeken",
        is_flag=True,
        help=_("Zoek geen coördinaten bij adressen (PDOK Locatieserver)."),
    ),
    click.option("--blad", help=_("Tabblad van een Excel-bestand (standaard het eerste).")),
]


def _with_import_options(function: Callable[..., None]) -> Callable[..., None]:
    """The options validate and import share."""
    for option in reversed(_import_options):
        function = option(function)
    return function


@main.command(help=_("Controleer een bestand met aanbod; meldt elk probleem met rij en veld."))
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@_with_import_options
@click.pass_obj
def validate(obj: Context, path: Path, **options: Any) -> None:
    """Controleer een bestand met aanbod; meldt elk probleem met rij en veld."""
    report = _prepare(obj, path, **options)
    _print_report(report)
    if report.refused_rows or not report.ok:
        raise SystemExit(1)


def _duplicate_choices(pairs: tuple[str, ...]) -> dict[int, str]:
    choices = {}
    for pair in pairs:
        row, sep, choice = pair.partition("=")
        if not sep or not row.strip().isdigit() or choice.strip() not in DUPLICATE_CHOICES:
            raise click.BadParameter(
                _("{pair!r}: verwacht RIJ=KEUZE, bv. '12=beide'; keuzes: ").format(pair=pair)
                + ", ".join(DUPLICATE_CHOICES),
                param_hint="--dubbel-rij",
            )
        choices[int(row)] = choice.strip()
    return choices


@main.command(
    name="import",
    help=_(
        "Lees een bestand met aanbod in: de goede rijen worden opgeslagen (een "
        "opgeslagen id wordt bijgewerkt), de rest gemeld. Elke import is één "
        "wijzigingsset in de geschiedenis, als geheel ongedaan te maken."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@_with_import_options
@click.option(
    "--ongedaan-maken",
    "undo",
    type=int,
    metavar="WIJZIGINGSSET",
    help=_(
        "Maak een eerdere import (of andere wijzigingsset) als geheel ongedaan: elke rij "
        "krijgt precies de stand van ervoor terug. Zie 'socialbasis geschiedenis'."
    ),
)
@click.option(
    "--dubbel",
    type=click.Choice(list(DUPLICATE_CHOICES)),
    default="overslaan",
    show_default=True,
    help=_(
        "Wat te doen met een rij die lijkt op een opgeslagen vermelding met een andere id "
        "(zelfde naam binnen 100 m, of zelfde organisatie en adres): bijwerken, beide houden "
        "of overslaan."
    ),
)
@click.option(
    "--dubbel-rij",
    multiple=True,
    metavar="RIJ=KEUZE",
    help=_("Keuze voor één rij, bv. '12=beide' (mag vaker; gaat voor --dubbel)."),
)
@click.pass_obj
def import_(
    obj: Context,
    path: Path | None,
    undo: int | None,
    dubbel: str,
    dubbel_rij: tuple[str, ...],
    **options: Any,
) -> None:
    """Lees een bestand met aanbod in: de goede rijen worden opgeslagen (een opgeslagen id
    wordt bijgewerkt), de rest gemeld. Elke import is één wijzigingsset in de
    geschiedenis, als geheel ongedaan te maken."""
    if (path is None) == (undo is None):
        raise click.UsageError(_("Geef een bestand om in te lezen, of --ongedaan-maken N."))
    if undo is not None:
        _undo(obj, undo)
        return
    choices = _duplicate_choices(dubbel_rij)
    report = _prepare(obj, path, **options)
    _print_report(report)
    try:
        result = obj.core().apply_import(report, choices, dubbel)
    except SocialBasisError as exc:
        _fail(exc)
    for row, why in sorted(result.skipped.items()):
        click.echo(_("  niet ingelezen: rij {row}: {why}").format(row=row, why=why))
    if result.applied is not None:
        applied = result.applied
        click.echo(
            _("Opgeslagen als wijzigingsset {changeset}: {applied}.").format(
                changeset=applied.changeset, applied=applied
            )
        )
        click.echo(
            _("  Terugdraaien: socialbasis import --ongedaan-maken {changeset}").format(
                changeset=applied.changeset
            ),
        )
    if report.refused_rows or not report.ok or result.skipped:
        click.echo(_("Niet alles is ingelezen; zie de meldingen hierboven."), err=True)
        raise SystemExit(1)


def _undo(obj: Context, changeset: int) -> None:
    core = obj.listings_core()
    try:
        done = core.undo(changeset)
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(
        _("Wijzigingsset {changeset} is ongedaan gemaakt (als wijzigingsset {done}).").format(
            changeset=changeset, done=done
        )
    )


@main.command(
    help=_(
        "Wat er met een vermelding gebeurd is (wie, wanneer, wat, waarom); "
        "zonder ID: de laatste wijzigingssets van de gemeente."
    )
)
@click.argument("id", required=False)
@click.option("--aantal", type=int, default=20, show_default=True, help=_("Hoeveel sets."))
@click.pass_obj
def geschiedenis(obj: Context, id: str | None, aantal: int) -> None:
    """Wat er met een vermelding gebeurd is (wie, wanneer, wat, waarom); zonder ID: de
    laatste wijzigingssets van de gemeente."""
    core = obj.listings_core()
    if id is None:
        import pandas as pd

        sets = core.changesets().head(aantal)
        if not len(sets):
            click.echo(_("Nog geen wijzigingen."))
        for change in sets.itertuples():
            undone = (
                ""
                if pd.isna(change.undone_by)
                else _(", ongedaan door {undone_by:.0f}").format(undone_by=change.undone_by)
            )
            click.echo(
                _(
                    "{id_}: {at:%Y-%m-%d %H:%M} {actor} {action} ({rows} rijen) {reason}{undone}"
                ).format(
                    id_=change.id,
                    at=change.at,
                    actor=change.actor,
                    action=change.action,
                    rows=change.rows,
                    reason=change.reason,
                    undone=undone,
                )
            )
        return
    changes = core.history(id)
    if not changes:
        _fail(
            SocialBasisError(
                _("geen geschiedenis van {id_!r} in {gemeente}").format(
                    id_=id, gemeente=core.settings.gemeente
                )
            )
        )
    from socialbasis.db.store import describe_change

    for change in changes:
        click.echo(describe_change(change))


@main.command(
    help=_("Zet een vermelding op gestopt: weg van de kaart en uit de analyse, maar bewaard.")
)
@click.argument("id")
@click.option("--reden", required=True, help=_("Waarom, bv. 'gestopt per 1 maart'."))
@click.option("--soort", type=click.Choice(list(KINDS)), default="initiatieven", show_default=True)
@click.pass_obj
def gestopt(obj: Context, id: str, reden: str, soort: str) -> None:
    """Zet een vermelding op gestopt: weg van de kaart en uit de analyse, maar bewaard."""
    try:
        done = obj.listings_core().retire(id, reden, soort)
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(_("{id_} staat op gestopt (wijzigingsset {done}).").format(id_=id, done=done))


@main.command(help=_("Zet een gestopte vermelding terug op de kaart."))
@click.argument("id")
@click.option("--soort", type=click.Choice(list(KINDS)), default="initiatieven", show_default=True)
@click.pass_obj
def herstel(obj: Context, id: str, soort: str) -> None:
    """Zet een gestopte vermelding terug op de kaart."""
    try:
        done = obj.listings_core().restore(id, soort)
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(_("{id_} staat weer op de kaart (wijzigingsset {done}).").format(id_=id, done=done))


@main.command(
    help=_(
        "Lees inwoners per vierkant van 100 m in (CBS Vierkantstatistieken), "
        "zodat de dekking telt naar waar mensen wonen in plaats van naar oppervlakte."
    )
)
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--peiljaar",
    type=int,
    help=_("Jaar van de vierkantstatistiek (standaard: het jaar in de bestandsnaam)."),
)
@click.option("--kolom", help=_("Kolom met het aantal inwoners (standaard: aantal_inwoners)."))
@click.pass_obj
def bevolking(obj: Context, path: Path, peiljaar: int | None, kolom: str | None) -> None:
    """Lees inwoners per vierkant van 100 m in (CBS Vierkantstatistieken), zodat de dekking
    telt naar waar mensen wonen in plaats van naar oppervlakte."""
    core = obj.listings_core()
    try:
        dataset = core.dataset()
        population = core.read_population(path, peiljaar, kolom)
        written = core.save_population(population)
    except SocialBasisError as exc:
        _fail(exc)
    click.echo(population.summary(dataset.gemeentenaam))
    if "inwoners" in dataset.buurten:
        import pandas as pd

        known = pd.to_numeric(dataset.buurten["inwoners"], errors="coerce").sum()
        click.echo(
            _("  ter vergelijking, inwoners volgens de kerncijfers: {residents}").format(
                residents=number(known, 0)
            )
        )
    click.echo(_("Opgeslagen in {written}").format(written=written))


@main.command(
    help=_(
        "Lees een loopnetwerk in uit een OpenStreetMap-bestand (.osm.pbf of .osm), zodat "
        "afstanden over straat gaan in plaats van in rechte lijn."
    )
)
@click.argument(
    "path", required=False, type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@click.option(
    "--verwijder",
    is_flag=True,
    help=_("Verwijder het opgeslagen loopnetwerk: afstanden weer in rechte lijn."),
)
@click.pass_obj
def netwerk(obj: Context, path: Path | None, verwijder: bool) -> None:
    """Lees een loopnetwerk in uit een OpenStreetMap-bestand (.osm.pbf of .osm), zodat
    afstanden over straat gaan in plaats van in rechte lijn."""
    core = obj.listings_core()
    try:
        if verwijder:
            removed = core.remove_network()
            click.echo(
                _("Loopnetwerk verwijderd; afstanden zijn weer in rechte lijn.")
                if removed
                else _("Er was geen loopnetwerk opgeslagen.")
            )
            return
        if path is None:
            raise click.UsageError(_("geef een OpenStreetMap-bestand of --verwijder"))
        written = core.save_network(core.read_network(path))
        summary = core.network_summary()
    except SocialBasisError as exc:
        _fail(exc)
    assert summary is not None
    click.echo(network_text(summary))
    click.echo(_("Opgeslagen in {written}").format(written=written))


def network_text(summary: NetworkSummary) -> str:
    """What a stored network holds and its detours, in words."""
    lines = [
        _(
            "Loopnetwerk uit {source} (OpenStreetMap, {date}; © OpenStreetMap-bijdragers, "
            "ODbL): {nodes} knopen, {edges} stukken weg en pad, samen {km} km; {steps} "
            "trappen (met een rollator vermeden), {ferries} veerponten."
        ).format(
            source=summary.about.get("bron", "?"),
            date=summary.about.get("datum", "?"),
            nodes=number(summary.nodes, 0),
            edges=number(summary.edges, 0),
            km=number(summary.km, 0),
            steps=summary.steps,
            ferries=summary.ferries,
        ),
        _("Het netwerk bereikt {share} van de buurtmiddens.").format(
            share=percent(summary.centres_reached)
        ),
    ]
    if summary.pairs:
        lines.append(
            _(
                "Omweg van buurtmidden naar activiteiten op 200 m tot 2 km ({pairs} paren): "
                "over straat is mediaan {median} keer de rechte lijn, 90% is binnen {p90} "
                "keer, het meest {most} keer."
            ).format(
                pairs=summary.pairs,
                median=number(summary.detour_median, 2),
                p90=number(summary.detour_p90, 2),
                most=number(summary.detour_max, 1),
            )
        )
    lines.append(_("Afstanden gaan vanaf nu over straat."))
    return "\n".join(lines)


@main.command(help=_("Schrijf het (gefilterde) aanbod weg, bv. terug naar een sociale kaart."))
@click.option(
    "--formaat",
    type=click.Choice(list(EXPORT_FORMATS)),
    required=True,
    help=_(
        "excel/csv/geojson/gpkg/hsds: het aanbod (excel: voor Nederlandse Excel; csv: het "
        "vaste formaat om weer in te lezen); buurten: aantallen per buurt en laag (CSV met "
        "CBS-codes), buurten-excel: hetzelfde voor Excel."
    ),
)
@click.option(
    "--uit",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help=_("Bestand om te schrijven."),
)
@click.option("--soort", type=click.Choice(list(KINDS)), default="initiatieven", show_default=True)
@click.option("--laag", multiple=True, type=click.Choice(codes(Layer)))
@click.option("--doelgroep", multiple=True, type=click.Choice(codes(TargetGroup)))
@click.option(
    "--datum",
    default="alle",
    show_default=True,
    help=_("Alleen wat loopt op deze datum (JJJJ-MM-DD), of 'alle'."),
)
@click.option(
    "--met-contactpersoon",
    "with_contact_person",
    is_flag=True,
    help=_(
        "Neem de namen van contactpersonen op (persoonsgegevens: alleen als de ontvanger ze "
        "mag hebben)."
    ),
)
@click.pass_obj
def export(
    obj: Context,
    formaat: str,
    output: Path,
    soort: str,
    laag: tuple[str, ...],
    doelgroep: tuple[str, ...],
    datum: str,
    with_contact_person: bool,
) -> None:
    """Schrijf het (gefilterde) aanbod weg, bv. terug naar een sociale kaart."""
    from socialbasis.analysis.filters import Filters

    filters = Filters(layers=laag, target_groups=doelgroep, active_on=_parse_date(datum))
    if formaat == "hsds" and soort != "initiatieven":
        raise click.BadParameter(
            _("HSDS is voor activiteiten (services); kies --soort initiatieven"),
            param_hint="--formaat",
        )
    try:
        content, rows = obj.listings_core().export(
            formaat, filters, soort, laag, with_contact_person
        )
    except SocialBasisError as exc:
        _fail(exc)
    try:
        if not output.parent.exists():
            output.parent.mkdir(parents=True)
            click.echo(_("Map {parent} gemaakt").format(parent=output.parent))
        output.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(
            _("{output}: kan niet schrijven ({strerror})").format(
                output=output, strerror=exc.strerror
            )
        ) from exc
    click.echo(_("{rows} rijen geschreven naar {output}").format(rows=rows, output=output))


@main.group(
    help=_("Lokale accounts: wie het aanbod mag wijzigen als er geen inlog via de organisatie is.")
)
def gebruiker() -> None:
    pass


def _new_password(from_stdin: bool) -> str:
    """A password from standard input (for scripts) or typed twice, never as an argument:
    arguments end up in the shell's history and the process list."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(_("Wachtwoord"), hide_input=True, confirmation_prompt=True)


def _change_accounts(obj: Context, change: Callable[[Accounts], object]) -> object:
    """One change to the local accounts, by someone who may manage them; a refusal or a
    wrong value ends the command with its reason."""
    core = obj.listings_core()
    try:
        core.require(MANAGE)
        return change(core.accounts)
    except SocialBasisError as exc:
        _fail(exc)


_ROLE_OPTION = click.option(
    "--rol",
    type=click.Choice(list(ROLES)),
    default="redacteur",
    show_default=True,
    help=_("redacteur: aanbod wijzigen; beheerder: ook inlezen, ongedaan maken en accounts."),
)
_STDIN_OPTION = click.option(
    "--wachtwoord-van-stdin",
    "from_stdin",
    is_flag=True,
    help=_("Lees het wachtwoord van de standaardinvoer (voor scripts)."),
)


@gebruiker.command(name="toevoegen", help=_("Maak een lokaal account."))
@click.argument("naam")
@_ROLE_OPTION
@click.option("--weergavenaam", default="", help=_("Naam zoals het dashboard die toont."))
@_STDIN_OPTION
@click.pass_obj
def gebruiker_toevoegen(
    obj: Context, naam: str, rol: str, weergavenaam: str, from_stdin: bool
) -> None:
    account = _change_accounts(
        obj, lambda accounts: accounts.add(naam, _new_password(from_stdin), rol, weergavenaam)
    )
    click.echo(_("Account {name} gemaakt ({role}).").format(name=account.username, role=_(rol)))


@gebruiker.command(name="lijst", help=_("Toon de lokale accounts en hun rol."))
@click.pass_obj
def gebruiker_lijst(obj: Context) -> None:
    core = obj.listings_core()
    accounts = core.accounts.list()
    if not accounts:
        click.echo(_("Nog geen lokale accounts."))
    for account in accounts:
        locked = (
            _(" (geblokkeerd tot {moment})").format(moment=account.locked_until.strftime("%H:%M"))
            if account.locked_until is not None and account.locked_until > _now()
            else ""
        )
        shown = f" - {account.display_name}" if account.display_name else ""
        click.echo(f"{account.username}: {_(account.role)}{shown}{locked}")


@gebruiker.command(name="rol", help=_("Geef een account een andere rol."))
@click.argument("naam")
@click.argument("rol", type=click.Choice(list(ROLES)))
@click.pass_obj
def gebruiker_rol(obj: Context, naam: str, rol: str) -> None:
    _change_accounts(obj, lambda accounts: accounts.set_role(naam, rol))
    click.echo(_("{name} is nu {role}.").format(name=naam, role=_(rol)))


@gebruiker.command(name="wachtwoord", help=_("Geef een account een nieuw wachtwoord."))
@click.argument("naam")
@_STDIN_OPTION
@click.pass_obj
def gebruiker_wachtwoord(obj: Context, naam: str, from_stdin: bool) -> None:
    _change_accounts(obj, lambda accounts: accounts.set_password(naam, _new_password(from_stdin)))
    click.echo(_("Het wachtwoord van {name} is veranderd.").format(name=naam))


@gebruiker.command(name="ontgrendel", help=_("Hef de blokkade na te veel mislukte pogingen op."))
@click.argument("naam")
@click.pass_obj
def gebruiker_ontgrendel(obj: Context, naam: str) -> None:
    _change_accounts(obj, lambda accounts: accounts.unlock(naam))
    click.echo(_("{name} kan weer inloggen.").format(name=naam))


@gebruiker.command(
    name="verwijderen", help=_("Verwijder een lokaal account (de geschiedenis blijft).")
)
@click.argument("naam")
@click.pass_obj
def gebruiker_verwijderen(obj: Context, naam: str) -> None:
    _change_accounts(obj, lambda accounts: accounts.remove(naam))
    click.echo(_("Account {name} verwijderd.").format(name=naam))


def _now() -> datetime:
    return datetime.now(UTC)


@main.command(
    help=_(
        "De wijzigingen in het aanbod sinds een datum: wie, wanneer, wat, waarom; als tabel, "
        "als CSV of als Open Referral HSDS (om terug te sturen naar een sociale kaart)."
    )
)
@click.option("--sinds", required=True, help=_("Vanaf deze datum (JJJJ-MM-DD)."))
@click.option(
    "--formaat",
    type=click.Choice(["tabel", "csv", "hsds"]),
    default="tabel",
    show_default=True,
    help=_("tabel: om te lezen; csv: alle wijzigingen; hsds: de gewijzigde activiteiten nu."),
)
@click.option(
    "--uit",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Bestand om te schrijven (standaard: het scherm)."),
)
@click.pass_obj
def wijzigingen(obj: Context, sinds: str, formaat: str, output: Path | None) -> None:
    since = _parse_date(sinds)
    if since is None:
        raise click.BadParameter(_("verwacht JJJJ-MM-DD"), param_hint="--sinds")
    core = obj.listings_core()
    feed = core.change_feed(since)
    if formaat == "tabel":
        if not len(feed):
            click.echo(_("Geen wijzigingen sinds {day}.").format(day=since.isoformat()))
        for row in feed.itertuples():
            undone = (
                _(" (ongedaan gemaakt door {changeset})").format(changeset=row.undone_by)
                if not _is_missing(row.undone_by)
                else ""
            )
            what = row.fields or row.action
            click.echo(
                f"{row.changeset} {row.at:%Y-%m-%d %H:%M} {row.actor} {row.action} "
                f"{row.kind}/{row.id} {row.name!r}: {what} {row.reason}{undone}".rstrip()
            )
        return
    from socialbasis.export import csv_bytes

    content = core.change_feed_hsds(feed) if formaat == "hsds" else csv_bytes(feed)
    if output is None:
        click.echo(content.decode("utf-8"), nl=False)
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(
            _("{output}: kan niet schrijven ({strerror})").format(
                output=output, strerror=exc.strerror
            )
        ) from exc
    click.echo(_("{rows} rijen geschreven naar {output}").format(rows=len(feed), output=output))


def _is_missing(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
