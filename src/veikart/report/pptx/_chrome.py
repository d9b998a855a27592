"""Slide chrome: where a slide's title, body and footer go, from the built-in design or from a
template's layouts and placeholders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pptx.enum.shapes import PP_PLACEHOLDER

from veikart.report.pptx._measure import count_lines
from veikart.report.pptx._package import _PartNames
from veikart.report.pptx._style import IN, INSET_X, LINE, TITLE_SIZES, _pt

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import Slide as PptxSlide
    from pptx.slide import SlideLayout




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
