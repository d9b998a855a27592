"""The deck: `render_pptx`, every slide of a report drawn in order."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from veikart.report.document import (
    ChartBlock,
    Report,
)
from veikart.report.markup import plain
from veikart.report.pptx._chrome import _Chrome
from veikart.report.pptx._context import _Ctx
from veikart.report.pptx._draw import _draw_regions
from veikart.report.pptx._measure import _char_em, text_height
from veikart.report.pptx._package import (
    _body_font_em,
    _normalise_zip,
    _open,
    _PartNames,
    _report_datetime,
    _set_core,
)
from veikart.report.pptx._paginate import _pages
from veikart.report.pptx._shapes import _textbox
from veikart.report.pptx._slides import _draw_footer, _draw_notes, _draw_title, _title_page
from veikart.report.pptx._style import BUILTIN, IN, INSET_X, INSET_Y, TEMPLATED
from veikart.report.words import renderer_words

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT

    from veikart.views.render import ChartRenderer



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
