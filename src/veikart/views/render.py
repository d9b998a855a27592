"""Vega-Lite specs to SVG and PNG with vl-convert, cached by content hash.

The same spec drives the interactive chart on the web (vega-embed, whose JavaScript bundle
vl-convert ships, so pages work offline) and the static images in the report. A rebuild after a
change renders only the charts whose spec changed: each image is stored under the SHA-256 of its
spec and format, in the cache folder (default: the user cache directory).
"""

from __future__ import annotations

import hashlib
import logging
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import vl_convert as vlc
from platformdirs import user_cache_path

__all__ = ["ChartRenderer", "spec_hash", "vega_embed_bundle"]

log = logging.getLogger(__name__)


def spec_hash(spec: dict[str, Any], kind: str = "") -> str:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((kind + "\n" + text + "\n" + vlc.__version__).encode()).hexdigest()


@cache
def vega_embed_bundle() -> str:
    """The vega + vega-lite + vega-embed JavaScript bundle (about 0.9 MB), from vl-convert.

    vl-convert bundles it afresh on every call (seconds), so the result is kept in the user
    cache directory, keyed by vl-convert's version."""
    path = user_cache_path("veikart") / f"vega-embed-{vlc.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle()
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
        if cache_dir is False:
            self.cache_dir: Path | None = None
        else:
            self.cache_dir = Path(cache_dir) if cache_dir else user_cache_path("veikart") / "charts"
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
        workers = min(workers or os.cpu_count() or 1, len(todo))
        # A worker process starts vl-convert anew (about a second): worth it for many charts,
        # or for a few while this process has other work (`meanwhile`) to do
        parallel = (workers >= 2 and len(todo) >= 3) or (workers >= 1 and meanwhile is not None)
        if self.cache_dir is None or not parallel or (os.cpu_count() or 1) < 2:
            if meanwhile is not None:
                meanwhile()
            for job in todo:
                _render(self, *job)
            return
        import multiprocessing

        # spawn, not fork: a forked child of a process whose vl-convert runtime already runs hangs
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            jobs = [(str(self.cache_dir), *job) for job in todo]
            pending = pool.map_async(_render_in_worker, jobs, chunksize=1)
            if meanwhile is not None:
                meanwhile()
            counts = pending.get()
        self.rendered += sum(c[0] for c in counts)
        self.failures += sum(c[1] for c in counts)

    def _known(self, key: str) -> bool:
        return key in self._memory or (self.cache_dir is not None and (self.cache_dir / key[:2] / key).exists())

    def svg(self, spec: dict[str, Any]) -> str:
        key = spec_hash(spec, "svg")  # allowed_base_urls=[]: a chart never fetches anything
        return self._cached(
            key, lambda: self._safe(spec, lambda sp: vlc.vegalite_to_svg(sp, allowed_base_urls=[]).encode())
        ).decode()

    def png(self, spec: dict[str, Any], scale: float = 2.0) -> bytes:
        """The chart as PNG, rasterised from its SVG (drawn once for both formats): the same
        bytes as vl-convert's own vegalite_to_png, which draws the SVG and rasterises it with
        the same library, without running Vega a second time."""
        key = spec_hash(spec, f"png@{scale}")
        return self._cached(key, lambda: vlc.svg_to_png(self.svg(spec), scale=scale))

    def pdf(self, spec: dict[str, Any]) -> bytes:
        """The chart as a one-page vector PDF made from its SVG (svg2pdf, as vl-convert's own
        vegalite_to_pdf): the report's PDF draws it into the slide (see report/pdf.py)."""
        return self._cached(spec_hash(spec, "pdf"), lambda: vlc.svg_to_pdf(self.svg(spec)))


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
