"""Units, measures (EMU, sizes, gaps) and the colours of the built-in and templated designs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR

# --- units and measures ------------------------------------------------------------------------

IN = 914400  # EMU per inch
PT = 12700  # EMU per point
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 x 7.5 in

#: average character width in em, by the theme's body font (Norwegian prose; a little on the wide
#: side). Set per render from the theme; unknown fonts get DEFAULT_CHAR_EM.
CHAR_EMS = {"calibri": 0.46, "carlito": 0.46, "arial narrow": 0.42, "verdana": 0.56, "tahoma": 0.52}
DEFAULT_CHAR_EM = 0.5
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
