"""Use case: the open data (per indicator CSV and JSON, index, ZIP), from the store or straight
from an Open SDG repository, rebuilding only what changed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veikart.app.context import AppContext, parse_as_of
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:
    from veikart.opendata.export import ExportResult
    from veikart.opendata.opensdg_source import OpenSdgSource

__all__ = ["OpenDataExport", "export_from_opensdg", "export_from_store"]

Progress = Callable[[str, int, int], None]


@dataclass
class OpenDataExport:
    """What an export did: the result, where the data came from, and (from an Open SDG
    repository) how much of it was read again."""

    result: ExportResult
    source: dict[str, Any]
    opensdg: OpenSdgSource | None = None
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = {**self.result.as_json(), "source": self.source}
        src = self.opensdg
        if src is not None:
            out["import"] = {
                "mode": src.mode,
                "why_full": src.why_full,
                "reread": src.reread if src.mode == "changed" else len(src.reread),
                "problems": len(src.report.problems) if src.report is not None else None,
            }
        return out


def export_from_store(
    ctx: AppContext,
    directory: Path,
    framework: str | None = None,
    *,
    as_of: str | None = None,
    jobs: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> OpenDataExport:
    """The open data of a stored framework as known on `as_of`."""
    from veikart.opendata.export import export_open_data, iso_time, store_vintages

    t0 = time.perf_counter()
    when = parse_as_of(as_of)
    store = ctx.store()
    fid = store.resolve_framework(framework)
    data = store.load(fid, as_of=when)
    overall, per = store_vintages(store, fid, when)
    load_s = time.perf_counter() - t0
    source = {"kind": "store", "framework": fid, "as_of": iso_time(when)}
    result = export_open_data(
        data, directory, progress=progress, vintage=overall, vintages=per, source=source, jobs=jobs, rebuild=rebuild
    )
    result.timings["load"] = load_s
    return OpenDataExport(result, source, seconds=time.perf_counter() - t0)


def export_from_opensdg(
    ctx: AppContext,
    directory: Path,
    repo: Path,
    framework: str | None = None,
    *,
    default_direction: str = "none",
    jobs: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> OpenDataExport:
    """The open data of an Open SDG repository, read without a store: only the files changed
    since the last export are read again. If the last export lacks files it claims (a cache
    miss), the repository is read and built whole once more."""
    from veikart.opendata.export import CacheMiss, check_target, export_open_data
    from veikart.opendata.opensdg_source import read_opensdg

    t0 = time.perf_counter()
    if not repo.is_dir():
        raise UsageError(N_("{path} is not a folder"), path=str(repo))
    check_target(directory)
    def read(again: bool) -> OpenSdgSource:
        return read_opensdg(
            repo, directory, framework_id=framework, default_direction=default_direction, lang=ctx.lang, rebuild=again
        )

    src = read(rebuild)
    source = {"kind": "opensdg", "repository": repo.resolve().name, "default_direction": default_direction}
    kwargs: dict[str, Any] = {
        "source": source,
        "jobs": jobs,
        "rebuild": rebuild,
        "progress": progress,
        "extra_cache": {"opensdg.json": src.cache},
    }
    try:
        result = export_open_data(src.data, directory, order=src.order, reuse=src.reuse, **kwargs)
    except CacheMiss:
        src = read(True)
        kwargs["extra_cache"] = {"opensdg.json": src.cache}
        result = export_open_data(src.data, directory, **kwargs)
    result.timings["import"] = src.seconds
    return OpenDataExport(result, source, opensdg=src, seconds=time.perf_counter() - t0)
