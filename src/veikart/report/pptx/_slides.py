"""Drawing the chrome of a slide: the title (with its badge), the footer, speaker notes, and the
title slide."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.text.text import Font
from pptx.util import Emu, Pt

from veikart.report.document import (
    Badge,
    Slide,
)
from veikart.report.markup import plain
from veikart.report.pptx._chrome import _Box, _box_of, _Chrome, _placeholder, _title_size
from veikart.report.pptx._chunks import _BadgeChunk
from veikart.report.pptx._context import _Ctx
from veikart.report.pptx._draw import _draw_badge, _draw_regions
from veikart.report.pptx._paginate import _chunks, _Column, _Region
from veikart.report.pptx._shapes import _first_or_new, _frame, _rect, _textbox
from veikart.report.pptx._style import IN, TITLE_SIZES, _set_colour

if TYPE_CHECKING:
    from pptx.slide import Slide as PptxSlide




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
