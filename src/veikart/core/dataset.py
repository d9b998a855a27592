"""A whole framework in memory: metadata models plus columnar observation tables.

Observations are columnar (one list per column) rather than one object per row: a framework may
hold hundreds of thousands of them, and every consumer (store, progress, charts) reads columns.
`ObservationTable.observations()` gives model objects when a caller wants them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from veikart.core.model import Flag, Framework, Indicator, Observation, Provenance, ReportingPeriod

__all__ = ["FLAG_ORDER", "FrameworkData", "ObservationTable", "canonical_flags", "format_number"]

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
