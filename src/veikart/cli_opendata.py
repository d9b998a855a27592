"""`veikart export-data` (registered on the main app): the open-data files of every indicator.

The export machinery is imported inside the command, so that other commands do not pay for it.
"""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from veikart.cli import _as_of, _fail, _open_store, _user_errors, app, err, out
from veikart.i18n import N_, _, current_language, fmt_number

__all__ = ["export_data_cmd"]


class DefaultDirection(StrEnum):
    none = "none"
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


@app.command("export-data")
def export_data_cmd(
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
    from veikart.opendata.export import ExportError

    if from_opensdg is not None and as_of is not None:
        raise _fail(_("--as-of reads the store; it cannot be combined with --from-opensdg"))
    if watch and from_opensdg is None:
        raise _fail(_("--watch follows an Open SDG repository; give it with --from-opensdg"))

    def once(rebuild_all: bool) -> dict[str, Any]:
        started = time.perf_counter()
        with _user_errors():
            try:
                if from_opensdg is not None:
                    summary = _from_opensdg(
                        directory,
                        from_opensdg,
                        framework,
                        default_direction.value,
                        jobs,
                        rebuild_all,
                        as_json,
                    )
                else:
                    summary = _from_store(directory, framework, as_of, jobs, rebuild_all, as_json)
            except ExportError as exc:
                raise _fail(exc.translated()) from None
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


def _bar() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _export(data: Any, directory: Path, quiet: bool, **kwargs: Any) -> Any:
    from veikart.opendata.export import export_open_data

    with _bar() as bar:
        task = bar.add_task(_("Building the open data"), total=None, visible=not quiet)

        def progress(_stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return export_open_data(data, directory, progress=progress, **kwargs)


def _report(result: Any, seconds: float) -> None:
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
            seconds=fmt_number(seconds, 1),
        ),
        soft_wrap=True,
    )


def _from_store(
    directory: Path, framework: str | None, as_of: str | None, jobs: int | None, rebuild: bool, quiet: bool
) -> dict[str, Any]:
    from veikart.opendata.export import iso_time, store_vintages

    t0 = time.perf_counter()
    when = _as_of(as_of)
    store = _open_store()
    fid = store.resolve_framework(framework)
    data = store.load(fid, as_of=when)
    overall, per = store_vintages(store, fid, when)
    load_s = time.perf_counter() - t0
    source = {"kind": "store", "framework": fid, "as_of": iso_time(when)}
    result = _export(
        data, directory, quiet, vintage=overall, vintages=per, source=source, jobs=jobs, rebuild=rebuild
    )
    result.timings["load"] = load_s
    if not quiet:
        _report(result, time.perf_counter() - t0)
    return {**result.as_json(), "source": source}


def _from_opensdg(
    directory: Path,
    repo: Path,
    framework: str | None,
    direction: str,
    jobs: int | None,
    rebuild: bool,
    quiet: bool,
) -> dict[str, Any]:
    from veikart.opendata.export import CacheMiss, ExportError, check_target
    from veikart.opendata.opensdg_source import read_opensdg

    t0 = time.perf_counter()
    if not repo.is_dir():
        raise ExportError(N_("{path} is not a folder"), path=str(repo))
    check_target(directory)
    options = {"framework_id": framework, "default_direction": direction, "lang": current_language()}
    src = read_opensdg(repo, directory, rebuild=rebuild, **options)
    source = {"kind": "opensdg", "repository": repo.resolve().name, "default_direction": direction}
    kwargs: dict[str, Any] = {
        "source": source,
        "jobs": jobs,
        "rebuild": rebuild,
        "extra_cache": {"opensdg.json": src.cache},
    }
    try:
        result = _export(src.data, directory, quiet, order=src.order, reuse=src.reuse, **kwargs)
    except CacheMiss:  # the previous export lacks files it claims: import and build it all again
        src = read_opensdg(repo, directory, rebuild=True, **options)
        kwargs["extra_cache"] = {"opensdg.json": src.cache}
        result = _export(src.data, directory, quiet, **kwargs)
    result.timings["import"] = src.seconds
    if not quiet:
        if src.mode == "full" and src.report is not None:
            rep = src.report
            out.print(
                _(
                    "Open SDG repository {path}: {imported} indicators imported ({rows} observations), "
                    "{problems} problems."
                ).format(
                    path=escape(str(repo)),
                    imported=rep.indicators_imported,
                    rows=fmt_number(rep.rows_imported),
                    problems=len(rep.problems),
                ),
                soft_wrap=True,
            )
        elif src.mode == "changed":
            out.print(
                _("Open SDG repository {path}: read again {files}.").format(
                    path=escape(str(repo)), files=escape(", ".join(src.reread))
                ),
                soft_wrap=True,
            )
        else:
            out.print(
                _("Open SDG repository {path}: no file changed.").format(path=escape(str(repo))),
                soft_wrap=True,
            )
        _report(result, time.perf_counter() - t0)
    return {
        **result.as_json(),
        "source": source,
        "import": {
            "mode": src.mode,
            "why_full": src.why_full,
            "reread": src.reread if src.mode == "changed" else len(src.reread),
            "problems": len(src.report.problems) if src.report is not None else None,
        },
    }
