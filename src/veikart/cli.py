"""The `veikart` command line."""

from __future__ import annotations

import getpass
import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from platformdirs import user_data_path
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import veikart
from veikart.core.model import Ambition, Indicator, Provenance
from veikart.core.periods import Period, date_as_fractional_year
from veikart.i18n import _, fmt_date, fmt_number, fmt_percent, set_language
from veikart.i18n.labels import label, progress_badge
from veikart.i18n.labels import label as enum_label
from veikart.package.problems import PackageInvalid, format_problems
from veikart.package.problems import TargetNotEmpty
from veikart.store.errors import StoreError

if TYPE_CHECKING:  # the database layer, numpy and the views load only for the commands that use them
    from veikart.core.dataset import FrameworkData
    from veikart.store.store import ImportSummary, Store

app = typer.Typer(
    name="veikart",
    help="Veikart: strategi, indikatorer, framdrift og statusrapport.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# No emoji codes (":100:" in "file.csv:100:2" would become an emoji) and no highlighting.
out = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)

DEFAULT_PACKAGE = "data/default"


class _State:
    db: str = ""


state = _State()


def default_db_url() -> str:
    return f"sqlite:///{user_data_path('veikart') / 'veikart.sqlite'}"


def _version(value: bool) -> None:
    if value:
        out.print(f"veikart {veikart.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    db: Annotated[
        Optional[str],
        typer.Option("--db", envvar="VEIKART_DATABASE_URL", help="Database URL (SQLite file or PostgreSQL)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", envvar="VEIKART_LANG", help="nb or en.")] = "nb",
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    state.db = db or default_db_url()
    try:
        set_language(lang)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from None


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]{escape(_('Error'))}:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(1)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn expected failures into a message on stderr and exit status 1, never a traceback."""
    try:
        yield
    except PackageInvalid as exc:
        err.print(format_problems(exc.problems), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except StoreError as exc:
        raise _fail(exc.translated()) from None
    except TargetNotEmpty as exc:
        raise _fail(
            _("{path} is not empty and is not a framework package; choose a new or empty folder").format(path=exc)
        ) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or ''}: {exc.strerror}") from None


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    env = os.environ.get("VEIKART_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"


def _as_of(value: str | None) -> datetime | None:
    """A date (end of that day, UTC) or an ISO timestamp."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max)
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed.astimezone().replace(tzinfo=None)
    except ValueError:
        raise _fail(_("--as-of {value!r} is not a date; write YYYY-MM-DD").format(value=value)) from None


def _open_store(*, create: bool = False) -> Store:
    from veikart.store.store import Store

    store = Store(state.db)
    if create:
        store.migrate()
    else:
        store.check_ready()
    return store


def _read(path: Path) -> FrameworkData:
    from veikart.package.reader import check_package

    data, problems = check_package(path)
    if problems or data is None:
        raise PackageInvalid(problems)
    return data


def _print_import(summary: ImportSummary, source: str) -> None:
    if summary.changeset_id is None:
        message = _("{source}: no changes; the database already holds this framework.").format(source=source)
    else:
        message = _(
            "{source}: imported framework {fid} (change {cs}): {created} new, {updated} changed, "
            "{removed} removed; observations: {added} new, {revised} revised, {gone} removed."
        ).format(
            source=source,
            fid=summary.framework_id,
            cs=summary.changeset_id,
            created=len(summary.created),
            updated=len(summary.updated),
            removed=len(summary.removed),
            added=fmt_number(summary.observations_added),
            revised=fmt_number(summary.observations_revised),
            gone=fmt_number(summary.observations_removed),
        )
    out.print(message, soft_wrap=True, markup=False)


@app.command("init")
def init_cmd(
    actor: Annotated[Optional[str], typer.Option(help="Who makes the change (default: VEIKART_ACTOR or login).")] = None,
) -> None:
    """Create the store (or bring it to the newest schema) and load the bundled e-health roadmap."""
    with _user_errors():
        store = _open_store(create=True)
        with as_file(files("veikart") / DEFAULT_PACKAGE) as path:
            data = _read(Path(path))
        summary = store.import_data(data, actor=_actor(actor), action="init")
        _print_import(summary, _("the bundled e-health roadmap"))
        out.print(_("Database: {url}").format(url=_safe_url(store.url)))


@app.command("import")
def import_cmd(
    directory: Annotated[Path, typer.Argument(help="Framework package folder.")],
    actor: Annotated[Optional[str], typer.Option(help="Who makes the change.")] = None,
) -> None:
    """Load a framework package, all or nothing: on any error the store stays as it was."""
    with _user_errors():
        data = _read(directory)
        store = _open_store()
        summary = store.import_data(data, actor=_actor(actor))
        _print_import(summary, str(directory))


@app.command("export")
def export_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder to write (new, empty, or a package to replace).")],
    framework: Annotated[Optional[str], typer.Option(help="Framework id, when the store holds several.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Export what was known on this date.")] = None,
) -> None:
    """Write a framework from the store as a package in canonical form."""
    with _user_errors():
        when = _as_of(as_of)
        store = _open_store()
        data = store.load(framework, as_of=when)
        from veikart.package.writer import write_package

        written = write_package(data, directory)
        out.print(
            _("Wrote {count} files ({obs} observations) to {path}.").format(
                count=len(written), obs=fmt_number(data.observation_count()), path=directory
            )
        )


@app.command("validate")
def validate_cmd(directory: Annotated[Path, typer.Argument(help="Framework package folder.")]) -> None:
    """Check a package and print every error with file, line, column, field and a fix."""
    from veikart.package.reader import check_package

    data, problems = check_package(directory)
    if problems or data is None:
        err.print(format_problems(problems, stored=False), soft_wrap=True, markup=False)
        raise typer.Exit(1)
    message = _("{path}: valid ({ind} indicators, {obs} observations, {per} periods).").format(
        path=directory,
        ind=len(data.indicators),
        obs=fmt_number(data.observation_count()),
        per=len(data.periods),
    )
    out.print(message, soft_wrap=True, markup=False)


@app.command("summary")
def summary_cmd(
    framework: Annotated[Optional[str], typer.Option(help="Framework id, when the store holds several.")] = None,
) -> None:
    """A table of the strategy: goals, indicators, latest values and ambitions."""
    with _user_errors():
        data = _open_store().load(framework)
    fw = data.framework
    out.print(f"[bold]{fw.title}[/] ({fw.owner}), {fw.base_year}-{fw.horizon_year}")
    by_goal: dict[str, list[Indicator]] = {}
    for ind in data.indicators.values():
        by_goal.setdefault(ind.goal, []).append(ind)
    for goal in fw.goals:
        out.print()
        out.print(f"[bold]{_('Goal')} {goal.id}: {goal.title}[/]")
        table = Table(show_header=True, expand=False)
        table.add_column(_("Indicator"), overflow="fold", ratio=3)
        table.add_column(_("Latest value"), ratio=1)
        table.add_column(_("Ambition"), overflow="fold", ratio=2)
        table.add_column(_("Data"), ratio=1)
        for ind in by_goal.get(goal.id, []):
            latest, provenance = _latest(data, ind)
            ambition = "; ".join(_ambition_text(a, ind) for a in ind.ambitions if not a.scope)
            if ind.projection_only:
                ambition = _("projection only")
            table.add_row(f"{ind.title} [dim]({ind.id})[/]", latest, ambition or "-", provenance)
        out.print(table)
    for per in data.periods.values():
        out.print(_("Reporting period {id}: {title}, {date} ({state})").format(
            id=per.id, title=per.title, date=fmt_date(per.date), state=enum_label(per.state)
        ))
    out.print(_("Illustrative data are made up to draw charts whose values cannot be read; not official figures."))


def _fmt_value(value: float, ind: Indicator) -> str:
    if ind.unit.value == "percent":
        return fmt_percent(value)
    return fmt_number(value)


def _latest(data: FrameworkData, ind: Indicator) -> tuple[str, str]:
    table = data.observations.get(ind.id)
    if table is None or not len(table):
        return "-", "-"
    totals = [i for i in range(len(table)) if not any(table.keys[i]) and table.values[i] is not None]
    rows = totals or [i for i in range(len(table)) if table.values[i] is not None]
    if not rows:
        return "-", "-"
    i = max(rows, key=lambda r: Period.parse(table.periods[r]))
    label = _fmt_value(table.values[i], ind) + f" ({table.periods[i]})"
    if not totals:  # no national/total series: show the latest of one named series
        label += " [" + ", ".join(v for v in table.keys[i] if v) + "]"
    kinds = sorted({table.provenance[r] for r in range(len(table))})
    return label, ", ".join(enum_label(Provenance(k)) for k in kinds)


def _ambition_text(a: Ambition, ind: Indicator) -> str:
    return a.label or f"{_fmt_value(a.value, ind)} {fmt_date(a.deadline)}"


def _load_for_progress(framework: str | None, as_of: str | None, period: str | None) -> tuple[FrameworkData, float | None]:
    when = _as_of(as_of)
    data = _open_store().load(framework, as_of=when)
    now = None
    if period is not None:
        per = data.periods.get(period)
        if per is None:
            raise _fail(
                _("period {id!r} is not in the framework; it has: {ids}").format(
                    id=period, ids=", ".join(data.periods) or "-"
                )
            )
        now = date_as_fractional_year(per.date)
    return data, now


@app.command("progress")
def progress_cmd(
    period: Annotated[Optional[str], typer.Option(help="Reporting period (e.g. 2026-01): pace is counted from its date.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Use the data known on this date.")] = None,
    framework: Annotated[Optional[str], typer.Option(help="Framework id, when the store holds several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per indicator, with its series.")] = False,
) -> None:
    """Status, score, projection and explanation of every indicator (methodology.md)."""
    with _user_errors():
        data, now = _load_for_progress(framework, as_of, period)
    from veikart.core.assess import assess_framework
    from veikart.views.explain import explain_indicator, explain_series
    from veikart.views.records import indicator_record

    results = assess_framework(data, now=now)
    if as_json:
        records = [indicator_record(r) for r in results]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=_("Progress: {title}").format(title=data.framework.title), show_lines=True)
    table.add_column(_("Indicator"), overflow="fold", ratio=2)
    table.add_column(_("Status"), ratio=1)
    table.add_column(_("Explanation"), overflow="fold", ratio=4)
    for r in results:
        b = progress_badge(r.status.value)
        status = f"[{b.colour}]\u25cf[/] {escape(b.label)}"
        if r.score is not None:
            status += f"\n{_('score')} {fmt_number(r.score, 1)}"
        table.add_row(escape(f"{r.indicator.title} ({r.indicator.id})"), status, escape(explain_indicator(r)))
        for srs in r.series:
            if srs is r.headline or srs.progress is None or not srs.scope:
                continue
            sb = progress_badge(srs.progress.status.value)
            table.add_row(
                escape("  " + ", ".join(srs.scope.values())),
                f"[{sb.colour}]\u25cb[/] {escape(sb.label)}",
                escape(explain_series(r.indicator, srs)),
            )
    out.print(table)


@app.command("backtest")
def backtest_cmd(
    holdout: Annotated[int, typer.Option(min=1, help="Observations held out at the end of each series.")] = 1,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Use the data known on this date.")] = None,
    framework: Annotated[Optional[str], typer.Option(help="Framework id, when the store holds several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hold out the last K observations of each series, project from the rest with each model,
    and print each model's mean absolute percentage error and bias."""
    with _user_errors():
        data, _now = _load_for_progress(framework, as_of, None)
    from veikart.core.assess import backtest_framework

    rows = backtest_framework(data, holdout)
    if as_json:
        payload = [
            {
                "model": r.model.value,
                "mape": None if math.isnan(r.summary.mape) else round(r.summary.mape, 3),
                "bias": None if math.isnan(r.summary.bias) else round(r.summary.bias, 3),
                "series": r.summary.n_series,
                "points": r.summary.n_errors,
                "chosen_by": r.chosen_by,
                "holdout": holdout,
            }
            for r in rows
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=_("Backtest, last {k} observation(s) held out").format(k=holdout))
    for col in (_("Model"), _("Series"), _("Points"), _("MAPE"), _("Bias"), _("Chosen in metadata")):
        table.add_column(col)
    for r in rows:
        mape = "-" if math.isnan(r.summary.mape) else fmt_percent(r.summary.mape, 1)
        bias = "-" if math.isnan(r.summary.bias) else fmt_percent(r.summary.bias, 1)
        table.add_row(label(r.model), str(r.summary.n_series), str(r.summary.n_errors), mape, bias, str(r.chosen_by))
    out.print(table)
    out.print(_("Illustrative data are made up to draw charts whose values cannot be read; not official figures."))


@app.command("report")
def report_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.pptx, report.pdf, report.html and manifest.json.")],
    period: Annotated[Optional[str], typer.Option(help="Reporting period, e.g. 2026-01 (default: the latest).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: pptx,pdf,html.")] = "pptx,pdf,html",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Build from the data known on this date.")] = None,
    template: Annotated[Optional[Path], typer.Option(help="An organisation's own .pptx with its slide master.")] = None,
    framework: Annotated[Optional[str], typer.Option(help="Framework id, when the store holds several.")] = None,
    report_lang: Annotated[Optional[str], typer.Option("--lang", help="nb or en (default: the global --lang).")] = None,
) -> None:
    """Build the council's status report as PPTX, PDF and HTML from one source."""
    from veikart.i18n import current_language
    from veikart.report import FORMATS
    from veikart.views import render

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise _fail(_("unknown format {fmt!r}; choose from pptx, pdf, html").format(fmt=",".join(unknown) or formats))
    if template is not None and not template.is_file():
        raise _fail(_("template {path} does not exist").format(path=template))
    lang = report_lang or current_language()
    if lang not in ("nb", "en"):
        raise _fail(_("language {lang!r} is not supported; choose nb or en").format(lang=lang))
    stages = ["load", "progress", "compose", "charts", *[f for f in FORMATS if f in chosen], "write"]
    # the chart workers start (their JavaScript engines take about half a second) while this
    # process imports the builder, loads the data and composes the report
    render.warm_up()
    try:
        files = _report(out_dir, period, chosen, as_of, template, framework, lang, stages)
    finally:
        render.cool_down()  # not used (the build failed before its charts): stopped
    for fmt, path in files.items():
        out.print(f"{fmt}: {path}", soft_wrap=True, markup=False)


def _report(
    out_dir: Path,
    period: str | None,
    formats: tuple[str, ...],
    as_of: str | None,
    template: Path | None,
    framework: str | None,
    lang: str,
    stages: list[str],
) -> dict[str, Path]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from veikart.report.build import build_report

    with _user_errors():
        when = _as_of(as_of)
        store = _open_store()
        if period is None:
            data = store.load(framework, as_of=when)
            if data.periods:
                period = max(data.periods.values(), key=lambda p: p.date).id
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task(_("Building the report"), total=len(stages))

            def step(name: str) -> None:
                bar.update(task, completed=stages.index(name) if name in stages else 0, description=name)

            result = build_report(
                store,
                period_id=period,
                out_dir=out_dir,
                formats=formats,
                lang=lang,
                as_of=when,
                framework_id=framework,
                template=template,
                step=step,
            )
            bar.update(task, completed=len(stages))
    return result.files


@app.command("audit")
def audit_cmd(
    framework: Annotated[Optional[str], typer.Option(help="Only changes to this framework.")] = None,
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """The audit trail: who changed what, when, old -> new."""
    with _user_errors():
        entries = _open_store().audit_trail(framework, limit)
    if as_json:
        for e in entries:
            out.print_json(
                json.dumps(
                    {
                        "changeset": e.changeset_id,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "entity": e.entity,
                        "id": e.entity_id,
                        "op": e.op,
                        "old": e.old,
                        "new": e.new,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table()
    for col in (_("Change"), _("When (UTC)"), _("Who"), _("Action"), _("What"), _("Operation")):
        table.add_column(col)
    for e in entries:
        table.add_row(str(e.changeset_id), e.at.strftime("%d.%m.%Y %H:%M:%S"), e.actor, e.action, f"{e.entity}:{e.entity_id}", e.op)
    out.print(table)


@app.command("schema")
def schema_cmd(directory: Annotated[Path, typer.Argument(help="Folder for the JSON Schema files.")]) -> None:
    """Write the JSON Schema of the package format, generated from the model."""
    from veikart.package.schema import write_schemas

    with _user_errors():
        for path in write_schemas(directory):
            out.print(str(path))


def _safe_url(url: str) -> str:
    """The URL without a password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)




# Commands that live in their own modules register themselves on `app` when imported.
from veikart import cli_opendata, cli_opensdg  # noqa: E402,F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
