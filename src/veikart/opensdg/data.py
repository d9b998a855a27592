"""Read one Open SDG data file (data/indicator_<id>.csv) into columns, with every problem.

Columns: `Year` and `Value` by name (any place, any case); `Units`/`Unit measure` and `Series`
are dimensions that split series but are not disaggregations (role unit or series: each of their
values has a headline of its own, as in Open SDG); `Unit multiplier` is a
dimension only where it varies within the file (else it joins the unit label); `Observation
status` gives flags and notes; `GeoCode` and `Progress` are left out (see docs/opensdg.md).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from veikart.core.dataset import FLAG_ORDER
from veikart.core.model import HINTS, MAX_ABS_NUMBER, MESSAGES, Dimension, DimensionRole, DimensionValue
from veikart.i18n import _, fmt_number
from veikart.opensdg.periods import PeriodText, dash_means_month, parse_period
from veikart.opensdg.text import assign_codes

__all__ = ["RESERVED_COLUMNS", "DataFile", "read_data_file"]

#: Columns of our package CSV; a dimension may not take one of these ids.
RESERVED_COLUMNS = ("period", "value", "n", "flags", "provenance", "source", "note")

_UNIT_NAMES = {"units", "unit", "unit measure", "unit_measure"}
_SERIES_NAMES = {"series", "series code"}
_MULTIPLIER_NAMES = {"unit multiplier", "unit_mult", "unit mult"}
_STATUS_NAMES = {"observation status", "obs_status", "obs status"}
_COMMENT_NAMES = {"comment_obs", "observation comment", "comment obs"}
_GEOCODE_NAMES = {"geocode", "geo code", "geo_code"}
_IGNORED_NAMES = {"progress"}  # Open SDG's progress-override column: not data to show
_DASH_TWO = re.compile(r"^\d{4}-\d{2}$")
_NORMAL_STATUS = {"", "normal value", "normal", "undefined", "a"}
_TRIVIAL_MULTIPLIERS = {"", "units", "unit", "0"}

AddProblem = Callable[..., None]

#: Units, Series and a varying Unit multiplier are not disaggregations (sdg-build's
#: non-disaggregation columns): each of their values has its own headline.
_ROLES = {
    "dimension": DimensionRole.DISAGGREGATION,
    "units": DimensionRole.UNIT,
    "series": DimensionRole.SERIES,
    "multiplier": DimensionRole.UNIT,
}


@dataclass
class DimColumn:
    name: str  # header text
    role: str  # "dimension", "units", "series" or "multiplier"
    index: int  # position in the CSV row


@dataclass
class DataFile:
    """The usable rows of one file, columnar, plus what the indicator needs from them."""

    rel: str
    dimensions: list[Dimension] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # dimension id -> role
    titles: dict[str, str] = field(default_factory=dict)  # lower-case column name -> dimension id
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # dimension id -> label -> code
    keys: list[tuple[str, ...]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit_texts: list[str] = field(default_factory=list)  # distinct, first seen first
    multiplier: str = ""  # the file's one unit multiplier, if it has one that says something
    rows_read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    period_kinds: dict[str, int] = field(default_factory=dict)
    periods_rewritten: int = 0
    dropped: list[str] = field(default_factory=list)  # header names left out

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _decode(raw: bytes, rel: str, add: AddProblem) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        add(
            rel,
            _("the file is not UTF-8 (byte {byte}); it was read as Windows-1252").format(byte=exc.start + 1),
            _("save the file as UTF-8"),
        )
        return raw.decode("cp1252", errors="replace")


def _status(text: str) -> tuple[str, str]:
    """Flags and note text of an `Observation status`."""
    low = text.lower()
    if low in _NORMAL_STATUS:
        return "", ""
    parts = set()
    if "provisional" in low:
        parts.add("provisional")
    if "break" in low:
        parts.add("break")
    return ";".join(f.value for f in FLAG_ORDER if f.value in parts), text


def _duplicate(
    add: AddProblem,
    rel: str,
    period: str,
    first: int,
    line: int,
    year_text: str,
    pt: PeriodText | None,
    i_year: int,
    year_name: str,
) -> None:
    if pt is not None and pt.keep_text:
        hint = _("keep one row per series and year (Year {text!r} reads as {period})").format(
            text=year_text.strip(), period=period
        )
    else:
        hint = _("keep one row per series and year")
    add(
        rel,
        _("duplicate: this series already has period {period} on line {line}; the first was kept").format(
            period=period, line=first
        ),
        hint,
        line=line,
        column=i_year + 1,
        field=year_name,
    )


def read_data_file(path: Path, rel: str, add: AddProblem, *, keep_geocode: bool = False) -> DataFile:
    """Every row of the file read, imported or skipped with a reason (and a problem, except
    blank values, which Open SDG uses for missing data)."""
    out = DataFile(rel)
    try:
        text = _decode(path.read_bytes(), rel, add)
    except OSError as exc:
        add(rel, _("cannot read the file: {error}").format(error=exc.strerror), None)
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        add(
            rel,
            _("CSV error: {error}; the rest of the file was not read").format(error=exc),
            _("check the quoting"),
            line=reader.line_num + 1,
        )
        # `rows` stays empty when list() fails: read again row by row, up to the error
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline="")):
                rows.append(row)
        except csv.Error:
            pass
    # Line numbers: each row is one line unless a quoted field spans lines.
    if reader.line_num == len(rows) or not any("\n" in c or "\r" in c for row in rows for c in row):
        line_of = list(range(1, len(rows) + 1))
    else:
        line_of, n = [], 0
        for row in rows:
            n += 1
            line_of.append(n)
            n += sum(c.count("\n") for c in row)
    first = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if first is None:
        add(rel, _("the file is empty"), _("write a header row: Year, disaggregation columns, Value"))
        return out
    header = rows[first]
    start = first + 1

    names = [h.strip() for h in header]
    lower = [n.lower() for n in names]
    width = len(names)
    if "year" not in lower or "value" not in lower:
        count = sum(1 for row in rows[start:] if any(c.strip() for c in row))
        missing = [c for c in ("Year", "Value") if c.lower() not in lower]
        if len(missing) == 2:
            message = _("no Year or Value column: none of the {count} rows can be read")
        else:
            message = _("no {column} column: none of the {count} rows can be read")
        add(
            rel,
            message.format(column=missing[0], count=fmt_number(count)),
            _("Open SDG data files have Year first and Value last"),
            line=line_of[first],
        )
        out.rows_read = count
        if count:
            out.skipped["unusable_file"] = count
        return out
    i_year, i_value = lower.index("year"), lower.index("value")
    i_status = i_comment = None
    columns: list[DimColumn] = []
    seen_names: dict[str, int] = {}
    for i, name in enumerate(names):
        low = lower[i]
        if i in (i_year, i_value):
            continue
        if low in seen_names:
            add(
                rel,
                _("column {name!r} appears twice; the second one (column {number}) was left out").format(
                    name=name, number=i + 1
                ),
                _("remove or rename one of them"),
                line=line_of[first],
                column=i + 1,
                field=name,
            )
            out.dropped.append(name)
            continue
        seen_names[low] = i
        if low in _GEOCODE_NAMES and not keep_geocode or low in _IGNORED_NAMES:
            out.dropped.append(name)
        elif low in _STATUS_NAMES and i_status is None:
            i_status = i
        elif low in _COMMENT_NAMES and i_comment is None:
            i_comment = i
        elif low in _UNIT_NAMES:
            columns.append(DimColumn(name, "units", i))
        elif low in _SERIES_NAMES:
            columns.append(DimColumn(name, "series", i))
        elif low in _MULTIPLIER_NAMES:
            columns.append(DimColumn(name, "multiplier", i))
        else:
            # A column without a name gets one (a dimension title is never empty). It is data, the
            # same in every language: not a message.
            columns.append(DimColumn(name or f"Column {i + 1}", "dimension", i))

    dim_idx = [c.index for c in columns]
    if not dim_idx:
        get_key: Callable[[list[str]], tuple[str, ...]] = lambda row: ()
    elif len(dim_idx) == 1:
        only = dim_idx[0]
        get_key = lambda row: (row[only],)
    else:
        get_key = itemgetter(*dim_idx)
    months_for_dash: bool | None = None
    period_cache: dict[str, PeriodText] = {}
    status_cache: dict[str, tuple[str, str]] = {}
    seen: dict[tuple[tuple[str, ...], str], int] = {}
    raw_keys: list[tuple[str, ...]] = []
    lines: list[int] = []
    pts: list[PeriodText] = []
    periods, values, flags, notes = out.periods, out.values, out.flags, out.notes
    kinds: dict[str, int] = {}
    rewritten = 0
    read = 0
    skip = out.skip
    isfinite = math.isfinite

    for r in range(start, len(rows)):
        row = rows[r]
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue  # a blank line is not a row
            read += 1
            skip("bad_row")
            add(
                rel,
                _("row has {fields} fields, the header has {width}").format(fields=len(row), width=width),
                _("check for a missing or extra comma, or quote fields that contain commas"),
                line=line_of[r],
            )
            continue
        raw_value = row[i_value]
        if not raw_value or raw_value.isspace():
            if any(c.strip() for c in row):
                read += 1
                skip("blank_value")
            continue
        read += 1
        year_text = row[i_year]
        pt = period_cache.get(year_text)
        if pt is None:
            if months_for_dash is None and _DASH_TWO.match(year_text.strip()):
                months_for_dash = dash_means_month(
                    {x[i_year].strip() for x in rows[start:] if len(x) == width}
                )
            pt = period_cache[year_text] = parse_period(year_text, bool(months_for_dash))
        period = pt.period
        if period is None:
            skip("bad_period")
            add(
                rel,
                _("Year {text!r} is not a year, quarter, month, date or range of years").format(text=year_text.strip()),
                _("write the year as 2021, a range as 2021/22, a quarter as 2021 Q1"),
                line=line_of[r],
                column=i_year + 1,
                field=names[i_year],
            )
            continue
        try:
            value = float(raw_value)
            # float() takes "1_000" and other scripts' digits too; a value is written in ASCII
            if not isfinite(value) or "_" in raw_value or not raw_value.isascii():
                raise ValueError
        except ValueError:
            skip("bad_value")
            add(
                rel,
                _("Value {text!r} is not a number").format(text=raw_value.strip()),
                _("write a number with '.' as decimal point, or leave the cell blank for missing data"),
                line=line_of[r],
                column=i_value + 1,
                field=names[i_value],
            )
            continue
        if abs(value) >= MAX_ABS_NUMBER:  # the model's bound: every output can format it
            skip("bad_value")
            add(
                rel,
                _(MESSAGES["number_too_large"]).format(input=raw_value.strip()),
                _(HINTS["number_too_large"]),
                line=line_of[r],
                column=i_value + 1,
                field=names[i_value],
            )
            continue
        key = get_key(row)
        dup = seen.get((key, period))
        if dup is not None:
            skip("duplicate")
            _duplicate(add, rel, period, dup, line_of[r], year_text, pt, i_year, names[i_year])
            continue
        seen[(key, period)] = line_of[r]
        raw_keys.append(key)
        lines.append(line_of[r])
        pts.append(pt)
        periods.append(period)
        values.append(value)
        note = ""
        if pt.keep_text:
            note = f"Year: {year_text.strip()}"
            rewritten += 1
        row_flags = ""
        if i_status is not None:
            st = row[i_status]
            fl = status_cache.get(st)
            if fl is None:
                fl = status_cache[st] = _status(st.strip())
            row_flags = fl[0]
            if fl[1]:
                note = f"{note}; {fl[1]}" if note else fl[1]
        if i_comment is not None and (comment := row[i_comment].strip()):
            note = f"{note}; {comment}" if note else comment
        if "\n" in note or "\r" in note:
            note = " ".join(note.split())
        flags.append(row_flags)
        notes.append(note)
        kinds[pt.kind] = kinds.get(pt.kind, 0) + 1

    # Labels with spaces around them are the same labels: strip them, and drop the rows that
    # only now turn out to repeat a series and period.
    distinct = dict.fromkeys(raw_keys)
    stripped = {k: tuple([x.strip() for x in k]) for k in distinct}
    if any(k != v for k, v in stripped.items()):
        again: dict[tuple[tuple[str, ...], str], int] = {}
        keep_rows = []
        for i, key in enumerate(raw_keys):
            sk = (stripped[key], periods[i])
            dup = again.get(sk)
            if dup is not None:
                skip("duplicate")
                _duplicate(add, rel, periods[i], dup, lines[i], "", None, i_year, names[i_year])
                kinds[pts[i].kind] -= 1
                rewritten -= pts[i].keep_text
                continue
            again[sk] = lines[i]
            keep_rows.append(i)
        if len(keep_rows) != len(raw_keys):
            for name in ("periods", "values", "flags", "notes"):
                col = getattr(out, name)
                col[:] = [col[i] for i in keep_rows]
            raw_keys = [raw_keys[i] for i in keep_rows]
    raw_keys = [stripped[k] for k in raw_keys]

    out.rows_read = read
    out.period_kinds = kinds
    out.periods_rewritten = rewritten

    # Dimensions: the values each column holds, first seen first (in the order of the data).
    labels: list[dict[str, None]] = [{} for _ in columns]
    for key in dict.fromkeys(raw_keys):
        for j, label in enumerate(key):
            if label:
                labels[j].setdefault(label)
    keep: list[int] = []
    for j, col in enumerate(columns):
        if not labels[j]:
            continue  # always blank: every row is the total over it
        if col.role == "multiplier" and len(labels[j]) == 1:
            multiplier = next(iter(labels[j]))
            if multiplier.lower() not in _TRIVIAL_MULTIPLIERS:
                out.multiplier = multiplier
            continue
        if col.role == "multiplier" and all(x.lower() in _TRIVIAL_MULTIPLIERS for x in labels[j]):
            continue  # "Units" and "Unit" say the same: no multiplier
        keep.append(j)
    for j, col in enumerate(columns):
        if col.role == "units":
            for label in labels[j]:
                if label not in out.unit_texts:
                    out.unit_texts.append(label)
    ids = assign_codes([columns[j].name for j in keep], 80, reserved=RESERVED_COLUMNS, empty="dimension")
    key_cols: list[tuple[int, dict[str, str]]] = []
    for j in keep:
        col = columns[j]
        dim_id = ids[col.name]
        codes = assign_codes(labels[j], 40)
        out.codes[dim_id] = codes
        out.roles[dim_id] = col.role
        out.titles[col.name.lower()] = dim_id
        out.dimensions.append(
            Dimension(
                id=dim_id,
                title=col.name,
                values=[DimensionValue(code=codes[label], label=label) for label in labels[j]],
                role=_ROLES[col.role],
            )
        )
        key_cols.append((j, codes))
    key_map: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in dict.fromkeys(raw_keys):
        key_map[key] = tuple([codes[key[j]] if key[j] else "" for j, codes in key_cols])
    out.keys = [key_map[k] for k in raw_keys]
    return out
