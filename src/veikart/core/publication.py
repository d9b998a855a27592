"""What may be published: the one rule every public output calls (open data, Open SDG export,
the dashboard, its API and static site).

- No suppressed observation: a row flagged ``suppressed`` is gone whole (value, note, n and
  the row itself), and so is a row without a value.
- No draft period: only periods in state ``published`` appear, with their assessments, key
  figures and titles; a draft's text stays inside the editor's workflow.

The council deck is not a public output: it is built for any period, draft or published, and
its charts leave suppressed rows out by the same `published_table`.
"""

from __future__ import annotations

from collections.abc import Mapping

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Flag, PeriodState, ReportingPeriod

__all__ = ["is_suppressed", "published_data", "published_periods", "published_table"]

_SUPPRESSED = Flag.SUPPRESSED.value


def is_suppressed(flags: str) -> bool:
    """Whether a row's canonical flags (';'-joined) mark it suppressed."""
    return _SUPPRESSED in flags.split(";") if flags else False


def published_table(table: ObservationTable | None) -> ObservationTable | None:
    """The rows of `table` that may be published (the table itself when all may)."""
    if table is None:
        return None
    keep = [i for i in range(len(table)) if table.values[i] is not None and not is_suppressed(table.flags[i])]
    if len(keep) == len(table):
        return table
    out = ObservationTable(table.indicator, table.dimensions)
    for i in keep:
        out.append(*table.row(i))
    return out


def published_periods(periods: Mapping[str, ReportingPeriod]) -> dict[str, ReportingPeriod]:
    """Only published periods, in their order."""
    return {pid: p for pid, p in periods.items() if p.state is PeriodState.PUBLISHED}


def published_data(data: FrameworkData) -> FrameworkData:
    """The framework as the public may see it: published rows and published periods only."""
    observations: dict[str, ObservationTable] = {}
    for ind_id, table in data.observations.items():
        kept = published_table(table)
        if kept is not None and len(kept):  # nothing publishable: no table at all
            observations[ind_id] = kept
    return FrameworkData(
        framework=data.framework,
        indicators=data.indicators,
        observations=observations,
        periods=published_periods(data.periods),
    )
