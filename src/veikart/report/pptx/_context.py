"""The render context: the report, the style, and writing inline markup as runs (with slide jumps
resolved once every slide exists)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.util import Pt

from veikart.report.document import (
    Report,
)
from veikart.report.markup import spans
from veikart.report.pptx._chunks import _ChartChunk
from veikart.report.pptx._style import ILLUSTRATIVE, LANG_TAGS, Colour, _set_colour, _Style

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import Slide as PptxSlide
    from pptx.text.text import _Paragraph

    from veikart.views.render import ChartRenderer



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
        """`text` (inline markup, `markup.spans`) as runs; `size` None keeps the inherited size."""
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
