"""The status report as PDF: 16:9 pages, one slide per page (a slide with more runs on over
more pages, its title repeated with "(forts.)"), the footer text and page number at the bottom.

Made slide by slide, so that it is quick, incremental and parallel:

1. Each slide is laid out by WeasyPrint as a small document of its own: the print HTML of just
   that slide (`html.build_print_parts`: same template, same base.css and print.css, plus
   print-parts.css), with the stylesheet given apart and parsed once per process, and with no
   page footer. The part (its PDF and a line of JSON: pages, anchors, bookmarks) is kept on disk
   (`cache_dir`, by default `<user cache>/veikart/pdf-slides`) under the SHA-256 of the
   stylesheet, the slide's HTML and the WeasyPrint and pydyf versions. A rebuild after one
   indicator changed lays out only the slides whose HTML changed. The system's fonts are not in
   the key: after changing them, clear the cache. Parts unused for 30 days are deleted.
2. The parts missing from the cache are laid out in parallel by `workers` processes (default:
   one per CPU; forked on Linux after WeasyPrint is imported, so no worker imports it again),
   the largest first; one part alone is laid out in this process. WeasyPrint's warnings in a
   worker are logged again here; a part taken from the cache logs nothing.
3. A slide that links to other slides (the contents) is laid out after them, when their page
   counts are known: each of its links carries the target's page number (`data-page`, shown by
   print-parts.css instead of `target-counter()`), and empty elements with the targets' ids
   stand in for the slides it links to, so that WeasyPrint keeps the links. If its own length
   moves the numbers it shows, it is laid out again (at most three times in all).
4. The page footers are documents of their own, 32 empty pages each, with the footer text at
   the left and the page number at the right as print.css sets them (none on the title page).
   Their numbers never change, so they are cached like the slides and laid out with them.
5. The merge works on the bytes of the parts, which WeasyPrint (through pydyf) writes here with
   plain objects and compressed streams: each part's objects are copied with new numbers (a
   reference is rewritten only outside strings and stream data), each page's content becomes a
   form XObject, and the new page draws it and then its footer, another form. No content stream
   is decoded, so merging takes milliseconds a slide. The PDF keeps what a single WeasyPrint
   document had: a bookmark per slide heading, a named destination for every id (on its page),
   the contents' links to the slides (they point at those names), the language and the title.
   Each slide brings its own font subsets, so the PDF is larger than a single document's.

Reproducible: the same report and `source_date_epoch` give the same bytes, in any process,
with any number of workers, and from a cold or a warm cache (the cache holds exactly the bytes a
layout gave; WeasyPrint writes no date or random value into a part, and the layout does not
depend on what the process laid out before). The PDF's /ID is the SHA-256 of the parts' keys and
the metadata; its creation and modification dates come from `source_date_epoch` (none when it
is None; the caller reads SOURCE_DATE_EPOCH); its /Producer names the WeasyPrint version.

Charts: WeasyPrint does not draw them. A slide is laid out with an empty SVG image of each
chart's size in its place (`html._slot_image`, marked with the chart's id); the layout notes
where each place is, and the merge draws the chart's own one-page vector PDF there (made from
its SVG by vl-convert's svg2pdf, cached by spec like the chart's other images, real text with
embedded font subsets), copied once into the report as a form XObject and scaled into the place.
WeasyPrint's drawing of a chart's SVG took more than half of a chart slide's layout; svg2pdf
takes a fifth of that. A slide's part no longer changes with its chart's data, only with the
chart's size. svg2pdf writes a page's resources and objects in an order that varies from run
to run: the copy sorts the resource dictionaries and numbers the objects in the order they are
reached, so the report's bytes do not vary. The whole-report print HTML (`pdf_html`, for a
browser) keeps the charts as SVG images (`CHART_FORMAT`). Nothing is fetched: any URL but data:
stops the rendering with an error.
"""

from __future__ import annotations

import hashlib
import html as _html
import json
import logging
import os
import re
import sys
import tempfile
import time
import warnings
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from veikart.report.document import Report
from veikart.report.html import PrintParts, build_html, build_print_footer, build_print_parts
from veikart.views.render import ChartRenderer, spec_hash

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

__all__ = ["CHART_FORMAT", "RenderStats", "last_stats", "pdf_html", "render_pdf"]

#: How charts go into the whole-report print HTML (`pdf_html`): "svg" (vector, searchable
#: text) or "png" (the PPTX's images at scale 2; WeasyPrint takes as long for it, since it
#: decodes and re-encodes the PNG, and the chart becomes a raster). So: SVG.
CHART_FORMAT = "svg"

#: How charts go into the slides laid out for the PDF: an empty place of the chart's size,
#: filled in the merge with the chart's own vector PDF (see the module docstring).
PART_CHART_FORMAT = "slot"

#: Part of every cache key: change it when the way a part's PDF is made changes.
_FORMAT_VERSION = "veikart-pdf-part-4"

#: Pages in one footer document (a part like the slides: its numbers never change)
_FOOTER_CHUNK = 32

#: Objects other than streams packed into one object stream of the merged PDF
_OBJECTS_PER_STREAM = 200

#: Parts laid out at most this often while their page numbers settle (normally once)
_MAX_LAYOUTS = 3

#: Cached parts unused for this long are deleted
_CACHE_MAX_AGE = 30 * 24 * 3600

_LOG = logging.getLogger(__name__)


@dataclass
class RenderStats:
    """What the last `render_pdf` call did (for benchmarks and tests)."""

    parts: int = 0  # documents in the PDF: the slides (and the report head without a title slide)
    pages: int = 0
    #: parts laid out anew: slide ids, "(head)", "(footer 1-32)"...
    rendered: list[str] = field(default_factory=list)
    cached: int = 0  # parts found in the cache
    workers: int = 0  # processes that laid parts out (0: none needed, 1: this process)
    seconds: float = 0.0


#: The statistics of the last `render_pdf` call in this process.
last_stats = RenderStats()


def _w3c_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")


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


# --- laying out one part (in this process or in a worker) -------------------------------------

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


# --- the cache --------------------------------------------------------------------------------

_MAGIC = b"%VKPART3 "


class _Cache:
    """Parts on disk by key; a cache that cannot be read or written only costs time."""

    def __init__(self, root: Path | None):
        self.root = root

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.part"

    def get(self, key: str) -> bytes | None:
        if self.root is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # in use: kept by `prune`
        except OSError:
            pass
        return data

    def has(self, key: str) -> bool:
        return self.root is not None and self._path(key).is_file()

    def put(self, key: str, data: bytes) -> None:
        if self.root is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)  # atomic: a parallel build never reads half a file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def prune(self, max_age: float = _CACHE_MAX_AGE) -> None:
        """Delete the parts nobody used for `max_age` seconds."""
        if self.root is None:
            return
        limit = time.time() - max_age
        try:
            for sub in os.scandir(self.root):
                if sub.is_dir():
                    for entry in os.scandir(sub.path):
                        if entry.stat().st_mtime < limit:
                            os.unlink(entry.path)
        except OSError:
            pass


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("veikart") / "pdf-slides"


@cache
def _versions() -> str:
    """WeasyPrint's and pydyf's versions, without importing them (which takes half a second
    that a build from the cache does not need)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}\npydyf {version('pydyf')}\n"


# --- reading a part ---------------------------------------------------------------------------

#: A literal string (pydyf escapes every parenthesis and backslash in one) or a reference
_TOKENS = re.compile(rb"\((?:\\.|[^\\)])*\)|(?<![\w.+-])(\d+) 0 R(?![\w])", re.DOTALL)
_STREAM_END = b"\nendstream\nendobj\n"
_STREAM_DICT_END = re.compile(rb"/Length (\d+)>>\nstream\n")


class _PartError(ValueError):
    pass


class _Part:
    """A part's PDF as WeasyPrint wrote it: objects by number, each a dictionary (or other
    value) and, for a stream, its data, untouched."""

    def __init__(self, key: str, blob: bytes):
        self.key = key
        if not blob.startswith(_MAGIC):
            raise _PartError("not a part")
        eol = blob.index(b"\n")
        meta = json.loads(blob[len(_MAGIC) : eol])
        self.pdf = blob[eol + 1 :]
        if hashlib.sha256(self.pdf).hexdigest() != meta["sha256"]:
            raise _PartError("damaged")
        self.pages_count: int = meta["pages"]
        self.anchors: dict[str, list[float]] = meta["anchors"]
        self.bookmarks: list[Any] = meta["bookmarks"]
        self.charts: list[list[Any]] = meta.get("charts", [])
        self._offsets = self._xref()
        root = self._ref(self.body(self._trailer_root), b"/Pages")
        self.pages_root = root
        kids = re.search(rb"/Kids \[([^\]]*)\]", self.body(root))
        if kids is None:
            raise _PartError("no /Kids")
        self.pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
        if len(self.pages) != self.pages_count:
            raise _PartError("page count")

    def _xref(self) -> dict[int, tuple[int, int]]:
        pdf = self.pdf
        tail = pdf[-64:]
        m = re.search(rb"startxref\n(\d+)\n%%EOF\n?$", tail)
        if m is None:
            raise _PartError("no startxref")
        xref = int(m.group(1))
        head = re.match(rb"xref\n0 (\d+)\n", pdf[xref : xref + 32])
        if head is None:
            raise _PartError("no classic xref table")
        count = int(head.group(1))
        table = pdf[xref + head.end() : xref + head.end() + 20 * count]
        starts = []
        for i in range(1, count):
            entry = table[20 * i : 20 * i + 20]
            if entry[17:18] == b"n":
                starts.append((int(entry[:10]), i))
        trailer = pdf[xref + head.end() + 20 * count :]
        root = re.search(rb"/Root (\d+) 0 R", trailer)
        if root is None:
            raise _PartError("no /Root")
        self._trailer_root = int(root.group(1))
        starts.sort()
        offsets = {}
        for j, (start, number) in enumerate(starts):
            end = starts[j + 1][0] if j + 1 < len(starts) else xref
            offsets[number] = (start, end)
        return offsets

    def object(self, number: int) -> tuple[bytes, bytes | None]:
        """An object's value (a stream's dictionary) and a stream's data (None if no stream)."""
        start, end = self._offsets[number]
        raw = self.pdf[start:end]
        header = b"%d 0 obj\n" % number
        if not raw.startswith(header):
            raise _PartError(f"object {number} is not where the table says")
        if raw.endswith(_STREAM_END):
            for m in _STREAM_DICT_END.finditer(raw, len(header)):
                if m.end() + int(m.group(1)) + len(_STREAM_END) == len(raw):
                    return raw[len(header) : m.end() - len(b"\nstream\n")], raw[
                        m.end() : len(raw) - len(_STREAM_END)
                    ]
        if not raw.endswith(b"\nendobj\n"):
            raise _PartError(f"object {number} does not end")
        return raw[len(header) : -len(b"\nendobj\n")], None

    def body(self, number: int) -> bytes:
        return self.object(number)[0]

    @staticmethod
    def _ref(body: bytes, key: bytes) -> int:
        m = re.search(re.escape(key) + rb" (\d+) 0 R", body)
        if m is None:
            raise _PartError(f"no {key.decode()}")
        return int(m.group(1))

    def page_entries(self, index: int) -> tuple[bytes, int, int, bytes]:
        """A page's dictionary, its content stream, its resources and its media box."""
        page = self.body(self.pages[index])
        box = re.search(rb"/MediaBox (\[[^\]]*\])", page)
        if box is None:
            raise _PartError("no /MediaBox")
        return page, self._ref(page, b"/Contents"), self._ref(page, b"/Resources"), box.group(1)


def _refs(data: bytes) -> list[int]:
    return [int(m.group(1)) for m in _TOKENS.finditer(data) if m.group(1) is not None]


def _renumber(data: bytes, mapping: Mapping[int, int]) -> bytes:
    def sub(m: re.Match[bytes]) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        return b"%d 0 R" % mapping[int(m.group(1))]

    return _TOKENS.sub(sub, data)


def _pdf_string(text: str) -> bytes:
    """A PDF text string as pydyf writes it (so that link targets and names compare equal)."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        return b"<" + (b"\xfe\xff" + text.encode("utf-16-be")).hex().encode("ascii") + b">"
    return b"(" + re.sub(rb"([\\()])", rb"\\\1", raw).replace(b"\r", b"\\r").replace(b"\n", b"\\n") + b")"


def _string_bytes(text: str) -> bytes:
    """The bytes a PDF string of `text` holds (name trees are sorted by them)."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return b"\xfe\xff" + text.encode("utf-16-be")


def _pdf_number(value: float) -> bytes:
    if float(value).is_integer():
        return b"%d" % int(value)
    return (f"{value:f}".rstrip("0")).encode("ascii")


# --- the charts' own PDFs --------------------------------------------------------------------

_WS = b" \t\r\n\f\0"
_DELIMS = _WS + b"()<>[]{}/%"


def _skip_ws(data: bytes, i: int) -> int:
    while i < len(data) and data[i] in _WS:
        i += 1
    return i


def _value_end(data: bytes, i: int) -> int:
    """The end of the PDF value starting at `i` (a dictionary, array, string, name, number or
    reference), for the simple objects a chart's PDF holds."""
    if data.startswith(b"<<", i) or data[i : i + 1] == b"[":
        depth, j = 0, i
        while j < len(data):
            if data.startswith(b"<<", j):
                depth, j = depth + 1, j + 2
            elif data.startswith(b">>", j):
                depth, j = depth - 1, j + 2
            elif data[j : j + 1] == b"[":
                depth, j = depth + 1, j + 1
            elif data[j : j + 1] == b"]":
                depth, j = depth - 1, j + 1
            elif data[j : j + 1] == b"(":
                j = _string_end(data, j)
            elif data[j : j + 1] == b"<":
                j = data.index(b">", j) + 1
            else:
                j += 1
            if depth == 0:
                return j
        raise _PartError("an unclosed dictionary or array")
    if data[i : i + 1] == b"(":
        return _string_end(data, i)
    if data[i : i + 1] == b"<":
        return data.index(b">", i) + 1
    ref = re.compile(rb"\d+\s+\d+\s+R(?![\w])").match(data, i)
    if ref is not None:
        return ref.end()
    j = i + 1
    while j < len(data) and data[j] not in _DELIMS:
        j += 1
    return j


def _string_end(data: bytes, i: int) -> int:
    depth, j = 0, i
    while j < len(data):
        c = data[j : j + 1]
        if c == b"\\":
            j += 2
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise _PartError("an unclosed string")


def _entries(body: bytes) -> dict[bytes, bytes]:
    """A dictionary's entries, name -> value as written (not decoded)."""
    i = _skip_ws(body, 0)
    if not body.startswith(b"<<", i):
        raise _PartError("not a dictionary")
    i = i + 2
    out: dict[bytes, bytes] = {}
    while True:
        i = _skip_ws(body, i)
        if body.startswith(b">>", i):
            return out
        if body[i : i + 1] != b"/":
            raise _PartError("a dictionary key that is not a name")
        j = i + 1
        while j < len(body) and body[j] not in _DELIMS:
            j += 1
        key = body[i:j]
        k = _skip_ws(body, j)
        end = _value_end(body, k)
        out[key] = body[k:end]
        i = end


def _canonical_dict(body: bytes, depth: int = 2) -> bytes:
    """A dictionary written again with its keys sorted, `depth` levels down: svg2pdf writes a
    page's resources in a different order from run to run, and the report must not change
    with it."""
    parts = []
    for key, value in sorted(_entries(body).items()):
        if depth > 1 and value.startswith(b"<<"):
            value = _canonical_dict(value, depth - 1)
        parts.append(key + b" " + value)
    return b"<<" + b"".join(parts) + b">>"


class _ChartPdf:
    """A chart's one-page PDF as vl-convert writes it (svg2pdf: a classic cross-reference table,
    one object after another, stream lengths written directly), to be drawn into a slide as a
    form XObject."""

    _OBJ = re.compile(rb"(\d+)\s+0\s+obj\s*")
    _STREAM = re.compile(rb">>\s*stream\r?\n")
    _ENDOBJ = re.compile(rb"\s*endobj")
    _ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s*")

    def __init__(self, pdf: bytes):
        self.pdf = pdf
        m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf[-64:])
        if m is None:
            raise _PartError("chart PDF: no startxref")
        head = re.compile(rb"xref\s+0\s+(\d+)\s+").match(pdf, int(m.group(1)))
        if head is None:
            raise _PartError("chart PDF: no classic xref table")
        self.offsets: dict[int, int] = {}
        pos = head.end()
        for number in range(int(head.group(1))):
            entry = self._ENTRY.match(pdf, pos)
            if entry is None:
                raise _PartError("chart PDF: a damaged xref entry")
            pos = entry.end()
            if entry.group(3) == b"n":
                self.offsets[number] = int(entry.group(1))
        root = re.search(rb"/Root\s+(\d+)\s+0\s+R", pdf[pos:])
        if root is None:
            raise _PartError("chart PDF: no /Root")
        pages = _Part._ref(self.object(int(root.group(1)))[0], b"/Pages")
        kids = re.search(rb"/Kids\s*\[\s*(\d+)\s+0\s+R", self.object(pages)[0])
        if kids is None:
            raise _PartError("chart PDF: no page")
        page = _entries(self.object(int(kids.group(1)))[0])
        contents = re.fullmatch(rb"(\d+)\s+0\s+R", page.get(b"/Contents", b""))
        box = re.fullmatch(rb"\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", page.get(b"/MediaBox", b""))
        if contents is None or box is None or b"/Resources" not in page:
            raise _PartError("chart PDF: a page without one content stream, a media box or resources")
        self.contents = int(contents.group(1))
        self.box = tuple(float(v) for v in box.groups())
        resources = page[b"/Resources"]
        if not resources.startswith(b"<<"):  # a reference: the dictionary itself
            resources = self.object(_Part._ref(b"/R " + resources, b"/R"))[0]
        self.resources = _canonical_dict(resources)
        self.group = page.get(b"/Group")

    def object(self, number: int) -> tuple[bytes, bytes | None]:
        """An object's value (a stream's dictionary) and a stream's data (None if no stream)."""
        if number not in self.offsets:
            raise _PartError(f"chart PDF: no object {number}")
        head = self._OBJ.match(self.pdf, self.offsets[number])
        if head is None or int(head.group(1)) != number:
            raise _PartError(f"chart PDF: object {number} is not where the table says")
        end = self._ENDOBJ.search(self.pdf, head.end())
        stream = self._STREAM.search(self.pdf, head.end())
        if end is None:
            raise _PartError(f"chart PDF: object {number} does not end")
        if stream is None or stream.start() > end.start():
            return self.pdf[head.end() : end.start()], None
        body = self.pdf[head.end() : stream.start() + 2]
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body)
        if length is None:
            raise _PartError(f"chart PDF: stream {number} without a direct /Length")
        start = stream.end()
        return body, self.pdf[start : start + int(length.group(1))]


class _ChartForms:
    """Copies each chart's PDF into the writer once, as a form XObject, its objects numbered
    in the order they are reached from the page (not in the order svg2pdf wrote them)."""

    def __init__(self, writer: _Writer, pdfs: Mapping[str, bytes]):
        self.writer = writer
        self.pdfs = pdfs
        self.forms: dict[str, tuple[int, tuple[float, ...]]] = {}

    def form(self, chart_id: str) -> tuple[int, tuple[float, ...]]:
        """The chart's form XObject and its box (x0, y0, x1, y1)."""
        if chart_id in self.forms:
            return self.forms[chart_id]
        if chart_id not in self.pdfs:
            raise _PartError(f"a slide has a place for chart {chart_id!r}, which has no PDF")
        chart = _ChartPdf(self.pdfs[chart_id])
        mapping: dict[int, int] = {}
        queue: deque[int] = deque()

        def number(local: int) -> int:
            if local not in mapping:
                mapping[local] = self.writer.reserve()
                queue.append(local)
            return mapping[local]

        body, stream = chart.object(chart.contents)
        if stream is None:
            raise _PartError("chart PDF: the content is not a stream")
        extra = chart.resources + (b"/Group " + chart.group if chart.group else b"")
        for ref in _refs(extra) + _refs(body):
            number(ref)
        box = b"[%s]" % b" ".join(_pdf_number(v) for v in chart.box)
        form_body = (
            b"<</Type /XObject/Subtype /Form/BBox %s/Resources %s" % (box, _renumber(chart.resources, mapping))
            + (b"/Group " + _renumber(chart.group, mapping) if chart.group else b"")
            + _renumber(_canonical_dict(body, 1), mapping)[2:]
        )
        form = self.writer.add(form_body, stream)
        while queue:
            local = queue.popleft()
            obj, data = chart.object(local)
            for ref in _refs(obj):
                number(ref)
            self.writer.set(mapping[local], _renumber(obj, mapping), data)
        self.forms[chart_id] = (form, chart.box)
        return self.forms[chart_id]

    def draw(self, slots: list[list[Any]], xobjects: list[bytes]) -> bytes:
        """The content that draws the charts of one page into their places; their forms are
        added to `xobjects` as /VkC0, /VkC1..."""
        out = []
        for _page, chart_id, x, y, width, height in slots:
            form, (x0, y0, x1, y1) = self.form(chart_id)
            name = b"/VkC%d" % len(xobjects)
            xobjects.append(b"%s %d 0 R" % (name, form))
            sx, sy = width / (x1 - x0), height / (y1 - y0)
            matrix = (sx, 0, 0, sy, x - x0 * sx, y - y0 * sy)
            out.append(b"q %s cm %s Do Q\n" % (b" ".join(_pdf_number(round(v, 6)) for v in matrix), name))
        return b"".join(out)


# --- writing the report ----------------------------------------------------------------------


class _Writer:
    """A PDF built object by object (numbers handed out first, bodies set later), written with
    its objects other than streams packed into compressed object streams, as WeasyPrint does."""

    def __init__(self) -> None:
        self.objects: list[tuple[bytes, bytes | None] | None] = [None]  # 0: the free list's head

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects) - 1

    def set(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.objects[number] = (body, stream)

    def add(self, body: bytes, stream: bytes | None = None) -> int:
        number = self.reserve()
        self.set(number, body, stream)
        return number

    def add_stream(self, data: bytes, extra: bytes = b"") -> int:
        packed = zlib.compress(data, 9)
        return self.add(b"<<%s/Filter /FlateDecode/Length %d>>" % (extra, len(packed)), packed)

    def write(self, root: int, info: int, identifier: bytes) -> bytes:
        out = [b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n"]
        position = len(out[0])
        entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}

        def emit(number: int, body: bytes, stream: bytes | None) -> None:
            nonlocal position
            if stream is not None:
                body = body + b"\nstream\n" + stream + b"\nendstream"
            chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
            entries[number] = (1, position, 0)
            out.append(chunk)
            position += len(chunk)

        plain: list[tuple[int, bytes]] = []
        for number, obj in enumerate(self.objects):
            if number == 0:
                continue
            if obj is None:
                raise RuntimeError(f"object {number} was never written")
            body, stream = obj
            if stream is None:
                plain.append((number, body))
            else:
                emit(number, body, stream)
        following = len(self.objects)
        for start in range(0, len(plain), _OBJECTS_PER_STREAM):
            batch = plain[start : start + _OBJECTS_PER_STREAM]
            container = following
            following += 1
            index, bodies, offset = [], [], 0
            for i, (number, body) in enumerate(batch):
                entries[number] = (2, container, i)
                index.append(b"%d %d" % (number, offset))
                bodies.append(body)
                offset += len(body) + 1
            head = b" ".join(index) + b"\n"
            packed = zlib.compress(head + b"\n".join(bodies), 6)
            extra = b"<</Type /ObjStm/N %d/First %d/Filter /FlateDecode/Length %d>>"
            emit(container, extra % (len(batch), len(head), len(packed)), packed)
        xref = following
        entries[xref] = (1, position, 0)
        width = max(1, (position.bit_length() + 7) // 8)
        table = b"".join(
            bytes([kind]) + field.to_bytes(width, "big") + extra.to_bytes(2, "big")
            for kind, field, extra in (entries[i] for i in range(xref + 1))
        )
        packed = zlib.compress(table, 6)
        ident = identifier.hex().encode("ascii")
        trailer = b"<</Type /XRef/Size %d/W [1 %d 2]/Root %d 0 R/Info %d 0 R" % (xref + 1, width, root, info)
        trailer += b"/ID [<%s> <%s>]/Filter /FlateDecode/Length %d>>" % (ident, ident, len(packed))
        emit(xref, trailer, packed)
        out.append(b"startxref\n%d\n%%%%EOF\n" % entries[xref][1])
        return b"".join(out)


class _Copier:
    """Copies what a part's pages need into the writer: every object reachable from them,
    numbered anew; a page's content stream becomes a form XObject."""

    def __init__(self, writer: _Writer, part: _Part, pages_root: int):
        self.writer = writer
        self.part = part
        self.mapping: dict[int, int] = {part.pages_root: pages_root}
        self.forms: dict[int, tuple[int, bytes]] = {}  # content stream -> (resources, media box)
        self.queue: deque[int] = deque()

    def number(self, local: int) -> int:
        if local not in self.mapping:
            self.mapping[local] = self.writer.reserve()
            self.queue.append(local)
        return self.mapping[local]

    def form(self, page_index: int) -> tuple[bytes, int]:
        """The page's dictionary and the number of its content as a form XObject."""
        page, contents, resources, box = self.part.page_entries(page_index)
        self.forms[contents] = (resources, box)
        return page, self.number(contents)

    def flush(self) -> None:
        while self.queue:
            local = self.queue.popleft()
            body, stream = self.part.object(local)
            if local in self.forms:
                resources, box = self.forms[local]
                if not body.startswith(b"<<"):
                    raise _PartError("a content stream without a dictionary")
                body = (
                    b"<</Type /XObject/Subtype /Form/BBox %s/Resources %d 0 R" % (box, resources) + body[2:]
                )
            for ref in _refs(body):
                self.number(ref)
            self.writer.set(self.mapping[local], _renumber(body, self.mapping), stream)


def _merge(
    report: Report,
    parts: list[_Part],
    owners: list[set[str]],
    footers: list[_Part],
    *,
    first_is_title: bool,
    identifier: bytes,
    source_date_epoch: int | None,
    producer: str,
    chart_pdfs: Mapping[str, bytes],
) -> bytes:
    writer = _Writer()
    forms = _ChartForms(writer, chart_pdfs)
    catalog, pages_root = writer.reserve(), writer.reserve()
    with_footer = writer.add_stream(b"/VkSlide Do\n/VkFooter Do\n")
    without_footer = writer.add_stream(b"/VkSlide Do\n")
    chunks = [_Copier(writer, footer, pages_root) for footer in footers]
    kids: list[int] = []
    dests: dict[str, tuple[int, float, float]] = {}
    outline: list[Any] = []  # [title, page object, x, y, children, state]
    for part, mine in zip(parts, owners, strict=True):
        copier = _Copier(writer, part, pages_root)
        numbers = [writer.reserve() for _ in part.pages]
        for local, number in zip(part.pages, numbers, strict=True):
            copier.mapping[local] = number  # a reference to a page is to the new page
        for index, number in enumerate(numbers):
            page, slide = copier.form(index)
            for ref in _refs(page):
                copier.number(ref)
            page = _renumber(page, copier.mapping)
            xobjects = b"/VkSlide %d 0 R" % slide
            content = without_footer
            footer = not (first_is_title and len(kids) == 0)
            if footer:
                chunk, index_in_chunk = divmod(len(kids), _FOOTER_CHUNK)
                form = chunks[chunk].form(index_in_chunk)[1]
                xobjects += b"/VkFooter %d 0 R" % form
                content = with_footer
            slots = [slot for slot in part.charts if slot[0] == index]
            if slots:  # the slide, its charts in their places, the footer
                names: list[bytes] = []
                drawn = forms.draw(slots, names)
                xobjects += b"".join(names)
                content = writer.add_stream(b"/VkSlide Do\n" + drawn + (b"/VkFooter Do\n" if footer else b""))
            page = re.sub(rb"/Contents \d+ 0 R", b"/Contents %d 0 R" % content, page, count=1)
            page = re.sub(rb"/Resources \d+ 0 R", b"/Resources <</XObject <<%s>>>>" % xobjects, page, count=1)
            writer.set(number, page)
            kids.append(number)
        copier.flush()
        for chunk_copier in chunks:
            chunk_copier.flush()
        for name, (page_index, x, y) in part.anchors.items():
            if name in mine and name not in dests:
                dests[name] = (numbers[int(page_index)], x, y)
        outline += _local(part.bookmarks, numbers)

    writer.set(
        pages_root,
        b"<</Type /Pages/Kids [%s]/Count %d>>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
    )

    entries = [b"/Type /Catalog", b"/Pages %d 0 R" % pages_root]
    if outline:
        entries.append(b"/Outlines %d 0 R" % _outlines(writer, outline))
    if dests:
        names = []
        for name in sorted(dests, key=_string_bytes):
            number, x, y = dests[name]
            names.append(
                _pdf_string(name) + b" [%d 0 R /XYZ %s %s 0]" % (number, _pdf_number(x), _pdf_number(y))
            )
        entries.append(b"/Names <</Dests <</Names [%s]>>>>" % b" ".join(names))
    entries.append(b"/Lang " + _pdf_string(report.lang))
    writer.set(catalog, b"<<" + b"".join(entries) + b">>")

    info = [
        (b"Title", report.title + (f" – {report.subtitle}" if report.subtitle else "")),
        (b"Subject", report.subtitle),
        (b"Creator", "Veikart"),
        (b"Producer", producer),
    ]
    if source_date_epoch is not None:
        date = _pdf_date(int(source_date_epoch))
        info += [(b"CreationDate", date), (b"ModDate", date)]
    info_number = writer.add(b"<<" + b"".join(b"/" + k + b" " + _pdf_string(v) for k, v in info if v) + b">>")
    return writer.write(catalog, info_number, identifier)


def _local(items: list[Any], numbers: list[int]) -> list[Any]:
    """A part's bookmarks with its page numbers replaced by the pages' objects."""
    return [
        [label, numbers[int(number)], x, y, _local(children, numbers), state]
        for label, (number, x, y), children, state in items
    ]


def _outlines(writer: _Writer, items: list[Any]) -> int:
    """The outline tree (as WeasyPrint writes it: open unless closed, counts of open items)."""
    root = writer.reserve()

    def level(entries: list[Any], parent: int) -> tuple[list[int], int]:
        numbers = [writer.reserve() for _ in entries]
        count = len(entries)
        for i, (title, page, x, y, children, state) in enumerate(entries):
            kids, kids_count = level(children, numbers[i])
            body = [
                b"/Title " + _pdf_string(title),
                b"/Parent %d 0 R" % parent,
                b"/Dest [%d 0 R /XYZ %s %s 0]" % (page, _pdf_number(x), _pdf_number(y)),
            ]
            if i > 0:
                body.append(b"/Prev %d 0 R" % numbers[i - 1])
            if i + 1 < len(numbers):
                body.append(b"/Next %d 0 R" % numbers[i + 1])
            if kids:
                body.append(b"/First %d 0 R/Last %d 0 R" % (kids[0], kids[-1]))
            if state == "closed":
                body.append(b"/Count %d" % -kids_count)
            else:
                body.append(b"/Count %d" % kids_count)
                count += kids_count
            writer.set(numbers[i], b"<<" + b"".join(body) + b">>")
        return numbers, count

    top, count = level(items, root)
    writer.set(root, b"<</Type /Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (top[0], top[-1], count))
    return root


# --- laying out the parts --------------------------------------------------------------------


def _key_base(css: str) -> Any:
    """The hash every part's key starts from: the format, the versions, the stylesheet."""
    salt = f"{_FORMAT_VERSION}\n{_versions()}"
    return hashlib.sha256(salt.encode() + hashlib.sha256(css.encode()).digest())


def _part_key(base: Any, page: str) -> str:
    h = base.copy()
    h.update(page.encode("utf-8"))
    return h.hexdigest()


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


_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'(<a\s[^>]*?\bhref="#([^"]*)")')


def _fragment(value: str) -> str:
    return unquote(_html.unescape(value))


def _with_page_numbers(page: str, numbers: Mapping[str, int], targets: list[str]) -> str:
    """A part that links to other parts: each link to a known target gets data-page="N", and
    an empty element stands in for each target elsewhere, so that WeasyPrint keeps the link
    (and does not warn); the merge points the link at the target's page."""

    def number(m: re.Match[str]) -> str:
        target = _fragment(m.group(2))
        if target not in numbers:
            return m.group(1)
        return f'{m.group(1)} data-page="{numbers[target]}"'

    page = _HREF.sub(number, page)
    if targets:
        anchors = "".join(f'<span id="{_html.escape(t, quote=True)}"></span>' for t in targets)
        head, tail, rest = page.rpartition("</body>")
        if not tail:
            raise ValueError("a print part without </body>")
        page = f'{head}<div class="vk-link-targets" aria-hidden="true">{anchors}</div>\n{tail}{rest}'
    return page


# --- the whole -------------------------------------------------------------------------------


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
    global last_stats
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
    last_stats = stats
    return data


class _Plan:
    """Which parts to lay out when: first the slides that link to no other slide, together with
    the footers of as many pages as there are slides; then the slides that do (the contents),
    with the page numbers of their targets, until those numbers settle; then the footers of
    the pages still missing."""

    def __init__(self, report: Report, doc: PrintParts, layouts: _Layouts | None):
        self.report = report
        self.doc = doc
        self.layouts = layouts
        self.n = n = len(doc.parts)
        self.names = [name or "(head)" for name in doc.names]
        ids = [{_html.unescape(v) for v in _ID.findall(p)} for p in doc.parts]
        self.links = [{_fragment(m.group(2)) for m in _HREF.finditer(p)} for p in doc.parts]
        self.owner: dict[str, int] = {}
        for i, found in enumerate(ids):
            for name in sorted(found):
                self.owner.setdefault(name, i)
        # each part's links to ids in other parts
        self.elsewhere = [
            sorted(t for t in self.links[i] if t in self.owner and t not in ids[i]) for i in range(n)
        ]
        self.dependent = [i for i in range(n) if self.elsewhere[i]]
        self.laid: dict[int, _Part] = {}
        self.footers: dict[int, _Part] = {}

    def owned(self) -> list[set[str]]:
        out: list[set[str]] = [set() for _ in range(self.n)]
        for name, i in self.owner.items():
            out[i].add(name)
        return out

    def _footer_jobs(self, pages: int) -> dict[Any, tuple[str, str]]:
        jobs = {}
        for chunk in range(-(-pages // _FOOTER_CHUNK)):
            if chunk not in self.footers:
                numbers = range(chunk * _FOOTER_CHUNK + 1, (chunk + 1) * _FOOTER_CHUNK + 1)
                page = build_print_footer(self.report, numbers, first_is_title=self.doc.first_is_title)
                jobs[("footer", chunk)] = (f"(footer {numbers[0]}-{numbers[-1]})", page)
        return jobs

    def _run(self, jobs: dict[Any, tuple[str, str]]) -> None:
        assert self.layouts is not None, "a plan made only to read its parts lays nothing out"
        for part, laid in self.layouts(jobs).items():
            if isinstance(part, tuple):
                self.footers[part[1]] = laid
            else:
                self.laid[part] = laid

    def _numbers(self) -> dict[str, int]:
        """Page numbers (from 1) of the link targets of the dependent parts, from what is laid
        out so far (a part not laid out yet counts one page)."""
        offsets, total = [], 0
        for i in range(self.n):
            offsets.append(total)
            total += self.laid[i].pages_count if i in self.laid else 1
        out = {}
        for i in self.dependent:
            for target in self.links[i]:
                if target in self.owner:
                    j = self.owner[target]
                    page = int(self.laid[j].anchors.get(target, [0])[0]) if j in self.laid else 0
                    out[target] = offsets[j] + page + 1
        return out

    def lay_out(self) -> tuple[list[_Part], list[_Part]]:
        doc = self.doc
        independent = {i: (self.names[i], doc.parts[i]) for i in range(self.n) if not self.elsewhere[i]}
        self._run({**independent, **self._footer_jobs(self.n)})
        if self.dependent:
            shown = self._numbers()
            for _ in range(_MAX_LAYOUTS):
                self._run(
                    {
                        i: (self.names[i], _with_page_numbers(doc.parts[i], shown, self.elsewhere[i]))
                        for i in self.dependent
                    }
                )
                now = self._numbers()
                if now == shown:
                    break
                shown = now
            else:
                _LOG.warning("the page numbers in the contents did not settle; some may be off by a page")
        parts = [self.laid[i] for i in range(self.n)]
        total = sum(p.pages_count for p in parts)
        self._run(self._footer_jobs(total))
        return parts, [self.footers[c] for c in range(-(-total // _FOOTER_CHUNK))]
