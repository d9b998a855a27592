"""Laying out one part with WeasyPrint, in this process or in a layout worker: its PDF
(plain objects, compressed streams, for the merge) and a line of JSON with what the merge needs
(pages, anchors, bookmarks, chart places)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from typing import Any

from veikart.report.pdf._part import _MAGIC

_WORKER: dict[str, Any] = {}


def _worker_state(css: str) -> dict[str, Any]:
    """The parsed stylesheet and a font configuration, kept for the life of the process: the
    font configuration's caches make every part after the first much quicker to lay out (the
    output does not depend on them)."""
    pid = os.getpid()
    if _WORKER.get("pid") != pid:  # a forked worker makes its own
        from weasyprint.text.fonts import FontConfiguration

        _WORKER.clear()
        _WORKER.update(pid=pid, fonts=FontConfiguration())
    if _WORKER.get("css_text") != css:
        from weasyprint import CSS

        _WORKER.update(css_text=css, css=CSS(string=css, font_config=_WORKER["fonts"]))
    return _WORKER


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _finish(meta: dict[str, Any]) -> Callable[[Any, Any], None]:
    """WeasyPrint's finisher: compress every stream that is not compressed yet (the PDF is
    written with plain objects, for the merge), and note what the merge needs: the pages, the
    anchors and the bookmarks, in PDF points."""

    def finisher(document: Any, pdf: Any) -> None:
        import pydyf

        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and "Filter" not in obj.extra:
                obj.compress = True
        anchors: dict[str, list[float]] = {}
        for number, page in enumerate(document.pages):
            for name, (x, y, *_rest) in page.anchors.items():
                anchors.setdefault(name, [number, _num(x * 0.75), _num((page.height - y) * 0.75)])

        def tree(items: list[Any]) -> list[Any]:
            return [
                [label, [number, _num(x), _num(y)], tree(children), state]
                for label, (number, x, y), children, state in items
            ]

        meta["pages"] = len(document.pages)
        meta["anchors"] = anchors
        meta["charts"] = _chart_slots(document)
        meta["bookmarks"] = tree(document.make_bookmark_tree(0.75, transform_pages=True))

    return finisher


def _num(value: float) -> float:
    return round(float(value), 4)


def _chart_slots(document: Any) -> list[list[Any]]:
    """Where the charts go: [page, chart id, x, y, width, height] in PDF points (y from the
    bottom), for each chart's place (`html._slot_image`) in the order of the pages."""
    slots: list[list[Any]] = []
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not type(box).__name__.endswith("ReplacedBox"):
                continue
            chart = element.get("data-vk-chart")
            if chart:
                x, y = box.content_box_x(), box.content_box_y()
                slots.append(
                    [number, chart, _num(x * 0.75), _num((page.height - y - box.height) * 0.75),
                     _num(box.width * 0.75), _num(box.height * 0.75)]
                )
    return slots


def _lay_out(css: str, page: str, capture_log: bool = False) -> tuple[bytes, list[tuple[str, int, str]]]:
    """One part: a line of JSON (pages, anchors, bookmarks, the PDF's SHA-256), then its PDF.
    With `capture_log` (in a worker) WeasyPrint's warnings are returned rather than logged, for
    the parent to log."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    state = _worker_state(css)
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    propagate = logger.propagate
    if capture_log:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        # the page loads nothing from elsewhere: any URL but data: stops the rendering
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
        document = HTML(string=page, base_url=None, url_fetcher=fetcher).render(
            stylesheets=[state["css"]], font_config=state["fonts"]
        )
        meta: dict[str, Any] = {}
        data = document.write_pdf(finisher=_finish(meta), uncompressed_pdf=True)
        meta["sha256"] = hashlib.sha256(data).hexdigest()  # a damaged cache file is laid out again
    finally:
        if capture_log:
            logger.removeHandler(handler)
            logger.propagate = propagate
    head = json.dumps(meta, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")
    return _MAGIC + head + b"\n" + data, handler.records


#: A small page each worker lays out as it starts: the fonts and the text shaper are then warm
#: for the first real part (about a third of a second sooner)
_WARM_PAGE = '<!DOCTYPE html><html lang="nb"><body><h2>Æ</h2><p>Oppvarming <b>1,5 %</b></p></body></html>'


def _init_worker(css: str) -> None:
    _worker_state(css)
    _lay_out(css, _WARM_PAGE)
