"""`veikart export-data`: the open-data files of every indicator.

The export machinery is imported inside the command, so that other commands do not pay for it.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from veikart.app import opendata as uc
from veikart.cli._common import app, err, fail, open_app, out, user_errors
from veikart.i18n import _, fmt_number

if TYPE_CHECKING:
    from veikart.app.opendata import OpenDataExport

__all__ = ["export_data_cmd"]


class DefaultDirection(StrEnum):
    none = "none"
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


@app.command("export-data")
def export_data_cmd(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder to write (new, empty, or a previous export to update).")
    ],
    framework: Annotated[
        str | None,
        typer.Option(
            help="Framework id, when the store holds several (with --from-opensdg: the id to give it)."
        ),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Export the data known on this date.")] = None,
    from_opensdg: Annotated[
        Path | None,
        typer.Option(
            "--from-opensdg",
            help="Read an Open SDG data repository instead of the store (re-reading only changed files).",
        ),
    ] = None,
    default_direction: Annotated[
        DefaultDirection,
        typer.Option(help="With --from-opensdg: the direction of indicators whose metadata name none."),
    ] = DefaultDirection.none,
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: the number of CPUs).")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Ignore the build cache: rebuild every file.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="With --from-opensdg: keep running and rebuild whenever a file changes (Ctrl-C stops).",
        ),
    ] = False,
    interval: Annotated[float, typer.Option(min=0.05, help="With --watch: seconds between checks.")] = 0.5,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print a JSON summary (with timings); one line per build with --watch."),
    ] = False,
) -> None:
    """Write the open data: per indicator a CSV and a JSON file (metadata, observations,
    progress, chart), an index, the framework, published periods and a ZIP of it all. Only
    indicators whose data changed since the last export are rebuilt."""
    if from_opensdg is not None and as_of is not None:
        raise fail(_("--as-of reads the store; it cannot be combined with --from-opensdg"))
    if watch and from_opensdg is None:
        raise fail(_("--watch follows an Open SDG repository; give it with --from-opensdg"))

    def once(rebuild_all: bool) -> dict[str, Any]:
        started = time.perf_counter()
        with user_errors(), open_app(ctx) as app_ctx, _bar(as_json) as progress:
            if from_opensdg is not None:
                done = uc.export_from_opensdg(
                    app_ctx,
                    directory,
                    from_opensdg,
                    framework,
                    default_direction=default_direction.value,
                    jobs=jobs,
                    rebuild=rebuild_all,
                    progress=progress,
                )
            else:
                done = uc.export_from_store(
                    app_ctx, directory, framework, as_of=as_of, jobs=jobs, rebuild=rebuild_all, progress=progress
                )
        if not as_json:
            _print(done, from_opensdg)
        summary = done.as_json()
        summary["timings"]["command"] = round(time.perf_counter() - started, 4)
        if as_json:
            indent = None if watch else 2
            sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=indent, sort_keys=True) + "\n")
            sys.stdout.flush()
        return summary

    if not watch:
        once(rebuild)
        return
    assert from_opensdg is not None
    _watch(from_opensdg, once, rebuild, interval, as_json)


def _watch(repo: Path, once: Any, rebuild: bool, interval: float, quiet: bool) -> None:
    """Build, then rebuild on every change of the repository until Ctrl-C (or SIGTERM)."""
    import signal

    from veikart.opendata.opensdg_source import wait_for_change

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        table = wait_for_change(repo, None)
        first = True
        while True:
            try:
                once(rebuild and first)
            except typer.Exit:
                pass  # the error is printed; keep watching for the fix
            first = False
            if not quiet:
                err.print(_("Watching {path} for changes (Ctrl-C stops).").format(path=escape(str(repo))))
            table = wait_for_change(repo, table, interval=interval)
    except KeyboardInterrupt:
        if not quiet:
            err.print(_("Stopped watching."))
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _bar(quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr (hidden with --json); yields the export's progress callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(_("Building the open data"), total=None, visible=not quiet)

        def progress(_stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _print(done: OpenDataExport, repo: Path | None) -> None:
    src = done.opensdg
    if src is not None and repo is not None:
        if src.mode == "full" and src.report is not None:
            rep = src.report
            message = _(
                "Open SDG repository {path}: {imported} indicators imported ({rows} observations), "
                "{problems} problems."
            ).format(
                path=escape(str(repo)),
                imported=rep.indicators_imported,
                rows=fmt_number(rep.rows_imported),
                problems=len(rep.problems),
            )
        elif src.mode == "changed":
            message = _("Open SDG repository {path}: read again {files}.").format(
                path=escape(str(repo)), files=escape(", ".join(src.reread))
            )
        else:
            message = _("Open SDG repository {path}: no file changed.").format(path=escape(str(repo)))
        out.print(message, soft_wrap=True)
    result = done.result
    out.print(
        _(
            "Wrote the open data of {count} indicators ({obs} observations) to {path}: "
            "{rebuilt} rebuilt, {kept} unchanged, {files} files changed ({seconds} s)."
        ).format(
            count=result.indicators,
            obs=fmt_number(result.observations),
            path=escape(str(result.directory)),
            rebuilt=len(result.rebuilt),
            kept=len(result.reused),
            files=len(result.written),
            seconds=fmt_number(done.seconds, 1),
        ),
        soft_wrap=True,
    )
