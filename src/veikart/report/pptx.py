"""The status report as a PowerPoint deck: editable text boxes, real tables and chart pictures.

`render_pptx(report, charts)` lays out every slide of a `Report` (see `document.py`) with
python-pptx and returns the .pptx file as bytes. What a slide says is decided by the composer;
this module only decides where it goes.

Design
- Without a template: python-pptx's default template at 16:9 (13.333 x 7.5 in), its "Blank"
  layout and a design of our own: a dark title bar (title 28 pt, shrinking for long titles, the
  status badge at its right end), body text 16 to 9 pt, a footer with the report's footer text
  on the left and the page number on the right of every slide but the title slide.
- With a template (an organisation's .pptx): its masters, layouts, theme fonts and slide size.
  Its slides are removed; the title slide uses the layout "Title Slide"/"Tittellysbilde", the
  others "Title Only"/"Bare tittel" (else "Title and Content"/"Tittel og innhold", else any
  layout with a title). The slide title goes into the title placeholder, our content into text
  boxes in the body area below it, the footer where the layout has its footer placeholders.
- Layouts by slide kind: "goal" as in the seed deck (overall status | selected indicators on
  top, then up to three columns on cards: positive events, challenges, strategic questions;
  further full-width sections below those); "indicator", "statistic", "survey": text left,
  chart right; every other kind flows in one column and continues on further slides ("(forts.)")
  when it does not fit. A table continues on a new slide after at most 12 rows.
- python-pptx cannot measure text, so heights are estimated (an average character is 0.46 em
  wide in Calibri, the default theme's font, 0.5 em in an unknown template font; a line is
  1.2 em high) and each slide gets the largest body size from 16 down to 9 pt at which
  everything fits; columns side by side are widened or narrowed to end about level. Every text frame wraps and has "shrink text on overflow" (normAutofit);
  if even 9 pt does not fit, the frames also carry an explicit font scale and a warning is
  logged, so text never runs off the slide unnoticed.
- Inline Markdown-lite: **bold**, *italic*, [text](https://...) (http and https only) and
  [text](#slide-id), a jump to another slide of the deck; backslash escapes \\* \\[ \\] \\\\.
- Reproducible: the same report and `source_date_epoch` give the same bytes (fixed core
  properties, zip entries in a fixed order with a fixed timestamp).
"""

from __future__ import annotations

import io
import logging
import math
import re
import struct
import uuid
import zipfile
from collections import deque
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.text.text import Font
from pptx.util import Emu, Pt

from veikart.report.document import (
    Badge,
    Bullets,
    Callout,
    ChartBlock,
    ChartSpec,
    Facts,
    Paragraph,
    Report,
    Section,
    Slide,
    TableBlock,
)
from veikart.report.words import renderer_words

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import Slide as PptxSlide
    from pptx.slide import SlideLayout
    from pptx.text.text import _Paragraph

    from veikart.views.render import ChartRenderer

__all__ = ["render_pptx"]

log = logging.getLogger(__name__)

# --- units and measures ------------------------------------------------------------------------

IN = 914400  # EMU per inch
PT = 12700  # EMU per point
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 x 7.5 in

#: average character width in em, by the theme's body font (Norwegian prose; a little on the wide
#: side). Set per render from the theme; unknown fonts get DEFAULT_CHAR_EM.
CHAR_EMS = {"calibri": 0.46, "carlito": 0.46, "arial narrow": 0.42, "verdana": 0.56, "tahoma": 0.52}
DEFAULT_CHAR_EM = 0.5
_char_em: ContextVar[float] = ContextVar("veikart_pptx_char_em", default=DEFAULT_CHAR_EM)
LINE = 1.2  # line height, in em
BODY_SIZES = (16, 15, 14, 13, 12, 11, 10, 9)  # body text sizes tried, largest first
FLOW_MIN_ONE_PAGE = 11  # a flowing slide continues on a new slide rather than going below this
FLOW_PAGE_SIZE = 13  # ... and is cut into pages at this size
TABLE_MAX_ROWS = 12
TITLE_SIZES = (28, 24, 22, 20, 18)

INSET_X = int(0.06 * IN)
INSET_Y = int(0.04 * IN)
COL_GAP = int(0.3 * IN)
ROW_GAP = int(0.2 * IN)
CHUNK_GAP = int(0.1 * IN)
SECTION_GAP = int(0.2 * IN)
CARD_PAD = int(0.1 * IN)
CALLOUT_PAD = int(0.1 * IN)
CELL_MX, CELL_MY = int(0.06 * IN), int(0.03 * IN)
CHART_MIN_H = int(2.0 * IN)
HEADING_ROOM = int(0.5 * IN)  # kept free above a table continued on a new slide
PROVENANCE_SIZE = 9

ILLUSTRATIVE = {"nb": "Illustrasjonsdata - ikke offisielle tall", "en": "Illustrative data - not official figures"}
LANG_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB", "se": "se-NO"}


def _pt(emu: float) -> float:
    return emu / PT


# --- colours and style -------------------------------------------------------------------------

Colour = RGBColor | MSO_THEME_COLOR


def _rgb(text: str | None, default: str = "808080") -> RGBColor:
    """'#RRGGBB', 'RRGGBB' or '#RGB' as a colour (grey when unreadable)."""
    t = (text or "").strip().lstrip("#")
    if len(t) == 3:
        t = "".join(c * 2 for c in t)
    try:
        return RGBColor.from_string(t.upper())
    except ValueError:
        return RGBColor.from_string(default)


@dataclass(frozen=True)
class _Style:
    builtin: bool
    text: Colour | None  # body text (None: the template's)
    heading: Colour
    muted: RGBColor
    card: RGBColor
    card_line: RGBColor
    bar: RGBColor  # title bar (built-in design)
    stripe: RGBColor
    table_header: RGBColor | None  # None: the template's table style
    table_band: RGBColor | None
    warning: RGBColor


BUILTIN = _Style(
    builtin=True,
    text=RGBColor(0x1F, 0x29, 0x33),
    heading=RGBColor(0x1F, 0x4E, 0x79),
    muted=RGBColor(0x55, 0x60, 0x6E),
    card=RGBColor(0xF1, 0xF4, 0xF8),
    card_line=RGBColor(0xD5, 0xDD, 0xE6),
    bar=RGBColor(0x1B, 0x36, 0x5D),
    stripe=RGBColor(0x2A, 0x9D, 0x8F),
    table_header=RGBColor(0x1B, 0x36, 0x5D),
    table_band=RGBColor(0xF1, 0xF4, 0xF8),
    warning=RGBColor(0x9A, 0x4D, 0x00),
)
TEMPLATED = replace(
    BUILTIN,
    builtin=False,
    text=None,
    heading=MSO_THEME_COLOR.TEXT_2,
    card=RGBColor(0xF2, 0xF2, 0xF2),
    card_line=RGBColor(0xD9, 0xD9, 0xD9),
    table_header=None,
    table_band=None,
)

CALLOUT_TONES = {  # fill, border/title
    "ambition": (RGBColor(0xE8, 0xF5, 0xEC), RGBColor(0x1E, 0x6B, 0x3A)),
    "note": (RGBColor(0xE8, 0xF0, 0xFA), RGBColor(0x1F, 0x4E, 0x79)),
    "warning": (RGBColor(0xFF, 0xF3, 0xE0), RGBColor(0x9A, 0x4D, 0x00)),
}


def _set_colour(colour_format: Any, c: Colour | None) -> None:
    if c is None:
        return
    if isinstance(c, RGBColor):
        colour_format.rgb = c
    else:
        colour_format.theme_color = c


# --- Markdown-lite -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # an http(s) address
    jump: str | None = None  # a slide id


_ESCAPES = {"\\\\": "\ue000", "\\*": "\ue001", "\\[": "\ue002", "\\]": "\ue003", "\\(": "\ue004", "\\)": "\ue005"}
_UNESCAPE = str.maketrans({v: k[1] for k, v in _ESCAPES.items()})
_ESCAPE_RE = re.compile(r"\\[\\*\[\]()]")
_INLINE = re.compile(
    r"\*\*(?P<b>.+?)\*\*"
    r"|(?<![*\w])\*(?P<i>[^\s*](?:[^*]*?[^\s*])?)\*(?![*\w])"
    r"|\[(?P<lt>[^\]]+)\]\((?P<lu>(?:[^()\s]|\([^()\s]*\))+)\)",
    re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_url(url: str) -> str | None:
    """The address if it is an absolute http(s) URL without spaces or quotes, else None."""
    if any(c in url for c in ' "<>\\`') or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[_Span, ...]:
    """Inline Markdown-lite as styled spans of plain text."""
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], _CONTROL.sub("", text))
    return tuple(s for s in _spans(text, _Span("")) if s.text)


def _spans(text: str, style: _Span) -> list[_Span]:
    out: list[_Span] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(replace(style, text=text[pos : m.start()].translate(_UNESCAPE)))
        if m.group("b") is not None:
            out += _spans(m.group("b"), replace(style, bold=True))
        elif m.group("i") is not None:
            out += _spans(m.group("i"), replace(style, italic=True))
        else:
            target = m.group("lu").translate(_UNESCAPE)
            inner = style
            if target.startswith("#") and len(target) > 1:
                inner = replace(style, jump=target[1:])
            elif safe_url(target):
                inner = replace(style, link=target)
            out += _spans(m.group("lt"), inner)  # any other target: the text without a link
        pos = m.end()
    if pos < len(text):
        out.append(replace(style, text=text[pos:].translate(_UNESCAPE)))
    return out


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """The text without its Markdown-lite markup."""
    return "".join(s.text for s in spans(text))


# --- measuring text ----------------------------------------------------------------------------


def count_lines(text: str, width_pt: float, size: float, bold: bool = False) -> int:
    """How many lines `text` wraps to in a frame `width_pt` wide, greedily by words."""
    per_line = max(1, int(width_pt / (size * _char_em.get() * (1.06 if bold else 1.0))))
    total = 0
    for line in text.split("\n"):
        n, used = 1, 0
        for word in line.split():
            w = len(word)
            if used and used + 1 + w <= per_line:
                used += 1 + w
                continue
            if used:
                n += 1
            n += (w - 1) // per_line
            used = w - ((w - 1) // per_line) * per_line
        total += n
    return total


def text_height(text: str, width_emu: int, size: float, bold: bool = False) -> int:
    return int(count_lines(text, _pt(width_emu), size, bold) * size * LINE * PT)


# --- chunks: what a column holds ---------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    kind: str  # heading | text | bullet | fact
    text: str
    label: str = ""
    number: int = 0  # an ordered list item's number; 0 for a plain bullet


def _para_metrics(p: _Para, f: float) -> tuple[float, float, float, float]:
    """size, left indent (pt), space before (when not first), space after."""
    if p.kind == "heading":
        return f + 2, 0.0, 0.5 * f, 0.25 * f
    if p.kind == "bullet":
        return f, (0.3 if p.number else 0.22) * 72, 0.0, 0.25 * f
    if p.kind == "fact":
        return f, 0.0, 0.0, 0.2 * f
    return f, 0.0, 0.0, 0.45 * f


def _para_plain(p: _Para) -> str:
    return f"{plain(p.label)}: {plain(p.text)}" if p.kind == "fact" else plain(p.text)


class _Chunk:
    gap = 0  # space above it, unless it is first in its column
    page_break = False  # starts a new slide (table continuations)
    flexible = False  # a chart: grows into the space left

    def height(self, f: float, w: int) -> int:
        raise NotImplementedError

    def natural(self, f: float, w: int) -> int:
        return self.height(f, w)


class _Text(_Chunk):
    def __init__(self, paras: list[_Para], gap: int = 0):
        self.paras = paras
        self.gap = gap

    def para_heights(self, f: float, w: int) -> list[float]:
        inner = _pt(w - 2 * INSET_X)
        out = []
        for i, p in enumerate(self.paras):
            size, indent, before, after = _para_metrics(p, f)
            lines = count_lines(_para_plain(p), inner - indent, size, p.kind == "heading")
            out.append((before if i else 0.0) + lines * size * LINE + after)
        return out

    def height(self, f: float, w: int) -> int:
        return int((sum(self.para_heights(f, w)) + 2 * _pt(INSET_Y)) * PT)

    def split(self, f: float, w: int, avail: int) -> tuple[_Text, _Text] | None:
        """The longest head that fits `avail` (not ending on a heading) and the rest."""
        heights = self.para_heights(f, w)
        used, k = 2 * _pt(INSET_Y), 0
        for i, h in enumerate(heights):
            h_here = h - (_para_metrics(self.paras[i], f)[2] if i == 0 else 0)
            if used + h_here > _pt(avail):
                break
            used += h_here
            k = i + 1
        while k and self.paras[k - 1].kind == "heading":
            k -= 1
        if k == 0 or k == len(self.paras):
            return None
        return _Text(self.paras[:k], self.gap), _Text(self.paras[k:], 0)


class _BadgeChunk(_Chunk):
    def __init__(self, badge: Badge, gap: int = 0):
        self.badge = badge
        self.gap = gap

    def height(self, f: float, w: int) -> int:
        return int((f * LINE + 8) * PT)

    def width(self, f: float, w: int) -> int:
        return min(w, int(len(_badge_text(self.badge)) * f * 0.56 * PT + 0.35 * IN))


class _CalloutChunk(_Chunk):
    def __init__(self, callout: Callout, gap: int = 0):
        self.callout = callout
        self.gap = gap

    def height(self, f: float, w: int) -> int:
        inner = w - 2 * CALLOUT_PAD - 2 * INSET_X
        h = text_height(plain(self.callout.title), inner, f, True) + int(0.2 * f * PT)
        h += text_height(plain(self.callout.text), inner, f)
        return h + 2 * CALLOUT_PAD + 2 * INSET_Y


class _ChartChunk(_Chunk):
    flexible = True

    def __init__(self, chart: ChartSpec, png: bytes, notice: str, gap: int = 0):
        self.chart = chart
        self.png = png
        self.gap = gap
        self.notice = notice  # the illustrative-data notice to add, if the provenance lacks it
        try:
            wpx, hpx = struct.unpack(">II", png[16:24])
            self.aspect = wpx / hpx
        except (struct.error, ZeroDivisionError):
            self.aspect = chart.width / chart.height if chart.height else 2.0

    def caption(self) -> list[tuple[str, bool]]:
        lines = [(self.chart.provenance, False)] if self.chart.provenance else []
        if self.notice:
            lines.append((self.notice, True))
        return lines

    def caption_height(self, w: int) -> int:
        inner = w - 2 * INSET_X
        h = sum(text_height(plain(t), inner, PROVENANCE_SIZE, b) for t, b in self.caption())
        return h + 2 * INSET_Y if h else 0

    def natural(self, f: float, w: int) -> int:
        return int(w / self.aspect) + self.caption_height(w)

    def height(self, f: float, w: int) -> int:
        image = int(w / self.aspect)
        return min(image, CHART_MIN_H) + self.caption_height(w)


class _TableChunk(_Chunk):
    def __init__(
        self, table: TableBlock, start: int, stop: int, gap: int = 0, page_break: bool = False, cut: bool = False
    ):
        self.table = table
        self.cut = cut  # already cut for slides
        self.start, self.stop = start, stop
        self.gap = gap
        self.page_break = page_break
        n = len(table.columns)
        self.size = 14 if n <= 3 else (13 if n <= 5 else (12 if n <= 7 else 11))  # never above the body size
        self._widths: dict[int, list[int]] = {}

    def cell_text(self, row: int, col: int) -> str:
        values = self.table.rows[row]
        text = values[col] if col < len(values) else ""
        b = self.badge(row, col)
        return _badge_text(b) if b is not None else text

    def badge(self, row: int, col: int) -> Badge | None:
        t = self.table
        if t.badge_column is None or col != t.badge_column or row >= len(t.badges):
            return None
        return t.badges[row]

    def widths(self, w: int) -> list[int]:
        """Column widths by content, as a browser's automatic table layout: each column at least
        as wide as its longest word, the rest shared by how much more its longest cell needs."""
        if w in self._widths:
            return self._widths[w]
        t = self.table
        per_char = self.size * _char_em.get() * PT
        pad = 2 * CELL_MX + int(4 * PT)
        mins, maxs = [], []
        for j, head in enumerate(t.columns):
            texts = [plain(head)] + [plain(self.cell_text(i, j)) for i in range(len(t.rows))]
            longest = max(len(x) for x in texts)
            word = max((len(p) for x in texts for p in x.split()), default=1)
            mins.append(min(int(word * per_char * 1.06) + pad, int(w * 0.3)))
            maxs.append(max(int(longest * per_char * 1.06) + pad, mins[-1]))
        if sum(maxs) <= w:
            out = [int(x + (w - sum(maxs)) * x / sum(maxs)) for x in maxs]
        elif sum(mins) >= w:
            out = [int(w * x / sum(mins)) for x in mins]
        else:
            spread = sum(b - a for a, b in zip(mins, maxs, strict=True)) or 1
            out = [int(a + (w - sum(mins)) * (b - a) / spread) for a, b in zip(mins, maxs, strict=True)]
        out[-1] = w - sum(out[:-1])
        self._widths[w] = out
        return out

    def row_height(self, texts: Sequence[str], widths: Sequence[int], size: float, bold: bool = False) -> int:
        lines = max(
            (count_lines(plain(t), _pt(cw - 2 * CELL_MX), size, bold) for t, cw in zip(texts, widths, strict=False)),
            default=1,
        )
        return int(lines * size * LINE * PT) + 2 * CELL_MY + int(2 * PT)

    def row_heights(self, w: int, size: float | None = None) -> list[int]:
        size = size or self.size
        widths = self.widths(w)
        t = self.table
        out = [self.row_height(t.columns, widths, size, True)]
        for i in range(self.start, self.stop):
            out.append(self.row_height([self.cell_text(i, j) for j in range(len(t.columns))], widths, size))
        return out

    def caption_height(self, w: int) -> int:
        if not self.table.caption:
            return 0
        return text_height(plain(self.table.caption), w - 2 * INSET_X, 10) + 2 * INSET_Y + int(0.05 * IN)

    def height(self, f: float, w: int) -> int:
        return sum(self.row_heights(w, min(self.size, f))) + self.caption_height(w)

    def pieces(self, w: int, avail: int, first_room: int) -> list[_TableChunk]:
        """The table cut for slides: a first piece in the `first_room` left on the current slide
        (if at least three rows fit there), then pieces of at most TABLE_MAX_ROWS rows that fit
        `avail`, the rows spread evenly, each starting a new slide."""
        heights = self.row_heights(w)
        head, rows = heights[0], heights[1:]
        extra = head + self.caption_height(w)

        def count(i: int, room: int, cap: int) -> int:
            k, used = 0, extra
            while i + k < len(rows) and k < cap and used + rows[i + k] <= room:
                used += rows[i + k]
                k += 1
            return k

        def cut(i: int, cap: int) -> list[tuple[int, int]]:
            out = []
            while i < len(rows):
                k = max(1, count(i, avail, cap))
                out.append((i, i + k))
                i += k
            return out

        first = count(0, first_room, TABLE_MAX_ROWS)
        here = first >= max(1, min(3, len(rows)))  # a first piece stays on the current slide
        ranges: list[tuple[int, int]] = [(0, first)] if here else []
        rest = cut(first if here else 0, TABLE_MAX_ROWS)
        if len(rest) > 1:  # the same number of slides, rows spread evenly
            i0 = rest[0][0]
            even = cut(i0, math.ceil((len(rows) - i0) / len(rest)))
            if len(even) == len(rest):
                rest = even
        ranges += rest
        return [
            _TableChunk(
                self.table,
                self.start + a,
                self.start + b,
                self.gap if k == 0 else 0,
                page_break=k > 0 or not here,
                cut=True,
            )
            for k, (a, b) in enumerate(ranges)
        ]


def _badge_text(b: Badge) -> str:
    return f"{b.label} ({b.score})" if b.score else b.label


# --- from sections to chunks -------------------------------------------------------------------


def _chunks(sections: Sequence[Section], ctx: _Ctx) -> list[_Chunk]:
    out: list[_Chunk] = []
    for s_no, section in enumerate(sections):
        gap = SECTION_GAP if s_no else 0
        text: list[_Para] = []

        def flush() -> None:
            nonlocal gap, text
            if text:
                out.append(_Text(text, gap))
                gap, text = CHUNK_GAP, []

        def add(chunk: _Chunk) -> None:
            nonlocal gap
            flush()
            chunk.gap = gap
            out.append(chunk)
            gap = CHUNK_GAP

        charted = any(isinstance(b, ChartBlock) for b in section.blocks)
        if section.title:
            text.append(_Para("heading", section.title))
        elif charted:  # a chart without a section title gets its own title as heading
            first = next(b for b in section.blocks if isinstance(b, ChartBlock))
            text.append(_Para("heading", ctx.report.charts[first.chart_id].title.replace("*", "\\*")))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                text.append(_Para("text", block.text))
            elif isinstance(block, Bullets):
                for n, item in enumerate(block.items, 1):
                    text.append(_Para("bullet", item, number=n if block.ordered else 0))
            elif isinstance(block, Facts):
                for label, value in block.items:
                    text.append(_Para("fact", value, label=label))
            elif isinstance(block, Badge):
                add(_BadgeChunk(block))
            elif isinstance(block, Callout):
                add(_CalloutChunk(block))
            elif isinstance(block, ChartBlock):
                add(ctx.chart_chunk(block.chart_id))
            elif isinstance(block, TableBlock):
                add(_TableChunk(block, 0, len(block.rows)))
        flush()
    return out


# --- regions, columns and fitting --------------------------------------------------------------


@dataclass
class _Column:
    frac: float
    chunks: list[_Chunk]
    card: bool = False

    def inner(self, w: int) -> int:
        return w - 2 * CARD_PAD if self.card else w

    def required(self, f: float, w: int, natural: bool = False) -> int:
        iw = self.inner(w)
        h = sum((c.gap if i else 0) + (c.natural(f, iw) if natural else c.height(f, iw)) for i, c in enumerate(self.chunks))
        return h + (2 * CARD_PAD if self.card else 0)


@dataclass
class _Region:
    columns: list[_Column]
    balance: bool = False  # widen the fuller columns so that the columns end about level

    def rebalance(self, f: float, w: int) -> None:
        n = len(self.columns)
        if not self.balance or n < 2:
            return
        lo, hi = 0.65 / n, 1.5 / n
        fracs = [1.0 / n] * n
        for _ in range(8):
            for c, x in zip(self.columns, fracs, strict=True):
                c.frac = x
            hs = [max(1, c.required(f, cw)) for c, cw in zip(self.columns, self.widths(w), strict=True)]
            mean = sum(hs) / n
            if max(hs) <= mean * 1.05:
                break
            fracs = [min(hi, max(lo, x * (h / mean) ** 0.7)) for x, h in zip(fracs, hs, strict=True)]
            fracs = [x / sum(fracs) for x in fracs]

    def widths(self, w: int) -> list[int]:
        usable = w - COL_GAP * (len(self.columns) - 1)
        total = sum(c.frac for c in self.columns)
        return [int(usable * c.frac / total) for c in self.columns]

    def required(self, f: float, w: int, natural: bool = False) -> int:
        return max((c.required(f, cw, natural) for c, cw in zip(self.columns, self.widths(w), strict=True)), default=0)

    @property
    def carded(self) -> bool:
        return any(c.card for c in self.columns)


@dataclass
class _Fit:
    size: float
    heights: list[int]  # per region
    scale: float  # < 1: even the smallest size overflows; everything is scaled down by this
    fits: bool

    @property
    def font_scale(self) -> float:
        """The text frames' font scale: `scale`, but not below 50 %."""
        return max(0.5, self.scale)


def _fit(regions: list[_Region], w: int, h: int, sizes: Sequence[float] = BODY_SIZES) -> _Fit:
    gaps = ROW_GAP * max(0, len(regions) - 1)
    for f in sizes:
        for r in regions:
            r.rebalance(f, w)
        req = [r.required(f, w) for r in regions]
        if sum(req) + gaps <= h:
            break
    else:
        total = sum(req) + gaps
        scale = (h - gaps) / max(1, total - gaps)
        return _Fit(f, [int(x * scale) for x in req], scale, False)
    slack = h - gaps - sum(req)
    natural = [max(r.required(f, w, natural=True), q) for r, q in zip(regions, req, strict=True)]
    want = [n - q for n, q in zip(natural, req, strict=True)]
    if sum(want) > 0:  # charts grow first
        share = min(1.0, slack / sum(want))
        req = [q + int(x * share) for q, x in zip(req, want, strict=True)]
        slack = h - gaps - sum(req)
    if slack > 0 and any(r.carded for r in regions):  # cards fill the rest
        base = sum(req) or 1
        req = [q + int(slack * q / base) for q in req]
    return _Fit(f, req, 1.0, True)


# --- the render context --------------------------------------------------------------------------


class _Ctx:
    def __init__(self, report: Report, charts: ChartRenderer, prs: PresentationT, style: _Style):
        self.report = report
        self.renderer = charts
        self.prs = prs
        self.style = style
        self.lang = report.lang
        self.lang_tag = LANG_TAGS.get(report.lang, report.lang)
        self.jumps: list[tuple[Any, Any, str]] = []  # (slide part, a:rPr, slide id)
        self.first_slide: dict[str, PptxSlide] = {}
        self.part: Any = None  # the part runs are written into (for slide jumps)
        self.title = ""  # the slide being drawn, for messages
        self.notice = report.illustrative_notice or ILLUSTRATIVE.get(report.lang, ILLUSTRATIVE["en"])

    def chart_chunk(self, chart_id: str) -> _ChartChunk:
        chart = self.report.charts[chart_id]
        png = self.renderer.png(chart.spec)
        notice = ""
        if chart.illustrative and self.notice.casefold() not in chart.provenance.casefold():
            notice = self.notice
        return _ChartChunk(chart, png, notice)

    # --- runs ---

    def write(
        self,
        para: _Paragraph,
        text: str,
        *,
        size: float | None,
        bold: bool = False,
        italic: bool = False,
        colour: Colour | None = None,
        links: bool = True,
    ) -> None:
        """`text` (Markdown-lite) as runs; `size` None keeps the inherited size."""
        for sp in spans(text):
            for k, piece in enumerate(sp.text.split("\n")):
                if k:
                    para.add_line_break()
                if not piece:
                    continue
                run = para.add_run()
                run.text = piece
                font = run.font
                if size is not None:
                    font.size = Pt(size)
                if bold or sp.bold:
                    font.bold = True
                if italic or sp.italic:
                    font.italic = True
                rPr = run._r.get_or_add_rPr()
                rPr.set("lang", self.lang_tag)
                if links and sp.link:
                    run.hyperlink.address = sp.link
                elif links and sp.jump and self.part is not None:
                    self.jumps.append((self.part, rPr, sp.jump))
                    continue  # the theme's hyperlink colour
                else:
                    _set_colour(font.color, colour)


# --- shapes ------------------------------------------------------------------------------------


def _frame(
    shape: Any,
    *,
    anchor: Any = MSO_ANCHOR.TOP,
    mx: int | None = INSET_X,
    my: int | None = INSET_Y,
    scale: float = 1.0,
    autofit: bool = True,
) -> Any:
    """Wrap words, shrink text on overflow (normAutofit, with `scale` < 1 as its font scale)."""
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE if autofit else MSO_AUTO_SIZE.NONE
    if mx is not None:
        tf.margin_left = tf.margin_right = Emu(mx)
    if my is not None:
        tf.margin_top = tf.margin_bottom = Emu(my)
    tf.vertical_anchor = anchor
    if scale < 1.0:
        fit = tf._txBody.bodyPr.find(qn("a:normAutofit"))
        if fit is not None:
            fit.set("fontScale", str(int(scale * 100) * 1000))
            fit.set("lnSpcReduction", "10000")
    return tf


def _textbox(slide: PptxSlide, x: int, y: int, w: int, h: int, name: str | None = None, **kw: Any) -> Any:
    box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(max(w, 1)), Emu(max(h, 1)))
    if name:
        box.name = name
    _frame(box, **kw)
    return box


def _rect(
    slide: PptxSlide,
    x: int,
    y: int,
    w: int,
    h: int,
    fill: RGBColor | None,
    line: RGBColor | None = None,
    rounded: float | None = None,
    name: str | None = None,
) -> Any:
    kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded is not None else MSO_SHAPE.RECTANGLE
    shape = slide.shapes.add_shape(kind, Emu(x), Emu(y), Emu(max(w, 1)), Emu(max(h, 1)))
    if rounded is not None:
        shape.adjustments[0] = rounded
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = fill
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
        shape.line.width = Pt(0.75)
    style = shape._element.find(qn("p:style"))
    if style is not None:  # no theme shadow, fill or font colour behind our own
        shape._element.remove(style)
    if name:
        shape.name = name
    return shape


def _bullet(para: _Paragraph, indent: int, start: int | None) -> None:
    pPr = para._p.get_or_add_pPr()
    pPr.set("marL", str(indent))
    pPr.set("indent", str(-indent))
    if start is None:
        font = pPr.makeelement(qn("a:buFont"), {"typeface": "Arial"})
        pPr.append(font)
        pPr.append(pPr.makeelement(qn("a:buChar"), {"char": "\u2022"}))
    else:
        attrs = {"type": "arabicPeriod"}
        if start > 1:
            attrs["startAt"] = str(start)
        pPr.append(pPr.makeelement(qn("a:buAutoNum"), attrs))


def _first_or_new(tf: Any, first: bool) -> _Paragraph:
    return tf.paragraphs[0] if first else tf.add_paragraph()


def _draw_text(ctx: _Ctx, slide: PptxSlide, chunk: _Text, x: int, y: int, w: int, h: int, f: float, scale: float) -> None:
    box = _textbox(slide, x, y, w, h, scale=scale)
    tf = box.text_frame
    st = ctx.style
    run_start = None
    for i, p in enumerate(chunk.paras):
        para = _first_or_new(tf, i == 0)
        size, indent, before, after = _para_metrics(p, f)
        if i and before:
            para.space_before = Pt(before)
        para.space_after = Pt(round(after, 1))
        if p.kind == "heading":
            ctx.write(para, p.text, size=size, bold=True, colour=st.heading)
        elif p.kind == "bullet":
            if p.number:
                prev = chunk.paras[i - 1] if i else None
                if prev is None or prev.kind != "bullet" or not prev.number or prev.number != p.number - 1:
                    run_start = p.number
            _bullet(para, int(indent * PT), run_start if p.number else None)
            ctx.write(para, p.text, size=size, colour=st.text)
        elif p.kind == "fact":
            ctx.write(para, p.label.rstrip(":") + ": ", size=size, bold=True, colour=st.text)
            ctx.write(para, p.text, size=size, colour=st.text)
        else:
            ctx.write(para, p.text, size=size, colour=st.text)


def _draw_badge(ctx: _Ctx, slide: PptxSlide, badge: Badge, x: int, y: int, w: int, h: int, size: float) -> Any:
    shape = _rect(slide, x, y, w, h, _rgb(badge.colour), rounded=0.5, name=f"Status: {badge.label}")
    tf = _frame(shape, anchor=MSO_ANCHOR.MIDDLE, mx=int(0.08 * IN), my=0, autofit=False)
    para = tf.paragraphs[0]
    para.alignment = PP_ALIGN.CENTER
    ctx.write(para, _badge_text(badge), size=size, bold=True, colour=_rgb(badge.text_colour, "000000"), links=False)
    return shape


def _draw_callout(ctx: _Ctx, slide: PptxSlide, c: Callout, x: int, y: int, w: int, h: int, f: float, scale: float) -> None:
    fill, accent = CALLOUT_TONES.get(c.tone, CALLOUT_TONES["note"])
    shape = _rect(slide, x, y, w, h, fill, accent, rounded=0.08, name=f"Callout: {plain(c.title)}")
    tf = _frame(shape, mx=CALLOUT_PAD + INSET_X, my=CALLOUT_PAD + INSET_Y, scale=scale)
    title = tf.paragraphs[0]
    title.alignment = PP_ALIGN.LEFT
    title.space_after = Pt(round(0.2 * f, 1))
    ctx.write(title, c.title, size=f, bold=True, colour=accent)
    body = tf.add_paragraph()
    body.alignment = PP_ALIGN.LEFT
    ctx.write(body, c.text, size=f, colour=ctx.style.text or RGBColor(0x1F, 0x29, 0x33))


def _draw_chart(ctx: _Ctx, slide: PptxSlide, c: _ChartChunk, x: int, y: int, w: int, h: int) -> None:
    cap_h = c.caption_height(w)
    img_h = max(1, h - cap_h)
    pw, ph = w, int(w / c.aspect)
    if ph > img_h:
        ph, pw = img_h, int(img_h * c.aspect)
    pic = slide.shapes.add_picture(io.BytesIO(c.png), Emu(x + (w - pw) // 2), Emu(y), Emu(pw), Emu(ph))
    pic.name = f"Chart: {plain(c.chart.title)}"[:250]
    # python-pptx types the child element as its OneAndOnlyOne descriptor, not the element
    cnv = pic._element.nvPicPr.cNvPr  # type: ignore[union-attr]
    cnv.set("descr", c.chart.alt)
    if c.chart.title:
        cnv.set("title", plain(c.chart.title))
    if cap_h:
        box = _textbox(slide, x, y + ph, w, cap_h, name="Chart provenance")
        tf = box.text_frame
        for i, (text, strong) in enumerate(c.caption()):
            para = _first_or_new(tf, i == 0)
            if strong:
                ctx.write(para, text, size=PROVENANCE_SIZE, bold=True, colour=ctx.style.warning)
            else:
                ctx.write(para, text, size=PROVENANCE_SIZE, colour=ctx.style.muted)


def _draw_table(ctx: _Ctx, slide: PptxSlide, c: _TableChunk, x: int, y: int, w: int, f: float) -> int:
    size = min(c.size, f)
    t = c.table
    widths = c.widths(w)
    heights = c.row_heights(w, size)
    rows = c.stop - c.start
    frame = slide.shapes.add_table(rows + 1, len(t.columns), Emu(x), Emu(y), Emu(w), Emu(sum(heights)))
    frame.name = "Table"
    table = frame.table
    for j, cw in enumerate(widths):
        table.columns[j].width = Emu(cw)
    st = ctx.style
    for i in range(rows + 1):
        table.rows[i].height = Emu(heights[i])
        for j in range(len(t.columns)):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Emu(CELL_MX)
            cell.margin_top = cell.margin_bottom = Emu(CELL_MY)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            para = cell.text_frame.paragraphs[0]
            if i == 0:
                if st.table_header is not None:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = st.table_header
                ctx.write(para, t.columns[j], size=size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF) if st.builtin else None)
                continue
            row = c.start + i - 1
            badge = c.badge(row, j)
            if badge is not None:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(badge.colour)
                ctx.write(para, _badge_text(badge), size=size, bold=True, colour=_rgb(badge.text_colour, "000000"), links=False)
                continue
            if st.table_band is not None:
                cell.fill.solid()
                cell.fill.fore_color.rgb = st.table_band if i % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            ctx.write(para, c.cell_text(row, j), size=size, colour=st.text)
    bottom = y + sum(heights)
    if t.caption:
        cap_h = c.caption_height(w)
        box = _textbox(slide, x, bottom + int(0.05 * IN), w, cap_h - int(0.05 * IN), name="Table caption")
        ctx.write(box.text_frame.paragraphs[0], t.caption, size=10, italic=True, colour=st.muted)
        bottom += cap_h
    return bottom


def _draw_regions(ctx: _Ctx, slide: PptxSlide, regions: list[_Region], x: int, y: int, w: int, h: int) -> None:
    fit = _fit(regions, w, h)
    if not fit.fits:
        log.warning(
            "slide %d (%s): the text does not fit even at %s pt; shrinking it to %d %%",
            len(ctx.prs.slides),
            ctx.title,
            fit.size,
            round(fit.scale * 100),
        )
    f, scale, font_scale = fit.size, fit.scale, fit.font_scale
    top = y
    for region, rh in zip(regions, fit.heights, strict=True):
        cx = x
        for col, cw in zip(region.columns, region.widths(w), strict=True):
            _draw_column(ctx, slide, col, cx, top, cw, rh, f, scale, font_scale)
            cx += cw + COL_GAP
        top += rh + ROW_GAP


def _draw_column(
    ctx: _Ctx, slide: PptxSlide, col: _Column, x: int, y: int, w: int, h: int, f: float, scale: float, font_scale: float
) -> None:
    if col.card:
        _rect(slide, x, y, w, h, ctx.style.card, ctx.style.card_line, rounded=0.04, name="Card")
        x, y, w, h = x + CARD_PAD, y + CARD_PAD, w - 2 * CARD_PAD, h - 2 * CARD_PAD
    heights = [int(c.height(f, w) * scale) for c in col.chunks]
    gaps = [int((c.gap if i else 0) * scale) for i, c in enumerate(col.chunks)]
    slack = h - sum(heights) - sum(gaps)
    flex = [i for i, c in enumerate(col.chunks) if c.flexible]
    for i in flex:  # charts share the room left, up to their natural size
        grow = max(0, min(col.chunks[i].natural(f, w) - heights[i], slack // max(1, len(flex))))
        heights[i] += grow
    used = sum(heights) + sum(gaps)
    bottom = y + h
    cy = y
    for i, c in enumerate(col.chunks):
        cy += gaps[i]
        ch = heights[i]
        if i == len(col.chunks) - 1 and isinstance(c, _Text) and used <= h:
            ch = max(ch, bottom - cy)  # the last text box reaches the column's bottom
        if isinstance(c, _Text):
            _draw_text(ctx, slide, c, x, cy, w, ch, f, font_scale)
        elif isinstance(c, _BadgeChunk):
            _draw_badge(ctx, slide, c.badge, x, cy, c.width(f * font_scale, w), ch, f * font_scale)
        elif isinstance(c, _CalloutChunk):
            _draw_callout(ctx, slide, c.callout, x, cy, w, ch, f, font_scale)
        elif isinstance(c, _ChartChunk):
            _draw_chart(ctx, slide, c, x, cy, w, ch)
        elif isinstance(c, _TableChunk):
            _draw_table(ctx, slide, c, x, cy, w, f * font_scale)
        cy += ch


# --- slide chrome: built-in design or template -------------------------------------------------


@dataclass
class _Box:
    x: int
    y: int
    w: int
    h: int


def _layout(prs: PresentationT, names: Iterable[str]) -> SlideLayout | None:
    by_name: dict[str, SlideLayout] = {}
    for layout in prs.slide_layouts:
        by_name.setdefault(layout.name.strip().casefold(), layout)
    for name in names:
        if name.casefold() in by_name:
            return by_name[name.casefold()]
    return None


def _placeholder(shapes: Iterable[Any], *types: PP_PLACEHOLDER) -> Any:
    for ph in shapes:
        if ph.is_placeholder and ph.placeholder_format.type in types:
            return ph
    return None


def _box_of(shape: Any) -> _Box | None:
    if shape is None or shape.left is None or shape.width is None:
        return None
    return _Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


class _Chrome:
    """Where a slide's title, body and footer go, and the slides themselves."""

    def __init__(self, prs: PresentationT, template: bool, names: _PartNames | None = None):
        self.prs = prs
        self.template = template
        self.names = names
        assert prs.slide_width is not None and prs.slide_height is not None, "_open sets a missing size"
        self.w, self.h = int(prs.slide_width), int(prs.slide_height)
        if not template:
            blank = _layout(prs, ("Blank",)) or prs.slide_layouts[len(prs.slide_layouts) - 1]
            self.title_layout = self.content_layout = blank
            mx = int(0.5 * IN)
            self.bar_h = int(1.05 * IN)
            self.title_box = _Box(mx, 0, self.w - 2 * mx, self.bar_h)
            self.body_x, self.body_w = mx, self.w - 2 * mx
            self.body_top = self.bar_h + int(0.25 * IN)
            self.footer_y = self.h - int(0.42 * IN)
            self.body_bottom = self.footer_y - int(0.1 * IN)
            self.footer_box = _Box(mx, self.footer_y, int(self.body_w * 0.75), int(0.32 * IN))
            self.number_box = _Box(self.w - mx - int(1.5 * IN), self.footer_y, int(1.5 * IN), int(0.32 * IN))
            return
        self.title_layout = (
            _layout(prs, ("Title Slide", "Tittellysbilde", "Tittelside")) or prs.slide_layouts[0]
        )
        self.content_layout = _layout(
            prs, ("Title Only", "Bare tittel", "Kun tittel", "Title and Content", "Tittel og innhold")
        ) or next(
            (lay for lay in prs.slide_layouts if _placeholder(lay.placeholders, PP_PLACEHOLDER.TITLE)),
            prs.slide_layouts[0],
        )
        lay = self.content_layout
        master = lay.slide_master
        title = _box_of(_placeholder(lay.placeholders, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE))
        mx = int(0.5 * IN)
        self.title_box = title or _Box(mx, int(0.3 * IN), self.w - 2 * mx, int(1.0 * IN))
        self.bar_h = 0
        body = _box_of(_placeholder(master.placeholders, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
        self.body_x, self.body_w = (body.x, body.w) if body else (self.title_box.x, self.title_box.w)
        self.body_top = self.title_box.y + self.title_box.h + int(0.15 * IN)
        feet = [
            _box_of(_placeholder(lay.placeholders, t))
            for t in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)
        ]
        tops = [b.y for b in feet if b is not None and b.y > self.h // 2]
        self.footer_y = min(tops) if tops else self.h - int(0.42 * IN)
        self.body_bottom = self.footer_y - int(0.1 * IN)
        foot_h = int(0.32 * IN)
        self.footer_box = _Box(self.body_x, self.footer_y, int(self.body_w * 0.7), foot_h)
        number = feet[1]
        if number is not None and number.y > self.h // 2:
            self.number_box = number
        else:
            self.number_box = _Box(self.body_x + self.body_w - int(1.5 * IN), self.footer_y, int(1.5 * IN), foot_h)

    def new_slide(self, title_slide: bool = False) -> PptxSlide:
        slide = self.prs.slides.add_slide(self.title_layout if title_slide else self.content_layout)
        if self.names is not None:
            self.names.add(str(slide.part.partname))
        keep = (
            (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE)
            if title_slide
            else (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        )
        for ph in list(slide.placeholders):  # placeholders we do not fill would say "Click to add text"
            if not self.template or ph.placeholder_format.type not in keep:
                ph._element.getparent().remove(ph._element)
        return slide


def _title_size(text: str, w: int, h: int, sizes: Sequence[int] = TITLE_SIZES, max_lines: int = 2) -> int:
    for size in sizes:
        lines = count_lines(text, _pt(w - 2 * INSET_X), size, True)
        if lines <= max_lines and lines * size * LINE <= _pt(h):
            return size
    return sizes[-1]


def _draw_title(ctx: _Ctx, ch: _Chrome, slide: PptxSlide, title: str, badge: Badge | None) -> None:
    st = ctx.style
    box = ch.title_box
    badge_w = 0
    if badge is not None:
        chunk = _BadgeChunk(badge)
        badge_w = chunk.width(14, int(box.w * 0.35))
        bh = int(0.44 * IN)
        bx = box.x + box.w - badge_w
        by = box.y + (box.h - bh) // 2
    text_w = box.w - (badge_w + int(0.2 * IN) if badge_w else 0)
    size = _title_size(plain(title), text_w, box.h - int(0.1 * IN))
    if ch.template:
        ph = slide.shapes.title
        if ph is None:
            ph = _textbox(slide, box.x, box.y, text_w, box.h, name="Title", anchor=MSO_ANCHOR.MIDDLE)
        else:
            ph.left, ph.top, ph.width, ph.height = Emu(box.x), Emu(box.y), Emu(text_w), Emu(box.h)
            _frame(ph, anchor=MSO_ANCHOR.MIDDLE, mx=None, my=None)
        tf = ph.text_frame
        tf.text = ""
        # the template's own title size unless the title is long
        ctx.write(tf.paragraphs[0], title, size=size if size < TITLE_SIZES[0] else None, links=False)
    else:
        _rect(slide, 0, 0, ch.w, ch.bar_h, st.bar, name="Title bar")
        _rect(slide, 0, ch.bar_h, ch.w, int(0.05 * IN), st.stripe, name="Title stripe")
        tb = _textbox(slide, box.x, box.y, text_w, box.h, name="Title", anchor=MSO_ANCHOR.MIDDLE, my=0)
        ctx.write(tb.text_frame.paragraphs[0], title, size=size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), links=False)
    if badge is not None:
        shape = _draw_badge(ctx, slide, badge, bx, by, badge_w, bh, 14)
        if not ch.template:
            shape.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            shape.line.width = Pt(1)


def _draw_footer(ctx: _Ctx, ch: _Chrome, slide: PptxSlide, number: int) -> None:
    st = ctx.style
    text = ctx.report.footer or ctx.report.date_text
    if text:
        fb = ch.footer_box
        box = _textbox(slide, fb.x, fb.y, fb.w, fb.h, name="Footer", anchor=MSO_ANCHOR.MIDDLE, my=0, autofit=False)
        ctx.write(box.text_frame.paragraphs[0], text, size=10, colour=st.muted, links=False)
    nb = ch.number_box
    box = _textbox(slide, nb.x, nb.y, nb.w, nb.h, name="Slide Number", anchor=MSO_ANCHOR.MIDDLE, my=0, autofit=False)
    para = box.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT
    field_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"veikart-slide-number-{number}")).upper() + "}"
    fld = parse_xml(
        f'<a:fld {nsdecls("a")} id="{field_id}" type="slidenum"><a:rPr lang="{ctx.lang_tag}"/><a:t>{number}</a:t></a:fld>'
    )
    font = Font(fld.rPr)
    font.size = Pt(10)
    _set_colour(font.color, st.muted)
    para._p.append(fld)


def _draw_notes(ctx: _Ctx, slide: PptxSlide, notes: str) -> None:
    if not notes.strip():
        return
    tf = slide.notes_slide.notes_text_frame
    part, ctx.part = ctx.part, None
    for i, line in enumerate(notes.strip().split("\n")):
        para = _first_or_new(tf, i == 0)
        if line.strip():
            ctx.write(para, line, size=12)
    ctx.part = part


# --- slides ------------------------------------------------------------------------------------


@dataclass
class _Page:
    slide: Slide
    number: int  # 0 = the slide's first page
    regions: list[_Region]


def _title_page(ctx: _Ctx, ch: _Chrome, s: Slide) -> PptxSlide:
    slide = ch.new_slide(title_slide=True)
    report = ctx.report
    subtitle = s.subtitle or report.subtitle
    date = report.date_text
    notice = ""
    if report.illustrative_notice and any(c.illustrative for c in report.charts.values()):
        notice = report.illustrative_notice
    if ch.template:
        title_ph = _placeholder(slide.placeholders, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        sub_ph = _placeholder(slide.placeholders, PP_PLACEHOLDER.SUBTITLE)
        box = _box_of(title_ph) or _Box(int(0.5 * IN), int(1.5 * IN), ch.w - IN, int(1.5 * IN))
        if title_ph is None:
            title_ph = _textbox(slide, box.x, box.y, box.w, box.h, name="Title")
        _frame(title_ph, anchor=MSO_ANCHOR.MIDDLE)
        title_ph.text_frame.text = ""
        size = _title_size(plain(s.title), box.w, box.h, (40, 36, 32, 28, 24), 3)
        ctx.write(title_ph.text_frame.paragraphs[0], s.title, size=size if size < 40 else None, links=False)
        lines = [t for t in (subtitle, date, notice) if t]
        if sub_ph is None:
            sub_ph = _textbox(slide, box.x, box.y + box.h + int(0.2 * IN), box.w, int(1.5 * IN), name="Subtitle")
        _frame(sub_ph)
        sub_ph.text_frame.text = ""
        for i, line in enumerate(lines):
            ctx.write(_first_or_new(sub_ph.text_frame, i == 0), line, size=None if i == 0 else 14, links=False)
        rest_top = sub_ph.top + sub_ph.height + int(0.2 * IN)
    else:
        st = ctx.style
        _rect(slide, 0, 0, ch.w, ch.h, st.bar, name="Background")
        _rect(slide, int(0.8 * IN), int(2.0 * IN), int(0.12 * IN), int(2.3 * IN), st.stripe, name="Accent")
        x, w = int(1.15 * IN), ch.w - int(2.3 * IN)
        size = _title_size(plain(s.title), w, int(1.6 * IN), (40, 36, 32, 28, 24), 3)
        tb = _textbox(slide, x, int(1.9 * IN), w, int(1.6 * IN), name="Title", anchor=MSO_ANCHOR.BOTTOM)
        white = RGBColor(0xFF, 0xFF, 0xFF)
        ctx.write(tb.text_frame.paragraphs[0], s.title, size=size, bold=True, colour=white, links=False)
        sb = _textbox(slide, x, int(3.6 * IN), w, int(1.0 * IN), name="Subtitle")
        if subtitle:
            ctx.write(sb.text_frame.paragraphs[0], subtitle, size=22, colour=RGBColor(0xDD, 0xE6, 0xF0), links=False)
        if date:
            ctx.write(_first_or_new(sb.text_frame, not subtitle), date, size=18, colour=RGBColor(0xB8, 0xC7, 0xD9), links=False)
        if notice:
            nb = _BadgeChunk(Badge(notice, "#FFE3B3", "#000000"))
            _draw_badge(ctx, slide, nb.badge, x, ch.h - int(1.2 * IN), nb.width(14, w), int(0.45 * IN), 14)
        rest_top = int(4.8 * IN)
    if s.sections:  # anything else the title slide holds, on a card below
        chunks = _chunks(s.sections, ctx)
        bottom = ch.h - int(1.4 * IN) if notice and not ch.template else ch.h - int(0.4 * IN)
        _draw_regions(ctx, slide, [_Region([_Column(1.0, chunks, card=True)])], ch.body_x, rest_top, ch.body_w, bottom - rest_top)
    return slide


def _regions_goal(s: Slide, ctx: _Ctx) -> list[_Region]:
    main = [x for x in s.sections if x.area == "main"]
    side = [x for x in s.sections if x.area == "side"]
    full = [x for x in s.sections if x.area == "full"]
    regions = []
    top = [_Column(f, _chunks(secs, ctx)) for f, secs in ((0.56, main), (0.44, side)) if secs]
    if top:
        regions.append(_Region(top, balance=True))
    for k in range(0, len(full), 3):
        row = full[k : k + 3]
        regions.append(_Region([_Column(1.0, _chunks([sec], ctx), card=True) for sec in row], balance=True))
    return regions


def _columns_region(main: list[Section], side: list[Section], ctx: _Ctx) -> _Region:
    left, right = _chunks(main, ctx), _chunks(side, ctx)
    charted = any(isinstance(c, _ChartChunk) for c in right)
    if not left or not right:
        return _Region([_Column(1.0, left or right)])
    return _Region([_Column(0.45 if charted else 0.5, left), _Column(0.55 if charted else 0.5, right)])


def _pages(s: Slide, ctx: _Ctx, ch: _Chrome, body_h: int) -> list[_Page]:
    """The slide's pages: its regions, continued on further pages where it must."""
    if s.kind == "goal":
        return [_Page(s, 0, _regions_goal(s, ctx))]
    columned = [x for x in s.sections if x.area in ("main", "side")]
    if s.kind in ("indicator", "statistic", "survey") and not columned:  # charts right, text left
        side = [x for x in s.sections if any(isinstance(b, ChartBlock) for b in x.blocks)]
        main = [x for x in s.sections if x not in side]
        return [_Page(s, 0, [_columns_region(main, side, ctx)])]
    if columned:
        first = next(i for i, x in enumerate(s.sections) if x.area != "full")
        last = max(i for i, x in enumerate(s.sections) if x.area != "full")
        lead, mid, tail = s.sections[:first], s.sections[first : last + 1], s.sections[last + 1 :]
        regions = [_Region([_Column(1.0, _chunks(lead, ctx))])] if lead else []
        regions.append(
            _columns_region(
                [x for x in mid if x.area != "side"], [x for x in mid if x.area == "side"], ctx
            )
        )
        tail_chunks = _chunks(tail, ctx) if tail else []
        together = regions + ([_Region([_Column(1.0, tail_chunks)])] if tail_chunks else [])
        long_table = any(isinstance(c, _TableChunk) and c.stop - c.start > TABLE_MAX_ROWS for c in tail_chunks)
        if not long_table and _fit(together, ch.body_w, body_h, [x for x in BODY_SIZES if x >= FLOW_MIN_ONE_PAGE]).fits:
            return [_Page(s, 0, together)]
        if not tail_chunks:
            return [_Page(s, 0, regions)]
        pages = [_Page(s, 0, regions)]
        for k, chunks in enumerate(_flow_pages(tail_chunks, ch.body_w, body_h), 1):
            pages.append(_Page(s, k, [_Region([_Column(1.0, chunks)])]))
        return pages
    chunks = _chunks(s.sections, ctx)
    return [_Page(s, k, [_Region([_Column(1.0, c)])]) for k, c in enumerate(_flow_pages(chunks, ch.body_w, body_h))]


def _flow_pages(chunks: list[_Chunk], w: int, h: int) -> list[list[_Chunk]]:
    """One column of chunks on as few slides as it takes: one slide when everything fits at
    FLOW_MIN_ONE_PAGE pt or more and no table is longer than TABLE_MAX_ROWS rows, else slides
    filled at FLOW_PAGE_SIZE pt; a heading never ends a slide."""
    sizes = [x for x in BODY_SIZES if x >= FLOW_MIN_ONE_PAGE]
    long_table = any(isinstance(c, _TableChunk) and c.stop - c.start > TABLE_MAX_ROWS for c in chunks)
    if not long_table and _fit([_Region([_Column(1.0, chunks)])], w, h, sizes).fits:
        return [chunks]
    f = FLOW_PAGE_SIZE
    pages: list[list[_Chunk]] = [[]]
    used = 0
    queue = deque(chunks)

    def new_page(before: _Chunk) -> None:
        """Start a slide; a heading that ended the last one moves along with `before`."""
        nonlocal used
        page = pages[-1]
        last = page[-1] if page else None
        queue.appendleft(before)
        if (
            isinstance(last, _Text)  # a heading ends the slide
            and last.paras[-1].kind == "heading"
            and (len(page) > 1 or any(p.kind != "heading" for p in last.paras))
        ):
            k = len(last.paras)
            while k and last.paras[k - 1].kind == "heading":
                k -= 1
            if k:
                page[-1] = _Text(last.paras[:k], last.gap)
            else:
                page.pop()
            queue.appendleft(_Text(last.paras[k:], 0))
        pages.append([])
        used = 0

    while queue:
        c = queue.popleft()
        page = pages[-1]
        gap = c.gap if page else 0
        if isinstance(c, _TableChunk) and not c.cut:
            parts = c.pieces(w, h - HEADING_ROOM, h - used - gap)
            queue.extendleft(reversed(parts))
            continue
        if c.page_break and page:
            new_page(c)
            continue
        ch = c.height(f, w)
        if used + gap + ch <= h or not page and not isinstance(c, _Text):
            page.append(c)
            used += gap + ch
            continue
        if isinstance(c, _Text):
            cut = c.split(f, w, h - used - gap)
            if cut is not None:
                page.append(cut[0])
                queue.appendleft(cut[1])
                pages.append([])
                used = 0
                continue
            if not page:  # one paragraph taller than a slide: it shrinks
                page.append(c)
                used += ch
                continue
        new_page(c)
    return [p for p in pages if p]


# --- the deck ----------------------------------------------------------------------------------


def _open(template: Path | None) -> tuple[PresentationT, bool]:
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
        return prs, False
    prs = Presentation(str(template))
    if prs.slide_width is None or prs.slide_height is None:  # <p:sldSz> is optional: ours then
        prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    ids = prs.slides._sldIdLst
    for sld in list(ids):  # the template's own slides go; its masters and layouts stay
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs, True


def _body_font_em(prs: PresentationT) -> float:
    """The average character width of the theme's body (minor) font."""
    try:
        master = prs.slide_masters[0]
        theme = master.part.part_related_by(RT.THEME)
        root = parse_xml(theme.blob)
        latin = root.find(f".//{qn('a:minorFont')}/{qn('a:latin')}")
        face = (latin.get("typeface") if latin is not None else "") or ""
    except (KeyError, IndexError, ValueError, AttributeError):
        return DEFAULT_CHAR_EM
    return CHAR_EMS.get(face.strip().casefold(), DEFAULT_CHAR_EM)


def _report_datetime(report: Report, source_date_epoch: int | None) -> datetime:
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), UTC).replace(tzinfo=None)
    text = report.date_text or ""
    for pattern, order in ((r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"), (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd")):
        m = re.search(pattern, text)
        if m:
            a, b, c = (int(x) for x in m.groups())
            y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
            try:
                return datetime(y, mo, d)
            except ValueError:
                pass
    return datetime(2000, 1, 1)


def _set_core(prs: PresentationT, report: Report, when: datetime, lang_tag: str) -> None:
    cp = prs.core_properties
    cp.title = report.title[:255]
    cp.subject = report.subtitle[:255]
    cp.author = "veikart"
    cp.last_modified_by = "veikart"
    for attr in ("category", "comments", "content_status", "identifier", "keywords", "version"):
        setattr(cp, attr, "")
    cp.language = lang_tag
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1


class _PartNames:
    """python-pptx looks for a free part name (of a notes slide, of an image) and for an image
    already in the package by walking every relationship of the package, each time it adds one:
    quadratic in the deck (more than half the time of a deck of 261 slides). For one build,
    this keeps the part names in use and the images by SHA-1, and answers python-pptx's three
    questions from them, as python-pptx would (the same names, so the same deck)."""

    _MEDIA = re.compile(r"/ppt/media/image(\d+)\.")

    def __init__(self, package: Any):
        from pptx.parts.image import ImagePart

        self.package = package
        parts = list(package.iter_parts())
        self.names = {str(p.partname) for p in parts}
        self.images = {p.sha1: p for p in parts if isinstance(p, ImagePart) and hasattr(p, "sha1")}
        # instance attributes before the class's methods: python-pptx calls these on the package
        package.next_partname = self.next_partname
        package.next_image_partname = self.next_image_partname
        package.get_or_add_image_part = self.get_or_add_image_part

    def add(self, name: str) -> None:
        self.names.add(name)

    def next_partname(self, tmpl: str) -> Any:
        """python-pptx's OpcPackage.next_partname, from the names kept here."""
        from pptx.opc.packuri import PackURI

        prefix = tmpl[: (tmpl % 42).find("42")]
        taken = {n for n in self.names if n.startswith(prefix)}
        for n in range(len(taken) + 1, 0, -1):
            if tmpl % n not in taken:
                self.names.add(tmpl % n)
                return PackURI(tmpl % n)
        raise RuntimeError(f"no free part name for {tmpl}")  # pragma: no cover - as python-pptx

    def next_image_partname(self, ext: str) -> Any:
        """python-pptx's Package.next_image_partname: the first free number of any image."""
        from pptx.opc.packuri import PackURI

        used = {int(m.group(1)) for n in self.names if (m := self._MEDIA.match(n))}
        idx = next(i for i in range(1, len(used) + 2) if i not in used)
        name = f"/ppt/media/image{idx}.{ext}"
        self.names.add(name)
        return PackURI(name)

    def get_or_add_image_part(self, image_file: Any) -> Any:
        """python-pptx's Package.get_or_add_image_part: one part per distinct image."""
        from pptx.parts.image import Image, ImagePart

        image = Image.from_file(image_file)
        part = self.images.get(image.sha1)
        if part is None:
            part = self.images[image.sha1] = ImagePart.new(self.package, image)
        return part


#: Zip members already compressed (images): stored as they are, not deflated again
_STORED = (".png", ".jpg", ".jpeg", ".gif")


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    """The same entries in a fixed order with a fixed time, so equal decks are equal bytes."""
    stamp = max(when, datetime(1980, 1, 1))
    stamp = min(stamp, datetime(2107, 12, 31, 23, 59, 58))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    src = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            stored = name.lower().endswith(_STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=None if stored else 6)
    return out.getvalue()


def render_pptx(
    report: Report,
    charts: ChartRenderer,
    *,
    template: Path | None = None,
    source_date_epoch: int | None = None,
) -> bytes:
    """The report as a .pptx file.

    `charts` renders each chart's Vega-Lite spec to PNG (cached). `template`: an organisation's
    .pptx whose masters, layouts and slide size to use (its slides are dropped). The same report
    and `source_date_epoch` give byte-identical output; without `source_date_epoch` the file is
    dated by the report's date (else 2000-01-01).
    """
    missing = sorted(
        {
            b.chart_id
            for s in report.slides
            for sec in s.sections
            for b in sec.blocks
            if isinstance(b, ChartBlock) and b.chart_id not in report.charts
        }
    )
    if missing:
        raise ValueError(f"the report refers to charts it does not hold: {', '.join(missing)}")
    prs, templated = _open(template)
    token = _char_em.set(_body_font_em(prs))
    try:
        return _render(report, charts, prs, templated, source_date_epoch)
    finally:
        _char_em.reset(token)


def _render(
    report: Report, charts: ChartRenderer, prs: PresentationT, templated: bool, source_date_epoch: int | None
) -> bytes:
    ctx = _Ctx(report, charts, prs, TEMPLATED if templated else BUILTIN)
    ch = _Chrome(prs, templated, _PartNames(prs.part.package))
    for s in report.slides:
        if s.kind == "title":
            slide = _title_page(ctx, ch, s)
            ctx.first_slide.setdefault(s.id, slide)
            _draw_notes(ctx, slide, s.notes)
            continue
        sub_h = 0
        if s.subtitle:
            sub_h = text_height(plain(s.subtitle), ch.body_w - 2 * INSET_X, 14, True) + 2 * INSET_Y
        body_top = ch.body_top + sub_h
        body_h = ch.body_bottom - body_top
        for page in _pages(s, ctx, ch, body_h):
            slide = ch.new_slide()
            ctx.part, ctx.title = slide.part, s.title
            ctx.first_slide.setdefault(s.id, slide)
            title = s.title if page.number == 0 else f"{s.title} ({renderer_words(report.lang)['continued']})"
            _draw_title(ctx, ch, slide, title, s.badge)
            if s.subtitle:
                sb = _textbox(slide, ch.body_x, ch.body_top - int(0.1 * IN), ch.body_w, sub_h, name="Subtitle", autofit=False)
                ctx.write(sb.text_frame.paragraphs[0], s.subtitle, size=14, bold=True, colour=ctx.style.muted)
            if page.regions:
                _draw_regions(ctx, slide, page.regions, ch.body_x, body_top, ch.body_w, body_h)
            _draw_footer(ctx, ch, slide, len(prs.slides))
            if page.number == 0:
                _draw_notes(ctx, slide, s.notes)
            ctx.part = None
    for part, rPr, target in ctx.jumps:  # jumps to other slides, now that all exist
        dest = ctx.first_slide.get(target)
        if dest is None:
            continue
        rId = part.relate_to(dest.part, RT.SLIDE)
        link = rPr.add_hlinkClick(rId)
        link.set("action", "ppaction://hlinksldjump")
    when = _report_datetime(report, source_date_epoch)
    _set_core(prs, report, when, ctx.lang_tag)
    buf = io.BytesIO()
    prs.save(buf)
    return _normalise_zip(buf.getvalue(), when)
