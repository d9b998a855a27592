"""The merge: each part's pages copied into one PDF (`_Copier`), its footer and charts drawn
over it, with the outlines, named destinations, language and metadata."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from veikart.report.document import Report
from veikart.report.pdf._charts import _ChartForms
from veikart.report.pdf._part import _Part, _PartError, _refs, _renumber
from veikart.report.pdf._writer import _pdf_number, _pdf_string, _string_bytes, _Writer

#: Pages in one footer document (a part like the slides: its numbers never change)
_FOOTER_CHUNK = 32


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")


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
