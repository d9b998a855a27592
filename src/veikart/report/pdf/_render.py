"""`render_pdf` (the report as PDF bytes, see the package docstring), `warm_up`, and
`pdf_html` (the whole report as one print page, for a browser)."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from veikart.report.document import Report
from veikart.report.html import build_html, build_print_parts
from veikart.report.pdf._cache import (
    _FORMAT_VERSION,
    _Cache,
    _default_cache_dir,
    _key_base,
    _part_key,
    _versions,
)
from veikart.report.pdf._merge import _merge
from veikart.report.pdf._plan import _Plan
from veikart.report.pdf._stats import RenderStats, _set_last_stats
from veikart.report.pdf._workers import _AHEAD_PARTS, _IN_PROCESS_MAX, _WARM, _cpus, _Layouts, _new_pool
from veikart.views.render import ChartRenderer, spec_hash

#: How charts go into the whole-report print HTML (`pdf_html`): "svg" (vector, searchable
#: text) or "png" (the PPTX's images at scale 2; WeasyPrint takes as long for it, since it
#: decodes and re-encodes the PNG, and the chart becomes a raster). So: SVG.
CHART_FORMAT = "svg"

#: How charts go into the slides laid out for the PDF: an empty place of the chart's size,
#: filled in the merge with the chart's own vector PDF (see the module docstring).
PART_CHART_FORMAT = "slot"


def _w3c_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_html(report: Report, charts: ChartRenderer, *, source_date_epoch: int | None = None) -> str:
    """The whole report as one print page, as the PDF shows it: static charts, the page footer,
    the dates in <meta> elements. `render_pdf` lays it out a slide at a time (the same template
    and stylesheets, see `html.build_print_parts`); this one page is for looking at and for
    printing from a browser."""
    meta = {}
    if source_date_epoch is not None:
        stamp = _w3c_date(int(source_date_epoch))
        meta = {"dcterms.created": stamp, "dcterms.modified": stamp}
    return build_html(report, charts, interactive=False, for_print=True, meta=meta, image_format=CHART_FORMAT)


def warm_up(
    workers: int | None = None,
    *,
    report: Report | None = None,
    charts: ChartRenderer | None = None,
    cache_dir: Path | None = None,
) -> None:
    """Start the layout workers now, for the next `render_pdf` here, while this process waits
    for something else (the report's build: for the chart workers). Each worker parses the
    stylesheet and lays out a small page as it starts. Call `cool_down` if no PDF follows.

    With the `report` (and its `charts`), its slides are made ready now and only as many
    workers started as it has slides that the cache (`cache_dir`) lacks: none for fewer than
    `_IN_PROCESS_MAX` (laid out here, sooner than workers start), and WeasyPrint is imported
    only if a slide is to be laid out at all (a rebuild from the cache needs neither)."""
    from veikart.report.html import print_parts_stylesheet

    n = max(1, int(workers if workers is not None else _cpus()))
    if _WARM:
        return
    if report is not None and charts is not None:
        # the charts may still be being drawn: a slide whose chart is not yet counts as one
        # to lay out (its part is made with a stand-in for the chart, and not kept)
        peek = _Drawn(charts)
        doc = build_print_parts(report, peek, image_format=PART_CHART_FORMAT)
        _AHEAD_PARTS.clear()
        if peek.complete:
            _AHEAD_PARTS.update(report=report, doc=doc)
        cache = _Cache(Path(cache_dir) if cache_dir is not None else _default_cache_dir())
        base = _key_base(doc.css)
        plan = _Plan(report, doc, None)
        missing = sum(
            1 for i in range(plan.n) if not plan.elsewhere[i] and not cache.has(_part_key(base, doc.parts[i]))
        )
        if missing < _IN_PROCESS_MAX:
            if missing:
                import weasyprint  # noqa: F401 - the layout here will need it
            return
        n = min(n, missing)
    if n < 2:
        return
    css = print_parts_stylesheet()
    _WARM.update(css=css, workers=n, pool=_new_pool(css, n))


class _Drawn(ChartRenderer):
    """The charts drawn so far, and an empty stand-in of 1 x 1 for any other (never drawn
    here: a chart worker may be drawing it)."""

    _STAND_IN = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'

    def __init__(self, charts: ChartRenderer):
        super().__init__(False)
        self._charts = charts
        self.complete = True

    def svg(self, spec: dict[str, Any]) -> str:
        svg = self._charts.cached_svg(spec)
        if svg is None:
            self.complete = False
            return self._STAND_IN
        return svg

    def png(self, spec: dict[str, Any], scale: float = 2.0) -> bytes:
        raise AssertionError("the slides laid out for the PDF have no PNG")


def render_pdf(
    report: Report,
    charts: ChartRenderer,
    *,
    source_date_epoch: int | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> bytes:
    """The report as PDF bytes (see the module docstring). `cache_dir`: where the slides' PDFs
    are kept (default: the user cache directory); `workers`: processes for laying out the
    slides not in the cache (default: one per CPU)."""
    started = time.perf_counter()
    stats = RenderStats()
    if _AHEAD_PARTS.get("report") is report:  # made ahead by warm_up
        doc = _AHEAD_PARTS["doc"]
    else:
        doc = build_print_parts(report, charts, image_format=PART_CHART_FORMAT)
    _AHEAD_PARTS.clear()
    cache = _Cache(Path(cache_dir) if cache_dir is not None else _default_cache_dir())
    layouts = _Layouts(doc.css, cache, max(1, int(workers if workers is not None else _cpus())), stats)
    try:
        plan = _Plan(report, doc, layouts)
        parts, footers = plan.lay_out()
    finally:
        layouts.close()

    # Each chart's own PDF, for the places the slides keep for it (drawn there in the merge)
    specs = {cid: report.charts[cid].spec for cid in sorted({slot[1] for p in parts for slot in p.charts})}
    chart_pdfs = {cid: charts.pdf(spec) for cid, spec in specs.items()}

    h = hashlib.sha256(_FORMAT_VERSION.encode())
    for part in [*parts, *footers]:
        h.update(part.key.encode("ascii"))
    for spec in specs.values():  # svg2pdf's bytes vary in object order; the spec says what is drawn
        h.update(spec_hash(spec, "pdf").encode("ascii"))
    h.update(repr((report.title, report.subtitle, report.lang, source_date_epoch)).encode("utf-8"))
    data = _merge(
        report,
        parts,
        plan.owned(),
        footers,
        first_is_title=doc.first_is_title,
        identifier=h.digest()[:16],
        source_date_epoch=source_date_epoch,
        producer=f"WeasyPrint {_versions().split()[1]}",
        chart_pdfs=chart_pdfs,
    )
    cache.prune()
    stats.parts, stats.pages, stats.seconds = (
        len(parts),
        sum(p.pages_count for p in parts),
        time.perf_counter() - started,
    )
    _set_last_stats(stats)
    return data
