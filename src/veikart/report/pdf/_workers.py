"""The layout workers: a process pool started ahead (`warm_up`) or on demand, and `_Layouts`,
which takes each part from the cache or lays it out (in this process, or many at once in the
pool)."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from veikart.report.pdf._cache import _Cache, _key_base, _part_key
from veikart.report.pdf._layout import _init_worker, _lay_out
from veikart.report.pdf._part import _Part, _PartError
from veikart.report.pdf._stats import RenderStats

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


#: A pool started ahead by `warm_up`, for the next `render_pdf` in this process
_WARM: dict[str, Any] = {}

#: The print parts of a report, made ahead by `warm_up` (report, doc), for its `render_pdf`
_AHEAD_PARTS: dict[str, Any] = {}

#: Up to this many parts are laid out in this process: starting workers takes longer
_IN_PROCESS_MAX = 3


def _new_pool(css: str, workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import weasyprint  # noqa: F401 - imported once here, forked workers have it

    context: BaseContext
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")  # quick to start; what is imported stays
    else:
        context = multiprocessing.get_context()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(css,))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r".*fork\(\) may lead to deadlocks", DeprecationWarning)
        for future in [pool.submit(_cpus) for _ in range(workers)]:  # start them all now
            future.result()
    return pool


def cool_down() -> None:
    """Stop the workers `warm_up` started, if no `render_pdf` took them."""
    _AHEAD_PARTS.clear()
    pool = _WARM.pop("pool", None)
    _WARM.clear()
    if pool is not None:
        pool.shutdown()


def _job(css: str, page: str) -> tuple[bytes, list[tuple[str, int, str]]]:
    return _lay_out(css, page, capture_log=True)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Layouts:
    """Lays out parts: from the cache, else with WeasyPrint, many at once in a process pool
    that, once started, serves the rest of the call (its workers have WeasyPrint warm)."""

    def __init__(self, css: str, cache: _Cache, workers: int, stats: RenderStats):
        self.css = css
        self.cache = cache
        self.workers = workers
        self.stats = stats
        self._base = _key_base(css)
        self._pool: Any = None
        if _WARM.get("css") == css and _WARM.get("workers", workers + 1) <= workers:  # started ahead: take it
            stats.workers = _WARM["workers"]
            self._pool = _WARM.pop("pool")
            _WARM.clear()
        else:
            cool_down()

    def key(self, page: str) -> str:
        return _part_key(self._base, page)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __call__(self, pages: Mapping[Any, tuple[str, str]]) -> dict[Any, _Part]:
        """`pages`: part -> (name, HTML); returns each part laid out."""
        out: dict[Any, _Part] = {}
        todo: dict[str, tuple[str, str]] = {}  # key -> (name, HTML): one layout per key
        waiting: dict[Any, str] = {}
        for part, (name, page) in pages.items():
            key = self.key(page)
            data = self.cache.get(key)
            if data is not None:
                try:
                    out[part] = _Part(key, data)
                    self.stats.cached += 1
                    continue
                except (_PartError, ValueError, KeyError):  # a damaged file: lay the part out again
                    pass
            waiting[part] = key
            todo.setdefault(key, (name, page))
        made = self._render({key: page for key, (_, page) in todo.items()})
        for key, (name, _) in todo.items():
            self.stats.rendered.append(name)
            self.cache.put(key, made[key])
        for part, key in waiting.items():
            out[part] = _Part(key, made[key])
        return out

    def _render(self, jobs: dict[str, str]) -> dict[str, bytes]:
        if not jobs:
            return {}
        if self._pool is None and (self.workers <= 1 or len(jobs) < _IN_PROCESS_MAX):
            self.stats.workers = max(self.stats.workers, 1)
            return {key: _lay_out(self.css, page)[0] for key, page in jobs.items()}
        if self._pool is None:
            workers = min(self.workers, len(jobs))
            self._pool = _new_pool(self.css, workers)
            self.stats.workers = max(self.stats.workers, workers)
        # the longest first, so that no worker is left with a big slide at the end
        order = sorted(jobs, key=lambda k: (-len(jobs[k]), k))
        with warnings.catch_warnings():
            # Python 3.12+ warns when forking a process with threads (vl-convert has some); the
            # workers run nothing but WeasyPrint
            warnings.filterwarnings("ignore", r".*fork\(\) may lead to deadlocks", DeprecationWarning)
            futures = {key: self._pool.submit(_job, self.css, jobs[key]) for key in order}
        out: dict[str, bytes] = {}
        for key in order:
            data, records = futures[key].result()
            out[key] = data
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
        return out
