"""What an Open SDG import did: counts that add up, and every problem with its place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from veikart.i18n import N_, _, fmt_number
from veikart.package.problems import Problem

__all__ = ["MAX_PROBLEMS_PER_FILE", "PERIOD_KINDS", "SKIP_REASONS", "OpenSdgReport"]

#: A file with more problems than this lists the first ones and says how many more there are.
MAX_PROBLEMS_PER_FILE = 100

#: Why a data row was not imported (keys of `OpenSdgReport.rows_skipped`). The texts are msgids:
#: translate them with `_()` where they are shown.
SKIP_REASONS: dict[str, str] = {
    "blank_value": N_("blank value (missing in Open SDG)"),
    "bad_period": N_("Year not readable as a period"),
    "bad_value": N_("Value not a number"),
    "duplicate": N_("same series and period as an earlier row"),
    "bad_row": N_("wrong number of fields"),
    "unusable_file": N_("file without Year or Value column"),
    "indicator_skipped": N_("its indicator could not be imported"),
}

#: Kinds of period (keys of `OpenSdgReport.period_kinds`), as shown in the summary (msgids).
PERIOD_KINDS: dict[str, str] = {
    "year": N_("year"),
    "year_range": N_("year range"),
    "quarter": N_("quarter"),
    "month": N_("month"),
    "date": N_("date"),
    "date_range": N_("date range"),
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
    def problem_count(self) -> int:
        """All problems, including those a file's "N more" line stands for."""
        return sum(p.hidden or 1 for p in self.problems)

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
        """A few lines for the command line, in the current language."""
        n = fmt_number
        files = _("files: {meta} metadata, {data} data").format(
            meta=n(self.meta_files), data=n(self.data_files)
        )
        if self.ignored_files:
            files += _(", {count} ignored").format(count=n(len(self.ignored_files)))
        indicators = _(
            "indicators: {imported} imported of {found} found ({with_data} with data, {without} without"
        ).format(
            imported=n(self.indicators_imported),
            found=n(self.indicators_found),
            with_data=n(len(self.with_data)),
            without=n(len(self.without_data)),
        )
        if self.indicators_skipped:
            indicators += _(", {count} skipped").format(count=n(len(self.indicators_skipped)))
        lines = [
            _("Open SDG repository {root} -> framework {framework}").format(
                root=self.root, framework=self.framework_id
            ),
            files,
            indicators + ")",
        ]
        if self.no_data:
            lines.append(
                "  "
                + _("no data file: {count} ({ids})").format(
                    count=n(len(self.no_data)), ids=", ".join(self.no_data)
                )
            )
        if self.data_without_metadata:
            lines.append(
                "  "
                + _("data without metadata: {count} ({ids})").format(
                    count=n(len(self.data_without_metadata)), ids=", ".join(self.data_without_metadata)
                )
            )
        lines.append(
            _("rows: {imported} imported of {read} read").format(
                imported=n(self.rows_imported), read=n(self.rows_read)
            )
        )
        for reason, count in sorted(self.rows_skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            why = _(SKIP_REASONS[reason]) if reason in SKIP_REASONS else reason
            lines.append("  " + _("skipped {count}: {reason}").format(count=n(count), reason=why))
        if self.period_kinds:
            kinds = ", ".join(
                f"{_(PERIOD_KINDS.get(k, k))} {n(v)}"
                for k, v in sorted(self.period_kinds.items(), key=lambda kv: -kv[1])
            )
            lines.append(
                _("periods: {kinds}; {count} keep the published text in the note").format(
                    kinds=kinds, count=n(self.periods_rewritten)
                )
            )
        if self.progress_requested:
            lines.append(
                _("progress calculation requested: {count} indicators").format(
                    count=n(len(self.progress_requested))
                )
            )
        statuses = Counter(self.reporting_status.values())
        if statuses:
            lines.append(
                _("reporting status: {statuses}").format(
                    statuses=", ".join(f"{k} {n(v)}" for k, v in sorted(statuses.items()))
                )
            )
        lines.append(
            _("problems: {count} in {files} files").format(
                count=n(self.problem_count), files=n(len(self.problems_by_file))
            )
        )
        lines.append(_("time: {seconds} s").format(seconds=fmt_number(self.seconds, 2)))
        return lines
