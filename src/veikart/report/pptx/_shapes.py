"""Shapes and text frames: text boxes, rectangles, bullets, shrink-on-overflow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from veikart.report.pptx._style import INSET_X, INSET_Y

if TYPE_CHECKING:
    from pptx.slide import Slide as PptxSlide
    from pptx.text.text import _Paragraph




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
