"""Estimated text measures: python-pptx cannot measure text, so lines are counted from an
average character width (set per render from the theme's body font)."""

from __future__ import annotations

from contextvars import ContextVar

from veikart.report.pptx._style import DEFAULT_CHAR_EM, LINE, PT, _pt

_char_em: ContextVar[float] = ContextVar("veikart_pptx_char_em", default=DEFAULT_CHAR_EM)




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
