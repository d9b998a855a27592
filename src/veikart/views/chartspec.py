"""`ChartSpec`: one chart as every output receives it (deck, HTML, PDF, open data, web)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ChartSpec"]


@dataclass(frozen=True)
class ChartSpec:
    """One chart: a Vega-Lite spec (dict) with its alt text and provenance line."""

    id: str
    title: str
    spec: dict[str, Any]
    alt: str
    provenance: str
    illustrative: bool
    width: int = 720
    height: int = 360
