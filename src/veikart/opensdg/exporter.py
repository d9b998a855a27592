"""Write a framework as an Open SDG data repository (the `data/` and `meta/` folders, the build
configuration and the progress components that sdg-build turns into an Open SDG site).

    written = export_opensdg(data, Path("sdg-data"))
    print("\\n".join(written.summary_lines()))

The mapping is the importer's read backwards, so that `import_opensdg(export_opensdg(x))` gives
the same indicators, dimensions and observations for a framework that came from Open SDG. What
Open SDG cannot carry is listed in docs/opensdg.md ("Round trip").
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from veikart.core.assess import IndicatorResult, SeriesResult, assess_framework
from veikart.core.dataset import FrameworkData, ObservationTable, format_number
from veikart.core.model import Ambition, Direction, Flag, Framework, Indicator, IndicatorKind
from veikart.core.progress import OPEN_SDG_STATUS, Status
from veikart.errors import VeikartError
from veikart.i18n import N_, _, fmt_number
from veikart.opensdg.data import (
    _COMMENT_NAMES,
    _GEOCODE_NAMES,
    _IGNORED_NAMES,
    _MULTIPLIER_NAMES,
    _SERIES_NAMES,
    _STATUS_NAMES,
    _UNIT_NAMES,
    _status,
)
from veikart.opensdg.importer import REPOSITORY_SOURCE_ID
from veikart.opensdg.periods import dash_means_month, parse_period
from veikart.opensdg.text import SDG_GOAL_TITLES
from veikart.package.writer import swap_in

__all__ = [
    "NotAnOpenSdgRepository",
    "OpenSdgExport",
    "assess_steered",
    "export_opensdg",
    "render_opensdg",
    "sdg_number",
]

#: What the exporter writes at the top of the repository; replaced as a whole on each export.
MANAGED = (
    "data",
    "meta",
    "translations",
    "config_data.yml",
    "_prose.yml",
    "indicator_calculation_components.yml",
)
STATUS_COLUMN = "Observation status"
COMMENT_COLUMN = "COMMENT_OBS"
MULTIPLIER_COLUMN = "Unit multiplier"
#: Columns sdg-build must not offer as disaggregations (its defaults plus COMMENT_OBS).
NON_DISAGGREGATION_COLUMNS = [
    "Year",
    "Units",
    "Series",
    "Value",
    "GeoCode",
    STATUS_COLUMN,
    MULTIPLIER_COLUMN,
    "Unit measure",
    "UNIT_MEASURE",
    "SERIES",
    COMMENT_COLUMN,
]
#: Header names a dimension may not take: the importer would read them as something else.
_RESERVED = {"year", "value"} | _STATUS_NAMES | _COMMENT_NAMES | _GEOCODE_NAMES | _IGNORED_NAMES
#: The importer's status notes (docs/opensdg.md) and the reporting_status each comes from.
_REPORTING_STATUS = {
    "In progress": "inprogress",
    "Exploring data sources": "notstarted",
    "Not applicable": "notapplicable",
}
NON_STATISTICAL = "Non-statistical indicator"
_FREQUENCY = {"annual": "Annual", "quarterly": "Quarterly", "monthly": "Monthly", "continuous": "Continuous"}
_FLAG_WORDS = {"provisional": "Provisional", "break": "Break in series"}
_SDG_ID = re.compile(r"(\d+)(?:-[0-9a-z]+)+")
_SDG_SUFFIX = re.compile(r"(?:^|-)(\d+(?:-[0-9a-z]+)+)$")
_SOURCE_N = re.compile(r"^source-(\d+)$")
_FOUR_DIGITS = re.compile(r"^\d{4}")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class NotAnOpenSdgRepository(VeikartError):
    """The export folder holds other things than an Open SDG data repository; never overwritten."""

    def __init__(self, path: str):
        super().__init__(
            N_("{path} is not empty and is not an Open SDG data repository; choose a new or empty folder"),
            path=path,
        )


@dataclass
class OpenSdgExport:
    """What an export wrote."""

    root: str
    framework_id: str
    files: list[str] = field(default_factory=list)
    indicators: int = 0
    data_files: int = 0
    rows: int = 0
    #: suppressed observations (never published) that were left out
    suppressed: int = 0
    #: indicators written with standalone: true (their id is not goal-target-number)
    standalone: list[str] = field(default_factory=list)
    #: auto_progress_calculation: true (Open SDG calculates the progress itself)
    progress_auto: list[str] = field(default_factory=list)
    #: progress options written but the status set (auto_progress_calculation: false)
    progress_set: list[str] = field(default_factory=list)
    #: progress_status of every indicator, in Open SDG's names
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        n = fmt_number
        lines = [
            _("framework {framework} -> Open SDG repository {root}").format(
                framework=self.framework_id, root=self.root
            ),
            _("files: {count} ({data} data files)").format(count=n(len(self.files)), data=n(self.data_files)),
            _("indicators: {count} ({standalone} standalone)").format(
                count=n(self.indicators), standalone=n(len(self.standalone))
            ),
            _("rows: {rows} written").format(rows=n(self.rows)),
        ]
        if self.suppressed:
            lines[-1] += _("; {count} suppressed values left out").format(count=n(self.suppressed))
        if self.progress_auto or self.progress_set:
            lines.append(
                _(
                    "progress: {auto} calculated by Open SDG, {set} with the status written in progress_status"
                ).format(auto=n(len(self.progress_auto)), set=n(len(self.progress_set)))
            )
        lines.append(
            _("progress status: {statuses}").format(
                statuses=", ".join(f"{k} {n(v)}" for k, v in sorted(self.statuses.items()))
            )
        )
        lines.append(_("time: {seconds} s").format(seconds=fmt_number(self.seconds, 2)))
        return lines


# --- helpers ---------------------------------------------------------------------------------


def _html(text: str) -> str:
    """Text for a metadata field: the importer reads metadata as HTML, so <, > and & are written
    as entities (Open SDG shows them as the characters)."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _front_matter(meta: dict[str, Any]) -> str:
    return "---\n" + _yaml(meta) + "---\n"


def _steered(ind: Indicator) -> bool:
    """Indicators whose progress is assessed (as in veikart.core.assess)."""
    return (
        ind.kind is IndicatorKind.INDICATOR
        and not ind.projection_only
        and ind.direction is not Direction.NONE
    )


def sdg_number(ind: Indicator) -> tuple[str | None, bool]:
    """The indicator_number to write, and whether the indicator is standalone.

    Open SDG finds an indicator's goal and target in its number and looks its metadata up by the
    number with '-' for '.', so the id must be goal-target-number (1-2-1) for the indicator to
    sit under its goal. Any other id is written as a standalone indicator; one that ends in such a
    number (archived-1-a-1) keeps it as indicator_number, as the UK repository does."""
    if (m := _SDG_ID.fullmatch(ind.id)) and str(int(m[1])) == ind.goal:
        return ind.id.replace("-", "."), False
    if (m := _SDG_SUFFIX.search(ind.id)) and str(int(m[1].split("-", 1)[0])) == ind.goal:
        return m[1].replace("-", "."), True
    return None, True


def _dimension_headers(ind: Indicator) -> list[str]:
    """A CSV header per dimension: its title, unless the importer would read that as another
    column (Year, Value, Observation status, GeoCode, ...) or it repeats another header."""
    headers: list[str] = []
    used: set[str] = set()
    for dim in ind.dimensions:
        header = dim.title.strip() or dim.id
        if header.lower() in _RESERVED or header.lower() in used:
            header = f"{header} ({dim.id})"
            n = 2
            while header.lower() in used:
                header = f"{dim.title} ({dim.id}-{n})"
                n += 1
        used.add(header.lower())
        headers.append(header)
    return headers


def _labels(ind: Indicator) -> list[dict[str, str]]:
    """Per dimension: value code -> the label written in the data (the code where there is no
    label; labels that two values share get their code added, so they stay apart)."""
    out = []
    for dim in ind.dimensions:
        texts = {v.code: (v.label or "").strip() or v.code for v in dim.values}
        counts = Counter(texts.values())
        out.append({c: (t if counts[t] == 1 else f"{t} ({c})") for c, t in texts.items()})
    return out


def _role(header: str) -> str:
    low = header.lower()
    if low in _SERIES_NAMES:
        return "series"
    if low in _UNIT_NAMES:
        return "units"
    if low in _MULTIPLIER_NAMES:
        return "multiplier"
    return "dimension"


def _flag_words(flags: str) -> str:
    words = [_FLAG_WORDS[f] for f in flags.split(";") if f in _FLAG_WORDS]
    return "; ".join(words[:1] + [w.lower() for w in words[1:]])


# --- data files ------------------------------------------------------------------------------


@dataclass
class _Rows:
    """The rows of one data file, before they are written."""

    years: list[str]
    periods: list[str]
    keys: list[tuple[str, ...]]
    values: list[str]
    status: list[str]
    comment: list[str]
    suppressed: int = 0


def _year_texts(
    years: list[str], periods: list[str], kept: list[bool], notes: list[str], rests: list[str]
) -> None:
    """Make sure every Year text reads back as its period in this file (in place). A `YYYY-MM`
    month can be read as a range when the file has no month that cannot be one (`1993-01` may be
    the years 1993 to 2001); then months are written `YYYY MM`. A published text that still does
    not read back as its period is replaced by the period, and the note keeps it as it was."""

    def mismatches() -> set[tuple[str, str]]:
        pairs = set(zip(years, periods, strict=True))
        months = dash_means_month({t for t, _p in pairs})
        cache: dict[str, str | None] = {}
        bad = set()
        for text, period in pairs:
            if text not in cache:
                cache[text] = parse_period(text, months).period
            if cache[text] != period:
                bad.add((text, period))
        return bad

    if not mismatches():
        return
    for i, text in enumerate(years):
        if not kept[i] and (m := _MONTH.match(text)):
            years[i] = f"{m[1]} {m[2]}"
    bad = mismatches()
    for i, text in enumerate(years):
        if (text, periods[i]) in bad and kept[i]:
            m = _MONTH.match(periods[i])
            years[i], rests[i] = (f"{m[1]} {m[2]}" if m else periods[i]), notes[i]


def _rows(table: ObservationTable, dim_ids: tuple[str, ...], labels: list[dict[str, str]]) -> _Rows:
    years: list[str] = []
    periods: list[str] = []
    keys: list[tuple[str, ...]] = []
    values: list[str] = []
    flags: list[str] = []
    notes: list[str] = []
    rests: list[str] = []
    kept: list[bool] = []
    suppressed = 0
    readable: dict[tuple[str, str], bool] = {}
    labelled: dict[tuple[str, ...], tuple[str, ...]] = {}
    supp = Flag.SUPPRESSED.value
    t_values, t_flags, t_periods, t_notes, t_keys = (
        table.values,
        table.flags,
        table.periods,
        table.note,
        table.keys,
    )
    # the table's columns in the order of the indicator's dimensions (the same order wherever the
    # table comes from the store or a package)
    position = {d: j for j, d in enumerate(table.dimensions)}
    order = None if table.dimensions == dim_ids else [position.get(d) for d in dim_ids]
    for i in range(len(table)):
        value, fl = t_values[i], t_flags[i]
        if value is None or (fl and supp in fl.split(";")):
            suppressed += 1  # never published: never exported
            continue
        period, note = t_periods[i], t_notes[i]
        year, rest, keep = period, note, False
        if note.startswith("Year: "):
            # the importer's note: "Year: <published text>[; status][; comment]"
            text, _sep, after = note[6:].partition("; ")
            ok = readable.get((text, period))
            if ok is None:
                ok = readable[(text, period)] = any(
                    (pt := parse_period(text, months)).keep_text and pt.period == period
                    for months in (False, True)
                )
            if ok:
                year, rest, keep = text, after, True
        key = t_keys[i]
        named = labelled.get(key)
        if named is None:
            codes = key if order is None else tuple(key[j] if j is not None else "" for j in order)
            named = labelled[key] = tuple([lab[c] if c else "" for lab, c in zip(labels, codes, strict=True)])
        years.append(year)
        periods.append(period)
        keys.append(named)
        values.append(format_number(value))
        flags.append(fl)
        notes.append(note)
        rests.append(rest)
        kept.append(keep)
    _year_texts(years, periods, kept, notes, rests)
    status: list[str] = []
    comment: list[str] = []
    for fl, rest in zip(flags, rests, strict=True):
        if not fl:
            status.append("")
            comment.append(rest)
        elif rest and _status(rest)[0] == fl:
            status.append(rest)  # the importer reads the same flags and note from it
            comment.append("")
        else:
            status.append(_flag_words(fl))
            comment.append(rest)
    return _Rows(years, periods, keys, values, status, comment, suppressed)


def _multiplier(ind: Indicator, headers: list[str], rows: _Rows) -> str:
    """A unit multiplier the importer joined to the unit label ("Rate (Thousands)"), to be
    written as a Unit multiplier column so that it is joined again."""
    label = ind.unit_label or ""
    units = [j for j, h in enumerate(headers) if _role(h) == "units"]
    if not units or not label.endswith(")") or any(_role(h) == "multiplier" for h in headers):
        return ""
    # the importer's unit texts: the labels of each units column in column order, first seen first
    texts: dict[str, None] = {}
    for j in units:
        texts.update(dict.fromkeys(k[j] for k in rows.keys if k[j]))
    expected = "; ".join(texts)
    if label.startswith(f"{expected} ("):
        return label[len(expected) + 2 : -1]
    return ""


def _csv(headers: list[str], rows: _Rows, multiplier: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    has_status = any(rows.status)
    has_comment = any(rows.comment)
    w.writerow(
        ["Year", *headers]
        + ([STATUS_COLUMN] if has_status else [])
        + ([COMMENT_COLUMN] if has_comment else [])
        + ([MULTIPLIER_COLUMN] if multiplier else [])
        + ["Value"]
    )
    tail_m = [multiplier] if multiplier else []
    for i, year in enumerate(rows.years):
        w.writerow(
            [year, *rows.keys[i]]
            + ([rows.status[i]] if has_status else [])
            + ([rows.comment[i]] if has_comment else [])
            + tail_m
            + [rows.values[i]]
        )
    return buf.getvalue()


# --- progress --------------------------------------------------------------------------------


def assess_steered(data: FrameworkData) -> dict[str, IndicatorResult]:
    """Progress of the indicators that are assessed at all (the others are not_available in Open
    SDG): assess_framework on those alone, which also spares the projections of the rest."""
    steered = {k: v for k, v in data.indicators.items() if _steered(v)}
    if not steered:
        return {}
    subset = FrameworkData(
        data.framework,
        steered,
        {k: t for k, t in data.observations.items() if k in steered},
    )
    return {r.indicator.id: r for r in assess_framework(subset)}


def _status_name(result: IndicatorResult | None) -> str:
    return OPEN_SDG_STATUS[result.status] if result is not None else OPEN_SDG_STATUS[Status.NOT_ASSESSED]


def _number(x: float | None) -> float | None:
    if x is None:
        return None
    return float(x)


def _series_tag(ind: Indicator, headers: list[str], labels: list[dict[str, str]], s: SeriesResult) -> str:
    """sdg-build's name of a series: indicator / series / unit / disaggregation values."""
    parts: dict[str, list[str]] = {"series": [], "units": [], "dimension": [], "multiplier": []}
    codes = dict(zip(s.dimensions, s.key, strict=True))
    for j, dim in enumerate(ind.dimensions):
        if code := codes.get(dim.id):
            parts[_role(headers[j])].append(labels[j].get(code, code))
    return " / ".join([ind.id, *parts["series"], *parts["units"], *parts["dimension"], *parts["multiplier"]])


def _components(
    ind: Indicator, result: IndicatorResult | None, headers: list[str], labels: list[dict[str, str]]
) -> dict[str, Any]:
    """The entry of indicator_calculation_components.yml, with the keys sdg-build writes:
    progress_status and score of the indicator, and per series the components of its
    calculation. Years are the years of annual data; for shorter periods the period's midpoint
    as a fractional year (2023-Q1 is 2023.125), as the calculation used them."""
    entry: dict[str, Any] = {
        "progress_status": _status_name(result),
        "score": _number(result.score) if result is not None else None,
    }
    if result is None:
        return entry
    series = [result.headline] if result.headline is not None else list(result.series)
    for s in series:
        p = s.progress if s is not None else None
        if p is None:
            continue
        annual = all(_YEAR.match(x) for x in s.periods)

        def year(t: float | None, annual: bool = annual) -> float | None:
            return None if t is None else float(math.floor(t)) if annual else float(t)

        entry[_series_tag(ind, headers, labels, s)] = {
            "base_value": _number(p.base_value),
            "base_year": year(p.base_year),
            "current_value": _number(p.current_value),
            "current_year": year(p.current_year),
            "target": _number(p.target),
            "target_year": year(p.target_year),
            "direction": p.direction,
            "sign": None if p.base_value is None else (-1 if p.base_value < 0 else 1),
            "limit": _number(p.limit),
            "progress_value": _number(p.progress_value),
            "status": OPEN_SDG_STATUS[p.status],
            "score": _number(p.score),
        }
    return entry


def _selection(
    scope: dict[str, str], ind: Indicator, headers: list[str], labels: list[dict[str, str]]
) -> dict[str, Any]:
    """A scope as Open SDG selects a series: series, unit and disaggregation (labels)."""
    position = {d.id: j for j, d in enumerate(ind.dimensions)}
    opt: dict[str, Any] = {}
    disaggregation = []
    for dim_id, code in scope.items():
        j = position.get(dim_id)
        if j is None:
            continue
        label, role = labels[j].get(code, code), _role(headers[j])
        if role == "series":
            opt["series"] = label
        elif role == "units":
            opt["unit"] = label
        else:
            disaggregation.append({"field": headers[j], "value": label})
    if disaggregation:
        opt["disaggregation"] = disaggregation
    return opt


def _direction_name(direction: Direction) -> str:
    return "positive" if direction is Direction.HIGHER_IS_BETTER else "negative"


def _progress_options(
    ind: Indicator, fw: Framework, headers: list[str], labels: list[dict[str, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """progress_calculation_options, and the targets of series the status is not made of.

    Each block of the options is one series of the status, as sdg-build reads them: the
    indicator's `assessed_series` (each with its direction, base year, limit and the target of its
    ambition), else one block for the headline (the indicator's direction, base year, natural limit
    and unscoped ambition). Ambitions for other series go to `veikart_targets`, which Open SDG
    does not read and the importer turns into ambitions again: as blocks of the options they would
    become series of the status."""
    base_year = ind.base_year if ind.base_year is not None else fw.base_year
    by_scope: dict[tuple[tuple[str, str], ...], Ambition] = {}
    for amb in ind.ambitions:
        by_scope.setdefault(tuple(sorted(amb.scope.items())), amb)
    used: set[int] = set()
    options: list[dict[str, Any]] = []
    if ind.assessed_series:
        for sel in ind.assessed_series:
            direction = sel.direction if sel.direction is not None else ind.direction
            opt = _selection(sel.scope, ind, headers, labels)
            opt.update(
                direction=_direction_name(direction),
                base_year=sel.base_year if sel.base_year is not None else base_year,
            )
            limit = sel.limit
            if limit is None and ind.natural_limit is not None:
                limit = ind.natural_limit.upper if direction is Direction.HIGHER_IS_BETTER else ind.natural_limit.lower
            if limit is not None:
                opt["limit"] = limit
            a = by_scope.get(tuple(sorted(sel.scope.items())))
            if a is not None and id(a) not in used:
                used.add(id(a))
                opt.update(target=a.value, target_year=a.deadline.year)
            options.append(opt)
    else:
        opt = {"direction": _direction_name(ind.direction), "base_year": base_year}
        if ind.natural_limit is not None:
            value = ind.natural_limit.upper if ind.direction is Direction.HIGHER_IS_BETTER else ind.natural_limit.lower
            if value is not None:
                opt["limit"] = value
        a = by_scope.get(())
        if a is not None:
            used.add(id(a))
            opt.update(target=a.value, target_year=a.deadline.year)
        options.append(opt)
    others = []
    for amb in ind.ambitions:
        if id(amb) in used:
            continue
        opt = _selection(amb.scope, ind, headers, labels)
        opt.update(target=amb.value, target_year=amb.deadline.year)
        others.append(opt)
    return options, others


def _auto(ind: Indicator, headers: list[str], rows: _Rows | None) -> bool:
    """Whether Open SDG can calculate this indicator's progress as veikart does: from the total
    series alone (veikart's headline), annual, with at most one target for it, in a file whose
    every Year starts with the year (sdg-build reads the first four characters as the year) and
    without Units or Series columns (which Open SDG's headline would mix in)."""
    if not _steered(ind) or rows is None or len(ind.ambitions) > 1 or any(a.scope for a in ind.ambitions):
        return False
    if ind.assessed_series:  # a selection of its own: Open SDG's headline would be another
        return False
    if any(_role(h) in ("series", "units") for h in headers):
        return False
    if not all(_FOUR_DIGITS.match(y) for y in rows.years):
        return False
    total = [i for i, k in enumerate(rows.keys) if not any(k)]
    return bool(total) and all(_YEAR.match(rows.periods[i]) for i in total)


# --- metadata --------------------------------------------------------------------------------


def _reporting_status(ind: Indicator, has_data: bool) -> tuple[str, bool]:
    """reporting_status and data_non_statistical from the status note (the importer's notes
    read backwards). A note of another kind says the indicator is not complete."""
    parts = ind.status_note.split("; ") if ind.status_note else []
    non_statistical = NON_STATISTICAL in parts
    known = [_REPORTING_STATUS[p] for p in parts if p in _REPORTING_STATUS]
    if known:
        return known[0], non_statistical
    if any(p != NON_STATISTICAL for p in parts):
        return ("inprogress" if has_data else "notstarted"), non_statistical
    return "complete", non_statistical


def _sources(ind: Indicator) -> dict[str, Any]:
    """source_*_N fields. A source-N keeps its number; the repository source the importer made
    up (no source was named) is left out: the importer makes it again."""
    out: dict[str, Any] = {}
    sources = [s for s in ind.sources if s.id != REPOSITORY_SOURCE_ID]
    numbers: dict[str, int] = {}
    for s in sources:
        if (m := _SOURCE_N.match(s.id)) and int(m[1]) not in numbers.values() and int(m[1]) > 0:
            numbers[s.id] = int(m[1])
    free = 1
    for s in sources:
        if s.id not in numbers:
            while free in numbers.values():
                free += 1
            numbers[s.id] = free
    for s in sorted(sources, key=lambda x: numbers[x.id]):
        n = numbers[s.id]
        out[f"source_active_{n}"] = True
        out[f"source_organisation_{n}"] = _html(s.organisation)
        if s.name:
            out[f"source_url_text_{n}"] = _html(s.name)
        if s.url:
            out[f"source_url_{n}"] = s.url
    return out


def _meta(
    ind: Indicator,
    fw: Framework,
    headers: list[str],
    labels: list[dict[str, str]],
    rows: _Rows | None,
    result: IndicatorResult | None,
    auto: bool,
) -> dict[str, Any]:
    number, standalone = sdg_number(ind)
    subgoal = ind.subgoals[0] if ind.subgoals else None
    subgoal_title = next((s.title for g in fw.goals for s in g.subgoals if s.code == subgoal), None)
    title = _html(ind.title)
    meta: dict[str, Any] = {}
    if number:
        meta["indicator_number"] = number
    meta["indicator_name"] = title
    meta["indicator_available"] = title
    meta["sdg_goal"] = ind.goal
    if subgoal:
        meta["target_id"] = subgoal
        if subgoal_title and subgoal_title != f"Target {subgoal}":
            meta["target_name"] = _html(subgoal_title)
    meta["national_indicator_description"] = _html(ind.definition)
    if ind.unit_label:
        meta["computation_units"] = _html(ind.unit_label)
    if ind.update_frequency is not None:
        meta["periodicity"] = _FREQUENCY[ind.update_frequency.value]
    meta.update(_sources(ind))
    if ind.footnotes:
        meta["data_footnote"] = "\n\n".join(_html(f) for f in ind.footnotes)
    if ind.links:
        meta["goal_meta_link"] = ind.links[0]
    status, non_statistical = _reporting_status(ind, rows is not None and bool(rows.years))
    meta["reporting_status"] = status
    meta["data_non_statistical"] = non_statistical
    meta["published"] = True
    meta["graph_type"] = "line"
    meta["graph_title"] = title
    if standalone:
        meta["standalone"] = True
    if ind.direction is not Direction.NONE:
        meta["auto_progress_calculation"] = auto
        options, others = _progress_options(ind, fw, headers, labels)
        meta["progress_calculation_options"] = options
        if others:
            meta["veikart_targets"] = others
    meta["progress_status"] = _status_name(result)
    return meta


def _translated_meta(ind: Indicator, lang: str) -> dict[str, Any] | None:
    """meta/<lang>/<id>.md: the indicator's texts in another language of the framework."""
    tr = ind.translations.get(lang) or {}
    meta: dict[str, Any] = {}
    if tr.get("title"):
        meta["indicator_name"] = _html(tr["title"])
        meta["indicator_available"] = _html(tr["title"])
        meta["graph_title"] = _html(tr["title"])
    if tr.get("definition"):
        meta["national_indicator_description"] = _html(tr["definition"])
    if tr.get("unit_label"):
        meta["computation_units"] = _html(tr["unit_label"])
    return meta or None


# --- repository files ------------------------------------------------------------------------


def _is_sdg(fw: Framework) -> bool:
    return {g.id for g in fw.goals} == set(SDG_GOAL_TITLES) and all(
        g.title == SDG_GOAL_TITLES[g.id] and not g.description for g in fw.goals
    )


def _translations(fw: Framework) -> dict[str, str]:
    """translations/<lang>/global_goals.yml and global_targets.yml: the titles of the goals and
    targets, where they are not the SDGs' (whose titles Open SDG takes from sdg-translations)."""
    files: dict[str, str] = {}
    sdg = _is_sdg(fw)
    for i, lang in enumerate(fw.languages):
        goals: dict[str, str] = {}
        targets: dict[str, str] = {}
        for g in fw.goals:
            texts: Mapping[str, str | None] = (
                {"title": g.title, "description": g.description} if i == 0 else g.translations.get(lang, {})
            )
            goal_title = texts.get("title")
            if not sdg and goal_title:
                goals[f"{g.id}-title"] = _html(texts.get("description") or goal_title)
                goals[f"{g.id}-short"] = _html(goal_title)
            for s in g.subgoals:
                title = s.title if i == 0 else s.translations.get(lang, {}).get("title")
                if title and (not sdg or title != f"Target {s.code}"):
                    targets[f"{s.code.replace('.', '-')}-title"] = _html(title)
        if goals:
            files[f"translations/{lang}/global_goals.yml"] = _yaml(goals)
        if targets:
            files[f"translations/{lang}/global_targets.yml"] = _yaml(targets)
    return files


def _config(fw: Framework) -> str:
    config: dict[str, Any] = {"languages": list(fw.languages), "docs_branding": fw.owner}
    if fw.url and fw.url.endswith("/"):
        config["docs_indicator_url"] = f"{fw.url}[id]"
    config.update(
        {
            "schema_file": "_prose.yml",
            "src_dir": "",
            "site_dir": "_site",
            "inputs": [
                {"class": "InputCsvData", "path_pattern": "data/indicator_*.csv"},
                {"class": "InputYamlMdMeta", "path_pattern": "meta/*.md", "git": False},
            ],
            "indicator_options": {
                "non_disaggregation_columns": NON_DISAGGREGATION_COLUMNS,
                "series_column": "Series",
                "unit_column": "Units",
            },
        }
    )
    head = (
        f"# Open SDG data repository of the framework {fw.id} ({fw.title}), written by veikart\n"
        "# export-opensdg. Build it with sdg-build: open_sdg_build(config='config_data.yml').\n"
        "# Metadata dates from Git: set git: true under inputs once the files are committed.\n"
    )
    return head + _yaml(config)


_PROSE_TEXT = (
    "indicator_number",
    "indicator_name",
    "indicator_available",
    "sdg_goal",
    "target_id",
    "target_name",
    "national_indicator_description",
    "computation_units",
    "periodicity",
    "data_footnote",
    "goal_meta_link",
    "graph_title",
)


def _prose(max_source: int) -> str:
    """_prose.yml: the metadata schema sdg-build validates the metadata with (the fields this
    export writes; lists such as progress_calculation_options are left out of it, as Open SDG's
    own schemas do)."""

    def field_(name: str, element: str, label: str, options: list[str] | None = None) -> dict[str, Any]:
        f: dict[str, Any] = {"element": element, "label": label}
        if options is not None:
            f["options"] = [{"name": o, "value": o} for o in options]
        return {"name": name, "field": f}

    meta = [
        field_(n, "textarea" if n in ("national_indicator_description", "data_footnote") else "text", n)
        for n in _PROSE_TEXT
    ]
    meta += [
        field_(
            "reporting_status",
            "select",
            "reporting_status",
            ["complete", "inprogress", "notstarted", "notapplicable"],
        ),
        field_("data_non_statistical", "checkbox", "data_non_statistical"),
        field_("published", "checkbox", "published"),
        field_("graph_type", "select", "graph_type", ["line", "bar"]),
        field_("standalone", "checkbox", "standalone"),
        field_("auto_progress_calculation", "checkbox", "auto_progress_calculation"),
        field_(
            "progress_status",
            "select",
            "progress_status",
            sorted(set(OPEN_SDG_STATUS.values())),
        ),
    ]
    for n in range(1, max_source + 1):
        meta += [
            field_(f"source_active_{n}", "checkbox", f"source_active_{n}"),
            field_(f"source_organisation_{n}", "text", f"source_organisation_{n}"),
            field_(f"source_url_text_{n}", "text", f"source_url_text_{n}"),
            field_(f"source_url_{n}", "text", f"source_url_{n}"),
        ]
    head = "# Metadata schema of this Open SDG data repository (prose.io format), written by veikart.\n"
    return head + _yaml({"prose": {"metadata": {"meta": meta}}})


def render_opensdg(data: FrameworkData, export: OpenSdgExport | None = None) -> dict[str, str]:
    """Every file of the repository: relative path -> text. `export` collects the counts."""
    export = export if export is not None else OpenSdgExport("", data.framework.id)
    fw = data.framework
    results = assess_steered(data)
    files: dict[str, str] = {}
    components: dict[str, Any] = {}
    max_source = 0
    for ind in data.indicators.values():
        headers = _dimension_headers(ind)
        labels = _labels(ind)
        table = data.observations.get(ind.id)
        dim_ids = tuple(d.id for d in ind.dimensions)
        rows = _rows(table, dim_ids, labels) if table is not None and len(table) else None
        if rows is not None:
            export.suppressed += rows.suppressed
            if rows.years:
                multiplier = _multiplier(ind, headers, rows)
                files[f"data/indicator_{ind.id}.csv"] = _csv(headers, rows, multiplier)
                export.data_files += 1
                export.rows += len(rows.years)
        result = results.get(ind.id)
        auto = _auto(ind, headers, rows)
        meta = _meta(ind, fw, headers, labels, rows, result, auto)
        max_source = max(
            [max_source] + [int(k.rsplit("_", 1)[1]) for k in meta if k.startswith("source_active_")]
        )
        files[f"meta/{ind.id}.md"] = _front_matter(meta)
        for lang in fw.languages[1:]:
            if (tr := _translated_meta(ind, lang)) is not None:
                files[f"meta/{lang}/{ind.id}.md"] = _front_matter(tr)
        components[ind.id] = _components(ind, result, headers, labels)
        export.indicators += 1
        export.statuses[meta["progress_status"]] += 1
        if meta.get("standalone"):
            export.standalone.append(ind.id)
        if ind.direction is not Direction.NONE:
            (export.progress_auto if auto else export.progress_set).append(ind.id)
    files.update(_translations(fw))
    files["config_data.yml"] = _config(fw)
    files["_prose.yml"] = _prose(max_source)
    files["indicator_calculation_components.yml"] = _yaml(components)
    return files


def _is_repository(path: Path) -> bool:
    return (path / "config_data.yml").is_file() and ((path / "data").is_dir() or (path / "meta").is_dir())


def export_opensdg(data: FrameworkData, target: Path) -> OpenSdgExport:
    """Write the framework as an Open SDG data repository in `target`: first into a temporary
    sibling folder, then moved in, so a failure never leaves half a repository. `target` must be
    missing, empty, or an Open SDG data repository (config_data.yml with data/ or meta/): its
    data/, meta/, translations/, config_data.yml, _prose.yml and
    indicator_calculation_components.yml are replaced, other files (workflows, scripts) stay."""
    started = time.perf_counter()
    target = Path(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not _is_repository(target))):
        raise NotAnOpenSdgRepository(str(target))
    export = OpenSdgExport(str(target), data.framework.id)
    files = render_opensdg(data, export)
    swap_in(target, files, MANAGED)
    export.files = sorted(files)
    export.seconds = time.perf_counter() - started
    return export
