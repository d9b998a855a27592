"""`veikart import-opensdg` and `veikart export-opensdg`.

    veikart import-opensdg sdg-data [--framework-id uk-sdg] [--default-direction none] [--problems p.csv]
    veikart export-opensdg site-data [--framework uk-sdg] [--as-of 2026-01-31]

See docs/opensdg.md."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from veikart.app import opensdg as uc
from veikart.cli._common import app, err, open_app, out, print_import, user_errors
from veikart.core.model import Direction
from veikart.i18n import _, fmt_number

if TYPE_CHECKING:
    from veikart.opensdg.report import OpenSdgReport
    from veikart.package.problems import Problem

__all__ = ["MAX_SHOWN", "export_opensdg_cmd", "import_opensdg_cmd", "write_problems_csv"]

#: Problems printed on the terminal; --problems FILE has them all.
MAX_SHOWN = 50
PROBLEM_COLUMNS = ("file", "line", "column", "field", "message", "hint")


def write_problems_csv(path: Path, problems: list[Problem]) -> None:
    """Every problem as a CSV row: file, line, column, field, message, hint (UTF-8)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(PROBLEM_COLUMNS)
        for p in problems:
            w.writerow([p.file, p.line or "", p.column or "", p.field or "", p.message, p.hint or ""])


def _print_problems(report: OpenSdgReport, problems_file: Path | None) -> None:
    """The first MAX_SHOWN problems on stderr (file:line:column: field: message (fix: hint)),
    then how many more there are and where to find them."""
    shown = report.problems[:MAX_SHOWN]
    for p in shown:
        err.print(str(p), soft_wrap=True, markup=False, highlight=False)
    more = report.problem_count - sum(p.hidden or 1 for p in shown)
    if more > 0:
        if problems_file is not None:
            message = _("{count} more problem(s); all of them are in {path}").format(
                count=fmt_number(more), path=problems_file
            )
        else:
            message = _("{count} more problem(s); see --problems FILE").format(count=fmt_number(more))
        err.print(message, soft_wrap=True, markup=False)


@app.command("import-opensdg")
def import_opensdg_cmd(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Open SDG data repository (the folder with data/ and meta/).")
    ],
    framework_id: Annotated[
        str | None, typer.Option("--framework-id", help="Framework id (default: the folder name).")
    ] = None,
    default_direction: Annotated[
        Direction,
        typer.Option(
            "--default-direction",
            help="Direction of indicators whose metadata ask for no progress calculation.",
            case_sensitive=False,
        ),
    ] = Direction.NONE,
    actor: Annotated[str | None, typer.Option(help="Who makes the change.")] = None,
    problems: Annotated[
        Path | None, typer.Option("--problems", help="Write every problem to this CSV file.")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace a framework of the same id that came from elsewhere (a package)."),
    ] = False,
) -> None:
    """Import an Open SDG data repository as a framework, all or nothing. Rows that cannot be read
    are skipped and reported (file:line:column); the rest is stored. A store that does not exist
    yet is created."""

    def show(report: OpenSdgReport) -> None:
        if problems is not None:
            write_problems_csv(problems, report.problems)
        _print_problems(report, problems)
        for line in report.summary_lines():
            out.print(line, soft_wrap=True, markup=False)

    with user_errors(), open_app(ctx, actor) as app_ctx:
        _report, summary = uc.import_opensdg(
            app_ctx, directory, framework_id, default_direction=default_direction, on_report=show, replace=replace
        )
        print_import(summary, str(directory))


@app.command("export-opensdg")
def export_opensdg_cmd(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder to write (new, empty, or an Open SDG data repository to replace).")
    ],
    framework: Annotated[
        str | None, typer.Option(help="Framework id, when the store holds several.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Export what was known on this date.")
    ] = None,
) -> None:
    """Write a framework from the store as an Open SDG data repository: data/, meta/, the build
    configuration and the progress calculation components."""
    with user_errors(), open_app(ctx) as app_ctx:
        written = uc.export_opensdg(app_ctx, directory, framework, as_of=as_of)
    for line in written.summary_lines():
        out.print(line, soft_wrap=True, markup=False)
