"""The charts' own one-page PDFs (svg2pdf), copied into the report as form XObjects."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from typing import Any

from veikart.report.pdf._part import _Part, _PartError, _refs, _renumber
from veikart.report.pdf._writer import _pdf_number, _Writer

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
