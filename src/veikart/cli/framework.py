"""`veikart init`, `import`, `export`, `validate`, `summary` and `schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from veikart.app import framework as uc
from veikart.cli._common import app, err, open_app, out, print_import, safe_url, user_errors
from veikart.i18n import _, fmt_date, fmt_number
from veikart.i18n.labels import label
from veikart.package.problems import PackageInvalid

__all__ = ["backup_cmd", "export_cmd", "import_cmd", "init_cmd", "schema_cmd", "summary_cmd", "validate_cmd"]


@app.command("init")
def init_cmd(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="Who makes the change (default: VEIKART_ACTOR or login).")] = None,
    empty: Annotated[
        bool, typer.Option("--empty", help="Create the store's schema only, without the bundled e-health roadmap.")
    ] = False,
    reset_default: Annotated[
        bool,
        typer.Option(
            "--reset-default",
            help="Load the bundled roadmap even over newer changes of yours (they stay in the history).",
        ),
    ] = False,
) -> None:
    """Create the store (or bring it to the newest schema) and load the bundled e-health roadmap,
    unless the store holds newer changes of yours to it."""
    with user_errors(), open_app(ctx, actor) as app_ctx:
        result = uc.init_store(app_ctx, empty=empty, reset=reset_default)
        if result.summary is not None:
            print_import(result.summary, _("the bundled e-health roadmap"))
        elif result.kept_at is not None:
            out.print(
                _(
                    "The store holds framework {fid} as changed by {actor} on {date}; the bundled roadmap "
                    "was not loaded over it (use --reset-default to load it anyway)."
                ).format(fid=result.framework_id, actor=result.kept_by, date=fmt_date(result.kept_at.date())),
                soft_wrap=True,
                markup=False,
            )
        else:
            out.print(_("Created an empty store."), soft_wrap=True, markup=False)
        out.print(_("Database: {url}").format(url=safe_url(app_ctx.store().url)), soft_wrap=True, markup=False)


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Framework package folder.")],
    actor: Annotated[str | None, typer.Option(help="Who makes the change.")] = None,
) -> None:
    """Load a framework package, all or nothing: on any error the store stays as it was. A store
    that does not exist yet is created."""
    with user_errors(), open_app(ctx, actor) as app_ctx:
        summary = uc.import_package(app_ctx, directory)
        print_import(summary, str(directory))


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder to write (new, empty, or a package to replace).")],
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Export what was known on this date.")] = None,
) -> None:
    """Write a framework from the store as a package in canonical form."""
    with user_errors(), open_app(ctx) as app_ctx:
        written, data = uc.export_package(app_ctx, directory, framework, as_of)
        out.print(
            _("Wrote {count} files ({obs} observations) to {path}.").format(
                count=len(written), obs=fmt_number(data.observation_count()), path=directory
            )
        )


@app.command("validate")
def validate_cmd(directory: Annotated[Path, typer.Argument(help="Framework package folder.")]) -> None:
    """Check a package and print every error with file, line, column, field and a fix."""
    try:
        data = uc.validate_package(directory)
    except PackageInvalid as exc:
        err.print(exc.translated(), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    message = _("{path}: valid ({ind} indicators, {obs} observations, {per} periods).").format(
        path=directory,
        ind=len(data.indicators),
        obs=fmt_number(data.observation_count()),
        per=len(data.periods),
    )
    out.print(message, soft_wrap=True, markup=False)


@app.command("summary")
def summary_cmd(
    ctx: typer.Context,
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
) -> None:
    """A table of the strategy: goals, indicators, latest values and ambitions."""
    with user_errors(), open_app(ctx) as app_ctx:
        view = uc.summary(app_ctx, framework)
    fw = view.data.framework
    out.print(f"[bold]{fw.title}[/] ({fw.owner}), {fw.base_year}-{fw.horizon_year}")
    for goal_id, title, rows in view.goals:
        out.print()
        out.print(f"[bold]{_('Goal')} {goal_id}: {title}[/]")
        table = Table(show_header=True, expand=False)
        table.add_column(_("Indicator"), overflow="fold", ratio=3)
        table.add_column(_("Latest value"), ratio=1)
        table.add_column(_("Ambition"), overflow="fold", ratio=2)
        table.add_column(_("Data"), ratio=1)
        for row in rows:
            table.add_row(
                f"{escape(row.indicator.title)} [dim]({escape(row.indicator.id)})[/]",
                escape(row.latest),
                escape(row.ambition),
                escape(row.provenance),
            )
        out.print(table)
    for per in view.data.periods.values():
        out.print(_("Reporting period {id}: {title}, {date} ({state})").format(
            id=per.id, title=per.title, date=fmt_date(per.date), state=label(per.state)
        ))
    out.print(_("Illustrative data are made up to draw charts whose values cannot be read; not official figures."))


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The new file for the copy.")],
) -> None:
    """Copy a SQLite store into a new file, consistently, while others may read and write it
    (PostgreSQL: use pg_dump)."""
    with user_errors(), open_app(ctx) as app_ctx:
        uc.backup_store(app_ctx, target)
    out.print(_("Backed up the store to {path}.").format(path=target), soft_wrap=True, markup=False)


@app.command("schema")
def schema_cmd(directory: Annotated[Path, typer.Argument(help="Folder for the JSON Schema files.")]) -> None:
    """Write the JSON Schema of the package format, generated from the model."""
    from veikart.package.schema import write_schemas

    with user_errors():
        for path in write_schemas(directory):
            out.print(str(path))

