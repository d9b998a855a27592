"""Chunks: what a column holds (text paragraphs, badges, callouts, charts, tables) and how tall
each is at a body size; tables cut themselves for slides."""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from veikart.report.document import (
    Badge,
    Callout,
    ChartSpec,
    TableBlock,
)
from veikart.report.markup import plain
from veikart.report.pptx._measure import _char_em, count_lines, text_height
from veikart.report.pptx._style import (
    CALLOUT_PAD,
    CELL_MX,
    CELL_MY,
    CHART_MIN_H,
    IN,
    INSET_X,
    INSET_Y,
    LINE,
    PROVENANCE_SIZE,
    PT,
    TABLE_MAX_ROWS,
    _pt,
)


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
