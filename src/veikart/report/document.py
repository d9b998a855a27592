"""The status report as a document: slides made of sections made of blocks.

One document, three renderers (PPTX, HTML, PDF via the HTML): everything a slide says is decided
here, in `compose.py`; a renderer only decides where it goes on the page. All text is already in
the report's language. Inline text may hold a little Markdown: **bold**, *italic* and
[links](https://...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from veikart.views.chartspec import ChartSpec  # a chart block refers to one; the views make them

__all__ = [
    "Badge",
    "Block",
    "Bullets",
    "Callout",
    "ChartBlock",
    "ChartSpec",
    "Facts",
    "Paragraph",
    "Report",
    "Section",
    "Slide",
    "SlideKind",
    "TableBlock",
]

SlideKind = Literal[
    "title",  # title page: title, subtitle (period), date
    "contents",  # table of contents
    "since_last",  # "Siden forrige rapport"
    "overview",  # all indicators: status, latest value, ambition, expected attainment
    "freshness",  # indicators whose next update is overdue
    "goal",  # "Oppsummering status mål N"
    "indicator",  # one indicator: about, ambition, chart, status
    "statistic",  # a statistic: about, chart
    "survey",  # a survey question: chart with n
    "method",  # closing page: method and sources
]


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Facts:
    """Label-value pairs, e.g. Kilde: SSB/KPR; Oppdatering: årlig."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Badge:
    """A status: text label plus colour (never colour alone)."""

    label: str
    colour: str
    text_colour: str
    kind: Literal["assessment", "progress"] = "progress"
    score: str | None = None  # formatted score, e.g. "2,5"


@dataclass(frozen=True)
class Callout:
    """A highlighted box such as "Foreslått ambisjon: 100 % innen 2030"."""

    title: str
    text: str
    tone: Literal["ambition", "note", "warning"] = "ambition"


@dataclass(frozen=True)
class ChartBlock:
    chart_id: str


@dataclass(frozen=True)
class TableBlock:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    #: per row, an optional badge shown in the column named by `badge_column`
    badges: tuple[Badge | None, ...] = ()
    badge_column: int | None = None


Block = Paragraph | Bullets | Facts | Badge | Callout | ChartBlock | TableBlock


@dataclass(frozen=True)
class Section:
    title: str | None
    blocks: tuple[Block, ...]
    #: where the section goes on a two-column slide: "main" (left / wide), "side" (right)
    area: Literal["main", "side", "full"] = "full"


@dataclass(frozen=True)
class Slide:
    id: str  # stable anchor, e.g. "goal-1", "indicator-velferdsteknologi"
    kind: SlideKind
    title: str
    sections: tuple[Section, ...] = ()
    subtitle: str | None = None
    notes: str = ""  # speaker notes (PPTX) and hidden details (HTML)
    badge: Badge | None = None  # shown next to the title


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    date_text: str  # formatted report date, e.g. 29.01.2026
    period_id: str
    lang: str
    slides: tuple[Slide, ...]
    charts: dict[str, ChartSpec] = field(default_factory=dict)
    footer: str = ""  # e.g. "Statusrapport januar 2026 · 29.01.2026"
    illustrative_notice: str = ""  # shown wherever illustrative data appear
    #: what the report was built from (framework, period, data vintage, code version)
    provenance: dict[str, Any] = field(default_factory=dict)
