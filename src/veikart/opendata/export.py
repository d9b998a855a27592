"""`veikart export-data`: the open-data files of every indicator, as Open SDG's data build
(sdg-build) makes them for its sites.

    DIR/index.json                 every indicator: id, title, goal, kind, unit, status, latest value
    DIR/framework.json             the framework with its goals and sub-goals (and their indicators)
    DIR/periods.json               the PUBLISHED reporting periods with their assessments
    DIR/data/<id>.csv              tidy observations: dimension codes and labels, period, value, unit,
                                   flags, provenance, source, note
    DIR/indicators/<id>.json       metadata (sources, ambitions), observations, progress, chart
    DIR/veikart-open-data.zip      all of the above
    DIR/.veikart-build/            the build cache (not part of the open data; see below)

Rules (docs/opendata.md):

* Published outputs never reveal unpublished or suppressed data. Suppressed observations are
  removed before anything else sees them (`render.published_table`); draft periods are left out
  whole.
* Deterministic: sorted keys, stable order, numbers in their shortest exact form, a ZIP with fixed
  timestamps. The same inputs give the same bytes.
* Never half-written: the export is built in a sibling temporary folder that then takes the
  target's place in one step (`publish.swap_into_place`).
* Incremental: `.veikart-build/manifest.json` holds, per indicator, the hash of what its files are
  made from (its metadata, its published rows, the framework years and goal, the data vintage, the
  code version and language). A rerun rebuilds only indicators whose hash changed; the files of
  the others are hard-linked from the previous export and their compressed bytes copied from the
  previous ZIP.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
import zlib
from collections.abc import Callable, Collection, Generator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from veikart.core import publication
from veikart.core.dataset import FrameworkData
from veikart.core.model import Framework, ReportingPeriod
from veikart.errors import VeikartError
from veikart.i18n import N_
from veikart.opendata import archive, builder
from veikart.opendata.publish import link_or_copy, new_sibling, swap_into_place
from veikart.opendata.render import (
    FORMAT_VERSION,
    ILLUSTRATIVE_NOTICE,
    Assessed,
    Built,
    Job,
    assess_indicator,
    build_indicator,
    dumps,
    indicator_digest,
    published_table,
)

__all__ = [
    "CACHE_DIR",
    "INDEX_FILE",
    "ZIP_FILE",
    "CacheMiss",
    "ExportError",
    "ExportResult",
    "build_key",
    "check_target",
    "code_fingerprint",
    "export_open_data",
    "generator",
    "iso_time",
    "published_periods",
    "read_manifest",
    "store_vintages",
]

INDEX_FILE = "index.json"
FRAMEWORK_FILE = "framework.json"
PERIODS_FILE = "periods.json"
ZIP_FILE = "veikart-open-data.zip"
CACHE_DIR = ".veikart-build"
MANIFEST_FILE = "manifest.json"
_MANIFEST_FORMAT = 1
#: Deflate level of the archive: fast (level 1 compresses the corpus's 187 MB to 10 MB in 0.9 s
#: of CPU; level 6 to 7.9 MB in 2.5 s).
ZIP_LEVEL = 1
#: Below this many indicators to build, worker processes cost more than they save.
_PARALLEL_FROM = 8

Progress = Callable[[str, int, int], None]


class ExportError(VeikartError):
    """A problem with the open-data export the user can act on (veikart.errors)."""


class CacheMiss(Exception):
    """An indicator was to be reused from the previous export, but that export lacks it."""


@dataclass
class ExportResult:
    directory: Path
    indicators: int
    observations: int
    rebuilt: list[str] = field(default_factory=list)  # indicator ids built now
    reused: list[str] = field(default_factory=list)  # indicator ids whose files were kept
    written: list[str] = field(default_factory=list)  # files with new bytes (others: kept as they were)
    files: list[str] = field(default_factory=list)  # every published file, relative, sorted
    timings: dict[str, float] = field(default_factory=dict)
    cache_used: bool = False
    #: where indicators were built: "builder" (started ahead), "workers", "process" (this one,
    #: also when the builder ended early and this process built the rest) or "none"
    built_in: str = "none"

    def as_json(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "indicators": self.indicators,
            "observations": self.observations,
            "rebuilt": self.rebuilt,
            "reused": len(self.reused),
            "written": self.written,
            "files": len(self.files),
            "cache_used": self.cache_used,
            "built_in": self.built_in,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


# --- what produced the files ---------------------------------------------------------------

#: The parts of veikart whose code shapes the open-data files (and the message catalogues).
_CODE_DIRS = ("core", "views", "i18n", "opendata")
_CODE_FILES: tuple[str, ...] = ()
_LIBRARIES = ("altair", "babel", "numpy", "orjson", "pydantic")


@cache
def code_fingerprint() -> str:
    """A hash of the code and message catalogues the files are made with, and of the libraries'
    versions: a changed formula, label or chart invalidates every cached file."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    paths = [p for d in _CODE_DIRS for p in (root / d).rglob("*") if p.suffix in (".py", ".po")]
    paths += [root / f for f in _CODE_FILES]
    for p in sorted(paths):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={version(lib)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{lib}=?\0".encode())
    return h.hexdigest()


def generator() -> dict[str, str]:
    from veikart import __version__

    return {"name": "veikart", "version": __version__, "code": code_fingerprint()[:16]}


def build_key(lang: str) -> str:
    """Cached files are only valid for the same file format, code, language, compiled message
    catalogues (the .po files are part of the code; these are what was loaded) and compression
    (the archive reuses compressed bytes, which must be what compressing now would give)."""
    from veikart.i18n import catalogues_digest

    return (
        f"format={FORMAT_VERSION};code={code_fingerprint()};lang={lang};"
        f"catalogues={catalogues_digest()[:16]};zip={ZIP_LEVEL}/{zlib.ZLIB_RUNTIME_VERSION}"
    )


# --- vintages from the store ----------------------------------------------------------------


def iso_time(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0).isoformat() + "Z"


def store_vintages(
    store: Any, framework_id: str, as_of: datetime | None
) -> tuple[str | None, dict[str, str]]:
    """The framework's data vintage and, per indicator, when its metadata or observations last
    changed (up to `as_of`): the time its figures are "as known on". Per indicator, so that a
    change to one indicator does not re-date (and rebuild) the charts of all the others."""
    overall = iso_time(store.vintage(framework_id, as_of=as_of))
    per: dict[str, datetime] = {}
    for e in store.audit_trail(framework_id):
        if e.entity not in ("indicator", "observations") or (as_of is not None and e.at > as_of):
            continue
        if e.entity_id not in per or e.at > per[e.entity_id]:
            per[e.entity_id] = e.at
    return overall, {k: v for k, v in ((k, iso_time(v)) for k, v in per.items()) if v}


# --- the previous export --------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any] | None:
    path = Path(directory) / CACHE_DIR / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT:
        return None
    return data


def _is_export(directory: Path) -> bool:
    if (directory / CACHE_DIR / MANIFEST_FILE).is_file():
        return True
    try:
        index = json.loads((directory / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(index, dict) and index.get("generator", {}).get("name") == "veikart"


def check_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(N_("{path} is a file, not a folder"), path=str(directory))
    if directory.is_dir() and any(directory.iterdir()) and not _is_export(directory):
        raise ExportError(
            N_("{path} is not empty and is not an open-data export; choose a new or empty folder"),
            path=str(directory),
        )


class _FileMeta(TypedDict):
    """A published file in the manifest: its size and CRC-32; the archive also its listing's digest."""

    size: int
    crc: int
    sig: NotRequired[str]


class _Previous:
    """The files of the previous export that may be kept."""

    def __init__(self, directory: Path, manifest: dict[str, Any] | None):
        self.directory = directory
        self.manifest = manifest or {}
        self.indicators: dict[str, Any] = self.manifest.get("indicators", {}) if manifest else {}
        self.files: dict[str, Any] = self.manifest.get("files", {}) if manifest else {}
        self._zip: dict[str, archive.Entry] | None = None

    def has_files(self, ind_id: str) -> bool:
        cached = self.indicators.get(ind_id)
        if not cached:
            return False
        for rel in cached["entry"]["files"].values():
            meta = self.files.get(rel)
            try:
                if meta is None or (self.directory / rel).stat().st_size != meta["size"]:
                    return False
            except OSError:
                return False
        return True

    def zip_entry(self, rel: str) -> archive.Entry | None:
        if self._zip is None:
            try:
                self._zip = archive.read_entries(self.directory / ZIP_FILE)
            except Exception:  # noqa: BLE001 - a missing or broken archive: compress again
                self._zip = {}
        e = self._zip.get(rel)
        meta = self.files.get(rel)
        if e is None or meta is None or e.crc != meta["crc"] or e.size != meta["size"]:
            return None
        return e

    def same_bytes(self, rel: str, data: bytes) -> bool:
        meta = self.files.get(rel)
        if meta is None or meta["size"] != len(data):
            return False
        try:
            return (self.directory / rel).read_bytes() == data
        except OSError:
            return False


# --- building ------------------------------------------------------------------------------

_PENDING: list[Job] = []  # the jobs of a parallel build, inherited by the forked workers


def _build(
    job: Job, assessed: Callable[[], Assessed] | None = None
) -> tuple[Built, dict[str, archive.Entry]]:
    built = build_indicator(job, assessed)
    return built, {rel: archive.compress(rel, data, job.level) for rel, data in built.files.items()}


def _work(i: int) -> tuple[Built, dict[str, archive.Entry]]:
    return _build(_PENDING[i])


def _assess_in(job: Job, lang: str) -> Assessed:
    """`assess_indicator` in the builder started ahead (builder.py)."""
    _init_worker(lang)  # it was forked before the command chose its language
    return assess_indicator(job)


def _how(jobs: list[Job], workers: int, ahead: builder.Builder | None) -> str:
    """Where the indicators are built: "builder" (the one `veikart` started ahead, for a few),
    "workers" (forked now, for many), "process" (this one) or "none" (nothing to build)."""
    import multiprocessing

    if not jobs:
        return "none"
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        return "builder" if ahead is not None else "process"
    return "workers" if "fork" in multiprocessing.get_all_start_methods() else "process"


def _rows(job: Job) -> int:
    """How many observations the job's indicator has (0 without a table)."""
    return len(job.table) if job.table is not None else 0


def _run(
    jobs: list[Job], workers: int, lang: str, how: list[str], ahead: builder.Builder | None
) -> Generator[tuple[Built, dict[str, archive.Entry]], None, None]:
    """Build the jobs where `how[0]` says (`_how`); it becomes "process" if the builder ended
    before it answered (killed, out of memory) and this process built what was left."""
    global _PENDING
    import multiprocessing

    if how[0] == "builder":
        assert ahead is not None
        # It assesses the indicators and draws their charts (it has numpy and Altair imported)
        # while this process writes their tables.
        try:
            pending = [ahead.submit(_assess_in, job, lang) for job in jobs]
            for job, assessed in zip(jobs, pending, strict=True):
                try:
                    done = _build(job, assessed)
                except builder.BuilderStopped:
                    how[0] = "process"
                    done = _build(job)
                yield done
        finally:
            ahead.stop()
        return
    if ahead is not None:
        ahead.stop()
    _PENDING = jobs
    frozen = False
    try:
        if how[0] != "workers":
            for i in range(len(jobs)):
                yield _work(i)
            return
        # The workers inherit these modules instead of each importing them (Altair alone takes
        # about 0.6 s); a watching process keeps them for its later, single-indicator rebuilds.
        import veikart.core.assess
        import veikart.views.charts
        import veikart.views.records  # noqa: F401

        # Largest first, so that no worker is left with a big one at the end.
        order = sorted(range(len(jobs)), key=lambda i: -_rows(jobs[i]))
        gc.collect()
        gc.freeze()  # the shared data stay shared: the collector does not touch their pages
        frozen = True
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(jobs)), initializer=_init_worker, initargs=(lang,)) as pool:
            yield from pool.imap_unordered(_work, order, chunksize=1)
    finally:
        _PENDING = []
        if frozen:  # (this thaws what the entry point froze after its imports too: harmless)
            gc.unfreeze()


def _init_worker(lang: str) -> None:
    from veikart.i18n import set_language

    set_language(lang)


def published_periods(periods: Mapping[str, ReportingPeriod]) -> list[ReportingPeriod]:
    """Only published periods (veikart.core.publication): a draft's assessments, key figures
    and even its title stay out."""
    return list(publication.published_periods(periods).values())


def _framework_doc(fw: Framework, entries: list[dict[str, Any]], gen: dict[str, str]) -> dict[str, Any]:
    dump = fw.model_dump(mode="json")
    for g in dump["goals"]:
        g["indicators"] = [e["id"] for e in entries if e["goal"] == g["id"]]
        for s in g["subgoals"]:
            s["indicators"] = [e["id"] for e in entries if s["code"] in e["subgoals"]]
    return {"format": FORMAT_VERSION, "generator": gen, "framework": dump}


def _index_doc(
    fw: Framework,
    entries: list[dict[str, Any]],
    periods: list[ReportingPeriod],
    gen: dict[str, str],
    lang: str,
    vintage: str | None,
    source: dict[str, Any] | None,
) -> dict[str, Any]:
    illustrative = [e["id"] for e in entries if e["illustrative"]]
    return {
        "format": FORMAT_VERSION,
        "generator": gen,
        "language": lang,
        "vintage": vintage,
        "source": source or {},
        "framework": {
            "id": fw.id,
            "title": fw.title,
            "owner": fw.owner,
            "base_year": fw.base_year,
            "horizon_year": fw.horizon_year,
            "url": fw.url,
        },
        "indicators": entries,
        "periods": [{"id": p.id, "date": p.date.isoformat(), "title": p.title} for p in periods],
        "counts": {
            "indicators": len(entries),
            "observations": sum(e["observations"] for e in entries),
            "illustrative_indicators": len(illustrative),
        },
        "notice": dict(ILLUSTRATIVE_NOTICE) if illustrative else None,
        "files": {"framework": FRAMEWORK_FILE, "periods": PERIODS_FILE, "zip": ZIP_FILE},
    }


def export_open_data(
    data: FrameworkData,
    directory: Path,
    *,
    vintage: str | None = None,
    vintages: Mapping[str, str] | None = None,
    source: dict[str, Any] | None = None,
    jobs: int | None = None,
    rebuild: bool = False,
    reuse: Collection[str] = (),
    order: Sequence[str] | None = None,
    extra_cache: Mapping[str, bytes] | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the open-data export of `data` to `directory` (created, or replaced if it holds a
    previous export). Only indicators whose inputs changed since that export are rebuilt.

    `vintage` is the data vintage of the whole framework (ISO time), `vintages` per indicator
    (default: `vintage`). `source` says where the data came from (written to index.json).
    `jobs` worker processes (default: the number of CPUs). `rebuild` ignores the cache.

    For callers that know which indicators did not change (the Open SDG reader's file cache):
    `order` lists every indicator id in order, and ids in `reuse` may be missing from `data`;
    their files are kept from the previous export, or `CacheMiss` is raised when it lacks them.
    `extra_cache` files are written into the cache folder.
    """
    from veikart.i18n import current_language

    started = time.perf_counter()
    timings: dict[str, float] = {}
    directory = Path(directory)
    if directory.is_symlink():  # replace the folder the link points to, not the link
        directory = directory.resolve()
    check_target(directory)
    lang = current_language()
    key = build_key(lang)
    gen = generator()
    manifest = None if rebuild else read_manifest(directory)
    if manifest is not None and manifest.get("key") != key:
        manifest = None
    prev = _Previous(directory, manifest)
    fw = data.framework
    ids = list(order) if order is not None else list(data.indicators)
    if len(set(ids)) != len(ids):
        raise ValueError("indicator ids repeat in `order`")

    # 1. what must be built
    todo: list[Job] = []
    digests: dict[str, str] = {}
    kept: list[str] = []
    for ind_id in ids:
        ind = data.indicators.get(ind_id)
        if ind is None:
            if ind_id not in reuse or not prev.has_files(ind_id):
                raise CacheMiss(ind_id)
            kept.append(ind_id)
            digests[ind_id] = prev.indicators[ind_id]["digest"]
            continue
        table = published_table(data.observations.get(ind_id))
        when = vintages.get(ind_id, vintage) if vintages is not None else vintage
        digest = indicator_digest(key, fw, ind, table, when)
        digests[ind_id] = digest
        cached = prev.indicators.get(ind_id)
        if cached is not None and cached["digest"] == digest and prev.has_files(ind_id):
            kept.append(ind_id)
        else:
            todo.append(Job(ind, table, fw, when, digest, gen, ZIP_LEVEL))
    timings["plan"] = time.perf_counter() - started

    # 2. build into a sibling folder, then swap it in
    tmp = new_sibling(directory)
    try:
        (tmp / "data").mkdir()
        (tmp / "indicators").mkdir()
        (tmp / CACHE_DIR).mkdir()
        entries: dict[str, dict[str, Any]] = {}
        zip_entries: dict[str, archive.Entry] = {}
        file_meta: dict[str, _FileMeta] = {}
        written: list[str] = []
        t = time.perf_counter()
        for ind_id in kept:
            cached = prev.indicators[ind_id]
            entries[ind_id] = cached["entry"]
            for rel in cached["entry"]["files"].values():
                link_or_copy(directory / rel, tmp / rel)
                file_meta[rel] = prev.files[rel]
        timings["keep"] = time.perf_counter() - t
        t = time.perf_counter()
        workers = jobs if jobs is not None else (os.cpu_count() or 1)
        total = len(todo)
        if progress:
            progress("build", 0, total)
        ahead = builder.take()
        built_in = [_how(todo, workers, ahead)]
        try:
            # closing: a failure below stops the builder or the workers at once, not when collected
            with closing(_run(todo, workers, lang, built_in, ahead)) as runs:
                for done, (built, packed) in enumerate(runs, start=1):
                    entries[built.id] = built.entry
                    for rel, raw in built.files.items():
                        (tmp / rel).write_bytes(raw)
                        written.append(rel)
                        file_meta[rel] = {"size": len(raw), "crc": packed[rel].crc}
                        zip_entries[rel] = packed[rel]
                    if progress:
                        progress("build", done, total)
        finally:
            if ahead is not None:  # _run stops it when done with it; this is for a failure
                ahead.stop()
        timings["build"] = time.perf_counter() - t

        # 3. the framework-wide files
        t = time.perf_counter()
        ordered = [entries[i] for i in ids]
        periods = published_periods(data.periods)
        tops = {
            INDEX_FILE: dumps(_index_doc(fw, ordered, periods, gen, lang, vintage, source), indent=2),
            FRAMEWORK_FILE: dumps(_framework_doc(fw, ordered, gen), indent=2),
            PERIODS_FILE: dumps(
                {
                    "format": FORMAT_VERSION,
                    "generator": gen,
                    "periods": [p.model_dump(mode="json") for p in periods],
                },
                indent=2,
            ),
        }
        for rel, raw in tops.items():
            if prev.same_bytes(rel, raw):
                link_or_copy(directory / rel, tmp / rel)
                e = prev.zip_entry(rel) or archive.compress(rel, raw, ZIP_LEVEL)
            else:
                (tmp / rel).write_bytes(raw)
                written.append(rel)
                e = archive.compress(rel, raw, ZIP_LEVEL)
            zip_entries[rel] = e
            file_meta[rel] = {"size": len(raw), "crc": e.crc}
        timings["index"] = time.perf_counter() - t

        # 4. the archive: compressed bytes of kept files come from the previous archive
        t = time.perf_counter()
        for ind_id in kept:
            for rel in prev.indicators[ind_id]["entry"]["files"].values():
                kept_entry = prev.zip_entry(rel)
                if kept_entry is None:
                    kept_entry = archive.compress(rel, (tmp / rel).read_bytes(), ZIP_LEVEL)
                zip_entries[rel] = kept_entry
        listing = sorted((e.name, e.crc, e.size) for e in zip_entries.values())
        zip_sig = hashlib.sha256(repr(listing).encode()).hexdigest()
        old_zip = prev.files.get(ZIP_FILE)
        if old_zip is not None and old_zip.get("sig") == zip_sig and (directory / ZIP_FILE).is_file():
            link_or_copy(directory / ZIP_FILE, tmp / ZIP_FILE)
        else:
            archive.write_zip(tmp / ZIP_FILE, zip_entries.values())
            written.append(ZIP_FILE)
        file_meta[ZIP_FILE] = {"size": (tmp / ZIP_FILE).stat().st_size, "crc": 0, "sig": zip_sig}
        timings["zip"] = time.perf_counter() - t

        # 5. the cache, then the swap
        new_manifest = {
            "format": _MANIFEST_FORMAT,
            "key": key,
            "framework": fw.model_dump(mode="json"),
            "indicators": {i: {"digest": digests[i], "entry": entries[i]} for i in ids},
            "files": file_meta,
        }
        (tmp / CACHE_DIR / MANIFEST_FILE).write_bytes(dumps(new_manifest))
        for name, raw in (extra_cache or {}).items():
            (tmp / CACHE_DIR / name).write_bytes(raw)
        swap_into_place(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    timings["total"] = time.perf_counter() - started
    built_ids = [j.indicator.id for j in todo]
    return ExportResult(
        directory=directory,
        indicators=len(ids),
        observations=sum(e["observations"] for e in ordered),
        rebuilt=built_ids,
        reused=kept,
        written=sorted(written),
        files=sorted(file_meta),
        timings=timings,
        cache_used=manifest is not None,
        built_in=built_in[0],
    )
