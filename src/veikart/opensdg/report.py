"""What an Open SDG import did: counts that add up, and every problem with its place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from veikart.package.problems import Problem

__all__ = ["MAX_PROBLEMS_PER_FILE", "SKIP_REASONS", "OpenSdgReport"]

#: A file with more problems than this lists the first ones and says how many more there are.
MAX_PROBLEMS_PER_FILE = 100

#: Why a data row was not imported (keys of `OpenSdgReport.rows_skipped`).
SKIP_REASONS: dict[str, str] = {
    "blank_value": "blank value (missing in Open SDG)",
    "bad_period": "Year not readable as a period",
    "bad_value": "Value not a number",
    "duplicate": "same series and period as an earlier row",
    "bad_row": "wrong number of fields",
    "unusable_file": "file without Year or Value column",
    "indicator_skipped": "its indicator could not be imported",
}


@dataclass
class OpenSdgReport:
    """Counts of an import and its problems. The counts add up:

    * ``indicators_found == indicators_imported + len(indicators_skipped)``
    * ``indicators_imported == len(with_data) + len(without_data)``
    * ``rows_read == rows_imported + sum(rows_skipped.values())``
    """

    root: str
    framework_id: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: distinct indicator ids among meta/ and data/ files
    indicators_found: int = 0
    indicators_imported: int = 0
    #: ids that could not become indicators (each has a problem)
    indicators_skipped: list[str] = field(default_factory=list)
    #: imported indicators with at least one observation, and those with none
    with_data: list[str] = field(default_factory=list)
    without_data: list[str] = field(default_factory=list)
    #: metadata without a data file (reported as "no data"; imported without observations)
    no_data: list[str] = field(default_factory=list)
    #: data files without metadata (imported with titles made from the file name)
    data_without_metadata: list[str] = field(default_factory=list)
    meta_files: int = 0
    data_files: int = 0
    #: files in meta/ or data/ that are not Open SDG files (reported, not read)
    ignored_files: list[str] = field(default_factory=list)
    #: metadata files whose Markdown body was not imported (the model has no place for it)
    meta_bodies_ignored: int = 0
    rows_read: int = 0
    rows_imported: int = 0
    rows_skipped: Counter[str] = field(default_factory=Counter)
    #: kinds of the imported rows' periods: year, year_range, quarter, month, date, date_range
    period_kinds: Counter[str] = field(default_factory=Counter)
    #: imported rows whose note keeps the published Year text (ranges, annotations)
    periods_rewritten: int = 0
    #: columns left out of the dimensions, by name, counted in files (GeoCode, Progress, ...)
    columns_dropped: Counter[str] = field(default_factory=Counter)
    #: indicators whose unit text would map to a unit whose bounds some value breaks (-> number)
    unit_fallbacks: dict[str, str] = field(default_factory=dict)
    #: auto_progress_calculation: true
    progress_requested: set[str] = field(default_factory=set)
    #: progress_status set by hand (auto_progress_calculation off)
    progress_status: dict[str, str] = field(default_factory=dict)
    #: reporting_status of every indicator that states one
    reporting_status: dict[str, str] = field(default_factory=dict)
    #: standalone: true (not shown under a goal in Open SDG)
    standalone: set[str] = field(default_factory=set)
    #: graph settings the model has no field for: graph_type, graph_title, graph_titles, ...
    graph: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def problems_by_file(self) -> Counter[str]:
        return Counter(p.file for p in self.problems)

    def counts_add_up(self) -> bool:
        return (
            self.indicators_found == self.indicators_imported + len(self.indicators_skipped)
            and self.indicators_imported == len(self.with_data) + len(self.without_data)
            and self.rows_read == self.rows_imported + sum(self.rows_skipped.values())
        )

    def summary_lines(self) -> list[str]:
        """A few lines for the command line."""
        lines = [
            f"Open SDG repository {self.root} -> framework {self.framework_id}",
            f"files: {self.meta_files} metadata, {self.data_files} data"
            + (f", {len(self.ignored_files)} ignored" if self.ignored_files else ""),
            f"indicators: {self.indicators_imported} imported of {self.indicators_found} found "
            f"({len(self.with_data)} with data, {len(self.without_data)} without"
            + (f", {len(self.indicators_skipped)} skipped" if self.indicators_skipped else "")
            + ")",
        ]
        if self.no_data:
            lines.append(f"  no data file: {len(self.no_data)} ({', '.join(self.no_data)})")
        if self.data_without_metadata:
            lines.append(
                f"  data without metadata: {len(self.data_without_metadata)} "
                f"({', '.join(self.data_without_metadata)})"
            )
        lines.append(f"rows: {self.rows_imported} imported of {self.rows_read} read")
        for reason, count in sorted(self.rows_skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  skipped {count}: {SKIP_REASONS.get(reason, reason)}")
        if self.period_kinds:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.period_kinds.items(), key=lambda kv: -kv[1]))
            lines.append(f"periods: {kinds}; {self.periods_rewritten} keep the published text in the note")
        if self.progress_requested:
            lines.append(f"progress calculation requested: {len(self.progress_requested)} indicators")
        statuses = Counter(self.reporting_status.values())
        if statuses:
            lines.append("reporting status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
        lines.append(f"problems: {len(self.problems)} in {len(self.problems_by_file)} files")
        lines.append(f"time: {self.seconds:.2f} s")
        return lines
