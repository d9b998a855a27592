"""A whole framework in memory: metadata models plus columnar observation tables.

Observations are columnar (one list per column) rather than one object per row: a framework may
hold hundreds of thousands of them, and every consumer (store, progress, charts) reads columns.
`ObservationTable.observations()` gives model objects when a caller wants them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from veikart.core.model import Flag, Framework, Indicator, Observation, Provenance, ReportingPeriod

__all__ = ["FLAG_ORDER", "FrameworkData", "ObservationTable", "canonical_flags", "format_number", "localised", "localised_period"]

FLAG_ORDER: tuple[Flag, ...] = (Flag.PROVISIONAL, Flag.SUPPRESSED, Flag.BREAK)
ROW_COLUMNS = ("period", "value", "n", "flags", "provenance", "source", "note")


def canonical_flags(flags: frozenset[Flag] | set[Flag]) -> str:
    return ";".join(f.value for f in FLAG_ORDER if f in flags)


def format_number(value: float) -> str:
    """Shortest exact text of a number: 10.0 -> '10', 10.5 -> '10.5'."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


@dataclass(slots=True)
class ObservationTable:
    """The observations of one indicator, in row order. `keys[i]` holds the row's dimension
    values in the order of `dimensions` ('' = total over that dimension)."""

    indicator: str
    dimensions: tuple[str, ...]
    keys: list[tuple[str, ...]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    n: list[int | None] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # canonical ';'-joined
    provenance: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)  # '' = none
    note: list[str] = field(default_factory=list)  # '' = none

    def __len__(self) -> int:
        return len(self.periods)

    def append(
        self,
        key: tuple[str, ...],
        period: str,
        value: float | None,
        n: int | None,
        flags: str,
        provenance: str,
        source: str,
        note: str,
    ) -> None:
        self.keys.append(key)
        self.periods.append(period)
        self.values.append(value)
        self.n.append(n)
        self.flags.append(flags)
        self.provenance.append(provenance)
        self.source.append(source)
        self.note.append(note)

    def row(self, i: int) -> tuple:
        return (
            self.keys[i],
            self.periods[i],
            self.values[i],
            self.n[i],
            self.flags[i],
            self.provenance[i],
            self.source[i],
            self.note[i],
        )

    def observations(self) -> Iterator[Observation]:
        for i in range(len(self)):
            series = {d: v for d, v in zip(self.dimensions, self.keys[i], strict=True) if v}
            yield Observation(
                series=series,
                period=self.periods[i],
                value=self.values[i],
                n=self.n[i],
                flags=frozenset(Flag(f) for f in self.flags[i].split(";") if f),
                provenance=Provenance(self.provenance[i]),
                source=self.source[i] or None,
                note=self.note[i] or None,
            )


@dataclass(slots=True)
class FrameworkData:
    """Everything a package holds. Indicators and periods keep their package order."""

    framework: Framework
    indicators: dict[str, Indicator] = field(default_factory=dict)
    observations: dict[str, ObservationTable] = field(default_factory=dict)
    periods: dict[str, ReportingPeriod] = field(default_factory=dict)

    def observation_count(self) -> int:
        return sum(len(t) for t in self.observations.values())


def _localise(model: Any, lang: str) -> Any:
    """The model with its `translations[lang]` fields in place of its own, nested models too."""
    if not isinstance(model, BaseModel):
        return model
    fields = type(model).model_fields
    update: dict[str, Any] = {}
    own = getattr(model, "translations", None) or {}
    for name, text in (own.get(lang) or {}).items():
        if name in fields and name != "translations":
            update[name] = text
    for name in fields:
        if name in update:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            new = _localise(value, lang)
            if new is not value:
                update[name] = new
        elif isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
            items = [_localise(v, lang) for v in value]
            if any(a is not b for a, b in zip(items, value, strict=True)):
                update[name] = items
    return model.model_copy(update=update) if update else model


def localised(data: FrameworkData, lang: str) -> FrameworkData:
    """The framework in `lang`: every text field that has a translation into it replaced by the
    translation (titles, definitions, units, dimension titles, ambition labels...); fields without
    one stay in the framework's own language. The data's own language returns it unchanged."""
    if not data.framework.languages or lang == data.framework.languages[0]:
        return data
    return FrameworkData(
        _localise(data.framework, lang),
        {k: _localise(v, lang) for k, v in data.indicators.items()},
        data.observations,
        {k: _localise(v, lang) for k, v in data.periods.items()},
    )


def localised_period(data: FrameworkData, period: ReportingPeriod | None, lang: str) -> ReportingPeriod | None:
    """One reporting period in `lang` (see `localised`)."""
    if period is None or not data.framework.languages or lang == data.framework.languages[0]:
        return period
    return _localise(period, lang)
