"""Drawing the blocks of a slide's body: text, badges, callouts, charts, tables, in their regions
and columns."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from veikart.report.document import (
    Badge,
    Callout,
)
from veikart.report.markup import plain
from veikart.report.pptx._chunks import (
    _badge_text,
    _BadgeChunk,
    _CalloutChunk,
    _ChartChunk,
    _para_metrics,
    _TableChunk,
    _Text,
)
from veikart.report.pptx._context import _Ctx
from veikart.report.pptx._paginate import _Column, _fit, _Region
from veikart.report.pptx._shapes import _bullet, _first_or_new, _frame, _rect, _textbox
from veikart.report.pptx._style import (
    CALLOUT_PAD,
    CALLOUT_TONES,
    CARD_PAD,
    CELL_MX,
    CELL_MY,
    COL_GAP,
    IN,
    INSET_X,
    INSET_Y,
    PROVENANCE_SIZE,
    PT,
    ROW_GAP,
    _rgb,
)

if TYPE_CHECKING:
    from pptx.slide import Slide as PptxSlide


log = logging.getLogger("veikart.report.pptx")


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
