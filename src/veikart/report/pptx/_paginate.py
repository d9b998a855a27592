"""Pagination: sections to chunks, chunks in columns and regions, the largest body size at which a
slide fits, and slides continued on further pages."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from veikart.report.document import (
    Badge,
    Bullets,
    Callout,
    ChartBlock,
    Facts,
    Paragraph,
    Section,
    Slide,
    TableBlock,
)
from veikart.report.pptx._chrome import _Chrome
from veikart.report.pptx._chunks import (
    _BadgeChunk,
    _CalloutChunk,
    _ChartChunk,
    _Chunk,
    _Para,
    _TableChunk,
    _Text,
)
from veikart.report.pptx._context import _Ctx
from veikart.report.pptx._style import (
    BODY_SIZES,
    CARD_PAD,
    CHUNK_GAP,
    COL_GAP,
    FLOW_MIN_ONE_PAGE,
    FLOW_PAGE_SIZE,
    HEADING_ROOM,
    ROW_GAP,
    SECTION_GAP,
    TABLE_MAX_ROWS,
)


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



@dataclass
class _Page:
    slide: Slide
    number: int  # 0 = the slide's first page
    regions: list[_Region]

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
