"""How every chart looks: the Okabe-Ito palette, point shapes and dash patterns (so colour
never carries meaning alone), the sizes, and the Vega config with its number and time locale."""

from __future__ import annotations

from typing import Any

import altair as alt

from veikart.i18n import current_language

#: Okabe-Ito, ordered for lines on white: strong contrasts first; yellow (faint on white) and
#: black (kept for the total) last.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip
TOTAL_COLOUR = "#000000"
SINGLE_COLOUR = "#0072B2"  # blue: the series of a one-series chart
AMBITION_COLOUR = "#D55E00"  # vermillion
AMBITION_TEXT = "#A34800"  # vermillion darkened to 4.5:1 on white, for text
GOOD_COLOUR = "#009E73"  # bluish green
GOOD_TEXT = "#006B4F"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
#: Point shapes per series (the diamond is kept for the ambition).
SHAPES: tuple[str, ...] = (
    "circle", "square", "triangle-up", "cross", "triangle-down", "triangle-right", "triangle-left", "stroke",
)  # fmt: skip
PROJECTION_DASH = [6, 4]
AMBITION_DASH = [8, 4]
GOOD_DASH = [2, 3]
#: More categories than this are drawn as small multiples (one panel each) rather than as lines
#: whose colours can no longer be told apart.
MAX_LINES = len(PALETTE) - 1
WIDTH = 720
#: The whole chart (titles, axes and legend included) fits the ChartSpec's width and height.
_FIT = alt.AutoSizeParams(type="fit", contains="padding")

def locale_config(lang: str | None = None) -> dict[str, Any]:
    """Vega's number and time locale (d3-format, d3-time-format) for the language."""
    if (lang or current_language()) == "nb":
        return {
            "number": {
                "decimal": ",",
                "thousands": "\u00a0",
                "grouping": [3],
                "currency": ["", "\u00a0kr"],
                "percent": "\u00a0%",
                "minus": "\u2212",
            },
            "time": {
                "dateTime": "%A %e. %B %Y kl. %X",
                "date": "%d.%m.%Y",
                "time": "%H:%M:%S",
                "periods": ["AM", "PM"],
                "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
                "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
                "months": [
                    "januar", "februar", "mars", "april", "mai", "juni",
                    "juli", "august", "september", "oktober", "november", "desember",
                ],
                "shortMonths": [
                    "jan.", "feb.", "mar.", "apr.", "mai", "jun.",
                    "jul.", "aug.", "sep.", "okt.", "nov.", "des.",
                ],
            },
        }
    return {
        "number": {
            "decimal": ".",
            "thousands": ",",
            "grouping": [3],
            "currency": ["£", ""],
            "percent": "%",
            "minus": "\u2212",
        },
        "time": {
            "dateTime": "%a %e %b %X %Y",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January", "February", "March", "April", "May", "June",
                "July", "August", "September", "October", "November", "December",
            ],
            "shortMonths": [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
        },
    }


def _config() -> dict[str, Any]:
    axis = {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal"}
    return {
        "locale": locale_config(),
        "view": {"stroke": None},
        "axis": {**axis, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "gridColor": "#E6E6E6"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR, "labelLimit": 440},
        "title": {
            "fontSize": 15,
            "subtitleFontSize": 12,
            "color": TEXT_COLOUR,
            "subtitleColor": TEXT_COLOUR,
            "anchor": "start",
            "offset": 10,
        },
        "header": {"labelFontSize": 11, "labelColor": TEXT_COLOUR},
        "text": {"fontSize": 12, "color": TEXT_COLOUR},
    }
