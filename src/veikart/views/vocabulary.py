"""The presentation vocabulary: how an indicator's values, series, dimensions, latest value and
ambitions are named for a reader. Charts, the deck, the command line, open data and the web app
all call these functions, so one indicator reads the same everywhere.

Everything is in the current language (veikart.i18n.set_language): a model object's own text
comes from its `translations` when it has one for that language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from veikart.core.dataset import ObservationTable
from veikart.core.model import Ambition, Indicator
from veikart.core.periods import Period
from veikart.core.publication import published_table
from veikart.i18n import _, current_language
from veikart.views.format import fmt_deadline, fmt_period, fmt_value

__all__ = [
    "LatestValue",
    "ambition_text",
    "dimension_title",
    "latest_value",
    "series_name",
    "translated",
    "value_label",
    "value_text",
]


def translated(obj: Any, field: str) -> str:
    """A text field of a model object in the current language (from its translations)."""
    tr = getattr(obj, "translations", None) or {}
    return tr.get(current_language(), {}).get(field) or getattr(obj, field) or ""


def value_text(value: float, ind: Indicator) -> str:
    """A value in the indicator's unit: '84 %', '106 dager', 'NOK 1 200'."""
    return fmt_value(value, ind.unit)


def value_label(ind: Indicator, dim_id: str, code: str) -> str:
    """The label of one dimension value ('Helse Nord' for code 'nord'); the code if unknown."""
    for d in ind.dimensions:
        if d.id == dim_id:
            return next((v.label or v.code for v in d.values if v.code == code), code)
    return code


def dimension_title(ind: Indicator, dim_id: str) -> str:
    """The title of a dimension in the current language ('Helseregion'); its id if unknown."""
    return next((translated(d, "title") for d in ind.dimensions if d.id == dim_id), dim_id)


def series_name(ind: Indicator, scope: Mapping[str, str]) -> str:
    """A series by its dimension values ('Helse Nord', 'Kvinner, 16-24 år'); 'Total' for the
    series without any."""
    if not scope:
        return _("Total")
    return ", ".join(value_label(ind, d, v) for d, v in scope.items())


def ambition_text(a: Ambition, ind: Indicator) -> str:
    """An ambition as the deck states it: its own label, else '100 % innen 2030'; a scoped
    ambition names its series ('30 % innen desember 2029 (Helse Nord)')."""
    text = a.label or _("{value} by {deadline}").format(
        value=value_text(a.value, ind), deadline=fmt_deadline(a.deadline)
    )
    if a.scope:
        text += " (" + ", ".join(value_label(ind, d, v) for d, v in a.scope.items()) + ")"
    return text


@dataclass(frozen=True)
class LatestValue:
    """The newest published observation of an indicator's headline."""

    value: float
    period: str  # as stored, e.g. '2025', '2025-Q4'
    scope: dict[str, str]  # {} for the total
    provenance: str  # the row's provenance value ('published', 'seed', 'illustrative')

    def cells(self, ind: Indicator) -> tuple[str, str]:
        """The value and its period as two table cells: ('84 %', '2025'); a named series after the
        value when there is no total: ('38,3 % [Ja]', '2025')."""
        value = value_text(self.value, ind)
        if self.scope:
            value += f" [{series_name(ind, self.scope)}]"
        return value, fmt_period(self.period)

    def text(self, ind: Indicator) -> str:
        """'84 % (2025)'; a named series after it when there is no total: '… (2025) [Helse Nord]'."""
        label = f"{value_text(self.value, ind)} ({fmt_period(self.period)})"
        if self.scope:
            label += f" [{series_name(ind, self.scope)}]"
        return label


def latest_value(table: ObservationTable | None) -> LatestValue | None:
    """The one rule for an indicator's "latest value": the newest published observation of its
    total series (every dimension blank); with no total, the newest published observation of
    any series (ties: the first in the table). None without a published observation."""
    shown = published_table(table)
    if shown is None or not len(shown):
        return None
    totals = [i for i in range(len(shown)) if not any(shown.keys[i])]
    rows = totals or list(range(len(shown)))
    parsed: dict[str, Period] = {}

    def when(i: int) -> Period:
        text = shown.periods[i]
        if text not in parsed:
            parsed[text] = Period.parse(text)
        return parsed[text]

    i = max(rows, key=when)
    value = shown.values[i]
    assert value is not None  # published rows have values
    scope = {} if not any(shown.keys[i]) else {d: v for d, v in zip(shown.dimensions, shown.keys[i], strict=True) if v}
    return LatestValue(value, shown.periods[i], scope, shown.provenance[i])
