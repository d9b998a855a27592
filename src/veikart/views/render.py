"""Vega-Lite specs to SVG and PNG with vl-convert, cached by content hash.

The same spec drives the interactive chart on the web (vega-embed, whose JavaScript bundle
vl-convert ships, so pages work offline) and the static images in the report. A rebuild after a
change renders only the charts whose spec changed: each image is stored under the SHA-256 of its
spec and format, in the cache folder (default: the user cache directory).

Fonts: the static charts are drawn with the Liberation Sans that vl-convert carries in memory,
not with the machine's font files (on Linux; DejaVu Sans, when installed, only for characters
Liberation Sans lacks). A chart then has the same bytes on every machine whatever fonts it has,
and drawing is about twice as quick: vl-convert opens and maps a system font file anew for
every piece of text it measures or draws (thousands of times per chart). See `engine`.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import vl_convert as vlc
from platformdirs import user_cache_path

__all__ = ["ChartRenderer", "canonical_ids", "cool_down", "engine", "spec_hash", "vega_embed_bundle", "warm_up"]

log = logging.getLogger(__name__)


#: vl-convert's own version (not the wheel's, "1.9.0.post1"), part of every cache key
_VL_VERSION: str = vlc.__version__  # type: ignore[attr-defined]  # the stub omits the extension's __version__

#: Part of every image's cache key: change it when the way an image is made changes
_RENDERING = "2"  # 2: vl-convert's own fonts; ids numbered within each chart


def spec_hash(spec: dict[str, Any], kind: str = "") -> str:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((kind + "\n" + text + "\n" + _VL_VERSION + "/" + _RENDERING).encode()).hexdigest()


_FONTS: dict[str, Path | None] = {}  # set once the fonts are set up in this process


def engine() -> Any:
    """vl-convert, with its fonts set up first (once per process, before its first drawing).

    vl-convert builds its font database from its own Liberation Sans (in memory) and the
    system's fonts, the system's first; Liberation Sans is usually among those, so every text
    of a chart was measured and drawn from a file that vl-convert opens and maps anew each time.
    On Linux the system's fonts are found through FONTCONFIG_FILE: pointed, while vl-convert
    builds its database, at a configuration naming one empty folder of ours, it loads none
    (the variable is restored at once: WeasyPrint's fontconfig in this process never sees it).
    DejaVu Sans is then registered for the characters Liberation Sans lacks."""
    if "folder" in _FONTS:
        return vlc
    folder = _own_font_folder()
    if folder is not None:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(folder / "fonts.conf")
        try:
            vlc.register_font_directory(str(folder))  # builds the font database now
            fallback = _fallback_font_folder()
            if fallback is not None:
                vlc.register_font_directory(str(fallback))
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous
    _FONTS["folder"] = folder
    return vlc


def _own_font_folder() -> Path | None:
    """An empty folder of ours with a fontconfig file naming it alone (None: the system's
    fonts are used, as on a machine where no such folder can be written)."""
    import sys

    if not sys.platform.startswith("linux"):
        return None  # fontdb finds the system fonts without fontconfig there
    for base in (user_cache_path("veikart"), Path(tempfile.gettempdir()) / f"veikart-{os.getuid()}"):
        folder = base / "chart-fonts"
        conf = folder / "fonts.conf"
        text = (
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
            f"<fontconfig><dir>{html.escape(str(folder))}</dir></fontconfig>\n"
        )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
                fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, conf)
            return folder
        except OSError:
            continue
    return None


def _fallback_font_folder() -> Path | None:
    """The folder of DejaVu Sans, if the machine has it (Debian: fonts-dejavu-core)."""
    for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
        try:
            found = next(Path(root).rglob("DejaVuSans.ttf"), None)
        except OSError:
            found = None
        if found is not None:
            return found.parent
    return None


_SVG_ID = re.compile(r'\bid="([A-Za-z_-]+?)(\d+)"')


def canonical_ids(svg: str) -> str:
    """The SVG with its ids numbered in order of appearance within it. Vega numbers clip paths
    from a counter that runs on through a process's charts: the same chart drawn in another
    worker, or after other charts, would differ in these numbers alone."""
    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}
    for m in _SVG_ID.finditer(svg):
        old = m.group(1) + m.group(2)
        if old not in mapping:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
            mapping[old] = f"{m.group(1)}{counts[m.group(1)]}"
    if all(k == v for k, v in mapping.items()):
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(re.escape(k) for k in mapping) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


@cache
def vega_embed_bundle() -> str:
    """The vega + vega-lite + vega-embed JavaScript bundle (about 0.9 MB), from vl-convert.

    vl-convert bundles it afresh on every call (seconds), so the result is kept in the user
    cache directory, keyed by vl-convert's version."""
    path = user_cache_path("veikart") / f"vega-embed-{_VL_VERSION}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = engine().javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(bundle)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return bundle


class ChartRenderer:
    """Renders specs, remembering every image by content hash (on disk when `cache_dir` is set
    or defaulted; `cache_dir=False` keeps it in memory only)."""

    def __init__(self, cache_dir: Path | None | bool = None):
        self.cache_dir: Path | None
        if cache_dir is False:
            self.cache_dir = None
        elif cache_dir is None or cache_dir is True:  # True: the default, as build_report passes it
            self.cache_dir = user_cache_path("veikart") / "charts"
        else:
            self.cache_dir = Path(cache_dir)
        self._memory: dict[str, bytes] = {}
        self.rendered = 0  # images rendered (not found in a cache), for benchmarks and tests
        self.failures = 0  # specs Vega could not draw (a note was drawn instead)

    def _cached(self, key: str, make: Any) -> bytes:
        if key in self._memory:
            return self._memory[key]
        path = self.cache_dir / key[:2] / key if self.cache_dir else None
        if path is not None and path.exists():
            data = path.read_bytes()
        else:
            data = make()
            self.rendered += 1
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)  # atomic: a parallel build never reads half an image
        self._memory[key] = data
        return data

    def _safe(self, spec: dict[str, Any], convert: Any) -> bytes:
        """Convert, or draw a one-line note instead when Vega cannot draw the spec: one bad
        chart must not stop a report of hundreds. The failure is logged and counted."""
        try:
            return convert(spec)
        except ValueError as exc:
            from veikart.i18n import _

            log.warning("chart could not be drawn (%s): %s", spec.get("description", "")[:80], str(exc)[:200])
            self.failures += 1
            note = {
                "width": 480,
                "height": 40,
                "data": {"values": [{"t": _("The chart could not be drawn; the data are in the open data.")}]},
                "mark": {"type": "text", "align": "left", "x": 0, "fontSize": 13},
                "encoding": {"text": {"field": "t", "type": "nominal"}},
                "config": {"view": {"stroke": None}},
            }
            return convert(note)

    def prerender(
        self,
        specs: list[dict[str, Any]],
        *,
        svg: bool,
        png: bool,
        pdf: bool = False,
        workers: int | None = None,
        meanwhile: Any = None,
    ) -> None:
        """Render the specs not yet in the cache, in parallel processes (vl-convert draws one
        chart at a time): with a disk cache the workers leave their images there for this
        renderer to read. Without a disk cache, or for a handful of charts, it renders here.
        `meanwhile()`, if given, runs here while the workers draw (or first, without them)."""
        todo = []
        for spec in specs:
            want = (
                (svg and not self._known(spec_hash(spec, "svg")))
                or (png and not self._known(spec_hash(spec, "png@2.0")))
                or (pdf and not self._known(spec_hash(spec, "pdf")))
            )
            if want:
                todo.append((png, pdf, spec))
        ahead = _AHEAD.pop("pool", None)  # workers started by warm_up, their engines running
        workers = min(workers or os.cpu_count() or 1, len(todo))
        # A worker process starts vl-convert anew (about half a second): worth it for many
        # charts, or for a few while this process has other work (`meanwhile`) to do, or when
        # warm_up started it already
        parallel = (workers >= 2 and len(todo) >= 3) or (workers >= 1 and (meanwhile is not None or ahead is not None))
        if self.cache_dir is None or not parallel or (os.cpu_count() or 1) < 2:
            if ahead is not None:
                ahead.shutdown(wait=False, cancel_futures=True)
            if meanwhile is not None:
                meanwhile()
            for job in todo:
                _render(self, *job)
            return
        jobs = [(str(self.cache_dir), *job) for job in todo]
        if ahead is not None:
            try:
                pending = [ahead.submit(_render_in_worker, job) for job in jobs]
                if meanwhile is not None:
                    meanwhile()
                counts = [f.result() for f in pending]
            finally:
                ahead.shutdown(wait=False, cancel_futures=True)
        else:
            import multiprocessing

            # spawn, not fork: a forked child of a process whose vl-convert runtime already runs hangs
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                mapped = pool.map_async(_render_in_worker, jobs, chunksize=1)
                if meanwhile is not None:
                    meanwhile()
                counts = mapped.get()
        self.rendered += sum(c[0] for c in counts)
        self.failures += sum(c[1] for c in counts)

    def _known(self, key: str) -> bool:
        return key in self._memory or (self.cache_dir is not None and (self.cache_dir / key[:2] / key).exists())

    def cached_svg(self, spec: dict[str, Any]) -> str | None:
        """The chart's SVG if it is drawn already (in memory or in the cache), else None."""
        key = spec_hash(spec, "svg")
        if key in self._memory:
            return self._memory[key].decode()
        path = self.cache_dir / key[:2] / key if self.cache_dir else None
        try:
            return path.read_bytes().decode() if path is not None else None
        except OSError:
            return None

    def svg(self, spec: dict[str, Any]) -> str:
        key = spec_hash(spec, "svg")  # allowed_base_urls=[]: a chart never fetches anything
        return self._cached(
            key,
            lambda: self._safe(
                spec, lambda sp: canonical_ids(engine().vegalite_to_svg(sp, allowed_base_urls=[])).encode()
            ),
        ).decode()

    def png(self, spec: dict[str, Any], scale: float = 2.0) -> bytes:
        """The chart as PNG, rasterised from its SVG (drawn once for both formats): the same
        bytes as vl-convert's own vegalite_to_png, which draws the SVG and rasterises it with
        the same library, without running Vega a second time."""
        key = spec_hash(spec, f"png@{scale}")
        return self._cached(key, lambda: engine().svg_to_png(self.svg(spec), scale=scale))

    def pdf(self, spec: dict[str, Any]) -> bytes:
        """The chart as a one-page vector PDF made from its SVG (svg2pdf, as vl-convert's own
        vegalite_to_pdf): the report's PDF draws it into the slide (see report/pdf.py)."""
        return self._cached(spec_hash(spec, "pdf"), lambda: engine().svg_to_pdf(self.svg(spec)))


#: Chart workers started ahead by `warm_up`, for the next `prerender` in this process
_AHEAD: dict[str, Any] = {}

#: The smallest chart: drawing it starts vl-convert's engine in a worker
_WARM_SPEC: dict[str, Any] = {"data": {"values": [{"x": 0}]}, "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}}


def warm_up(cache_dir: Path | None = None, workers: int | None = None) -> None:
    """Start chart workers now, for the next `prerender` in this process, while it does
    something else (the report: load the data, assess, compose). Each draws a tiny chart as it
    starts, which starts vl-convert's JavaScript engine (about half a second). By default as many
    workers as CPUs when the chart cache is empty (a cold build draws every chart) and one
    otherwise (a rebuild draws the few that changed); `prerender` starts more on demand, up to
    the number of CPUs. Call `cool_down` if no `prerender` follows."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    cpus = os.cpu_count() or 1
    if _AHEAD or cpus < 2:
        return
    if workers is None:
        folder = Path(cache_dir) if cache_dir else user_cache_path("veikart") / "charts"
        cold = not folder.is_dir() or next(folder.iterdir(), None) is None
        workers = cpus if cold else 1
    # spawn, not fork: a forked child of a process whose vl-convert runtime already runs hangs;
    # and a spawned worker starts only on demand, so each warm-up job below starts one
    pool = ProcessPoolExecutor(max_workers=cpus, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(max(1, min(workers, cpus))):
        pool.submit(_warm_worker)
    _AHEAD["pool"] = pool


def cool_down() -> None:
    """Stop the workers `warm_up` started, if no `prerender` took them."""
    pool = _AHEAD.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _warm_worker() -> None:
    engine().vegalite_to_svg(_WARM_SPEC, allowed_base_urls=[])


def _render(renderer: ChartRenderer, png: bool, pdf: bool, spec: dict[str, Any]) -> None:
    renderer.svg(spec)  # the others are made from it
    if png:
        renderer.png(spec)
    if pdf:
        renderer.pdf(spec)


def _render_in_worker(job: tuple[str, bool, bool, dict[str, Any]]) -> tuple[int, int]:
    cache_dir, png, pdf, spec = job
    renderer = ChartRenderer(Path(cache_dir))
    _render(renderer, png, pdf, spec)
    return renderer.rendered, renderer.failures
