"""`veikart report`: the council's status report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veikart.app import report as uc
from veikart.cli._common import app, err, open_app, out, user_errors
from veikart.i18n import _

__all__ = ["report_cmd"]


@app.command("report")
def report_cmd(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.pptx, report.pdf, report.html and manifest.json.")],
    period: Annotated[str | None, typer.Option(help="Reporting period, e.g. 2026-01 (default: the latest).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: pptx,pdf,html.")] = "pptx,pdf,html",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Build from the data known on this date.")] = None,
    template: Annotated[Path | None, typer.Option(help="An organisation's own .pptx with its slide master.")] = None,
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
    report_lang: Annotated[str | None, typer.Option("--lang", help="nb or en (default: the global --lang).")] = None,
) -> None:
    """Build the council's status report as PPTX, PDF and HTML from one source."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from veikart.report import FORMATS

    with user_errors(), open_app(ctx) as app_ctx:
        chosen = uc.check_formats(formats)
        stages = ["load", "progress", "compose", "charts", *[f for f in FORMATS if f in chosen], "write"]
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task(_("Building the report"), total=len(stages))

            def step(name: str) -> None:
                bar.update(task, completed=stages.index(name) if name in stages else 0, description=name)

            files = uc.build_report(
                app_ctx,
                out_dir,
                period=period,
                formats=chosen,
                as_of=as_of,
                template=template,
                framework=framework,
                lang=report_lang,
                step=step,
            )
            bar.update(task, completed=len(stages))
    for fmt, path in files.items():
        out.print(f"{fmt}: {path}", soft_wrap=True, markup=False)
