"""The open-data files of one indicator: `data/<id>.csv` and `indicators/<id>.json`.

Everything here works on the indicator's *published* observations only: `published_table` drops
suppressed rows before anything else sees them, so no value, note, count or row of a suppressed
observation can reach a file, a chart, a progress figure or even the build cache's hashes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from veikart.core.dataset import FrameworkData, ObservationTable, format_number
from veikart.core.model import Framework, Indicator, Provenance
from veikart.core.publication import published_table

__all__ = [
    "FORMAT_VERSION",
    "ILLUSTRATIVE_NOTICE",
    "Assessed",
    "Built",
    "Job",
    "assess_indicator",
    "build_indicator",
    "csv_path",
    "dumps",
    "indicator_digest",
    "json_path",
    "published_table",
]

#: Version of the layout of the open-data files (raised when a file changes shape).
FORMAT_VERSION = 1
#: The notice on every illustrative row and file, as design.md words it (and in English).
ILLUSTRATIVE_NOTICE = {
    "nb": "Illustrasjonsdata - ikke offisielle tall",
    "en": "Illustrative data - not official figures",
}
_FIXED_COLUMNS = (
    "period",
    "value",
    "unit",
    "unit_label",
    "n",
    "flags",
    "provenance",
    "source",
    "source_name",
    "note",
)


def csv_path(ind_id: str) -> str:
    return f"data/{ind_id}.csv"


def json_path(ind_id: str) -> str:
    return f"indicators/{ind_id}.json"


def dumps(obj: Any, *, indent: int | None = None) -> bytes:
    """Canonical JSON: sorted keys, UTF-8, numbers in their shortest exact form, a final
    newline; `indent` None (compact) or 2. Written by orjson, about ten times as fast as the
    standard library (the JSON of the corpus's largest indicator: 5 ms instead of 55). orjson
    would write a non-finite number as null; the model admits none. NumPy numbers are written
    as the Python numbers they equal."""
    if indent not in (None, 2):
        raise ValueError("indent must be None or 2")
    option = orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(obj, option=option, default=_plain_number) + b"\n"


def _plain_number(obj: Any) -> Any:
    """What orjson leaves to us: NumPy's numbers and arrays and other numeric types, as the
    Python numbers they equal (a float32's 0.1 is 0.10000000149011612)."""
    import numbers

    if isinstance(obj, bool | numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):  # a NumPy array
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def _table_repr(table: ObservationTable | None) -> bytes:
    if table is None:
        return b"-"
    cols = (
        table.dimensions,
        table.keys,
        table.periods,
        table.values,
        table.n,
        table.flags,
        table.provenance,
        table.source,
        table.note,
    )
    return repr(cols).encode("utf-8")


def framework_context(fw: Framework, ind: Indicator) -> dict[str, Any]:
    """What of the framework an indicator's files depend on: the years progress runs between
    (assessment, projection horizon) and its goal and sub-goals as written in its JSON."""
    goal = fw.goal(ind.goal)
    subgoals = [s for g in fw.goals for s in g.subgoals if s.code in ind.subgoals]
    return {
        "framework": fw.id,
        "base_year": fw.base_year,
        "horizon_year": fw.horizon_year,
        "goal": goal.model_dump(mode="json", exclude={"subgoals"}) if goal else None,
        "subgoals": [s.model_dump(mode="json") for s in subgoals],
    }


def indicator_digest(
    build_key: str, fw: Framework, ind: Indicator, table: ObservationTable | None, vintage: str | None
) -> str:
    """The hash of everything an indicator's files are made from (published rows only)."""
    h = hashlib.sha256()
    h.update(build_key.encode())
    h.update(b"\0")
    h.update(json.dumps(framework_context(fw, ind), sort_keys=True, ensure_ascii=False).encode())
    h.update(b"\0")
    h.update(ind.model_dump_json().encode())
    h.update(b"\0")
    h.update((vintage or "-").encode())
    h.update(b"\0")
    h.update(_table_repr(table))
    return h.hexdigest()


# --- the tidy table ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    dims: tuple[str, ...]
    code_cols: tuple[str, ...]
    label_cols: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        out: list[str] = []
        for c, lab in zip(self.code_cols, self.label_cols, strict=True):
            out += [c, lab]
        return out + list(_FIXED_COLUMNS)


def _columns(dims: tuple[str, ...]) -> _Columns:
    """`<dimension>` (code) and `<dimension>_label` per dimension; a dimension whose columns
    would clash with another column is written as `dimension_<id>`."""
    taken = set(_FIXED_COLUMNS)
    codes, labels = [], []
    for d in dims:
        base = d
        if base in taken or f"{base}_label" in taken or f"{base}_label" in dims:
            base = f"dimension_{d}"
        codes.append(base)
        labels.append(f"{base}_label")
        taken |= {base, f"{base}_label"}
    return _Columns(dims, tuple(codes), tuple(labels))


def _label_maps(ind: Indicator, dims: tuple[str, ...]) -> list[dict[str, str]]:
    declared = {d.id: {v.code: (v.label or v.code) for v in d.values} for d in ind.dimensions}
    return [declared.get(d, {}) for d in dims]


def _source_names(ind: Indicator) -> dict[str, str]:
    out = {}
    for s in ind.sources:
        out[s.id] = f"{s.organisation}: {s.name}" if s.name and s.name != s.organisation else s.organisation
    return out


def _note(provenance: str, note: str) -> str:
    """Illustrative rows always carry the notice; a note that only repeats it is not doubled."""
    if provenance != Provenance.ILLUSTRATIVE.value:
        return note
    notice = ILLUSTRATIVE_NOTICE["nb"]
    if not note or note.casefold() in notice.casefold():
        return notice
    return note if notice.casefold() in note.casefold() else f"{notice}; {note}"


def _table_columns(ind: Indicator, table: ObservationTable | None) -> tuple[_Columns, dict[str, list[Any]]]:
    """The tidy table, column by column (in the order of `_Columns.names`)."""
    dims = table.dimensions if table is not None else tuple(d.id for d in ind.dimensions)
    cols = _columns(dims)
    names = cols.names
    if table is None:
        return cols, {n: [] for n in names}
    n = len(table)
    data: dict[str, list[Any]] = {}
    for j, (labels, code_col, label_col) in enumerate(
        zip(_label_maps(ind, dims), cols.code_cols, cols.label_cols, strict=True)
    ):
        codes = [k[j] for k in table.keys]
        data[code_col] = codes
        data[label_col] = [labels.get(c, c) if c else "" for c in codes]
    sources = _source_names(ind)
    data["period"] = list(table.periods)
    data["value"] = list(table.values)
    data["unit"] = [ind.unit.value] * n
    data["unit_label"] = [ind.unit_label or ""] * n
    data["n"] = list(table.n)
    data["flags"] = list(table.flags)
    data["provenance"] = list(table.provenance)
    data["source"] = list(table.source)
    data["source_name"] = [sources.get(s, "") if s else "" for s in table.source]
    illustrative = Provenance.ILLUSTRATIVE.value
    data["note"] = [
        _note(p, note) if p == illustrative else note
        for p, note in zip(table.provenance, table.note, strict=True)
    ]
    return cols, {name: data[name] for name in names}


def render_csv(columns: dict[str, list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(columns))
    cols = dict(columns)
    cols["value"] = [format_number(v) for v in cols["value"]]
    cols["n"] = ["" if x is None else str(x) for x in cols["n"]]
    w.writerows(zip(*cols.values(), strict=True))
    return buf.getvalue().encode("utf-8")


_NUMERIC = ("value", "n")


def _observations_json(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Column name -> values (as sdg-build's JSON data files); blank text is null."""
    return {
        name: values if name in _NUMERIC else [v or None for v in values] for name, values in columns.items()
    }


# --- one indicator -------------------------------------------------------------------------


@dataclass
class Job:
    """Everything one indicator's files are made from (its table already published-only)."""

    indicator: Indicator
    table: ObservationTable | None
    framework: Framework
    vintage: str | None  # ISO timestamp of the data the files show, if known
    digest: str
    generator: dict[str, Any]
    level: int = 1


@dataclass
class Built:
    id: str
    digest: str
    entry: dict[str, Any]  # the indicator's line in index.json
    files: dict[str, bytes] = field(default_factory=dict)


def _vintage_date(vintage: str | None) -> date | None:
    if not vintage:
        return None
    return datetime.fromisoformat(vintage).date()


def latest_record(table: ObservationTable | None) -> dict[str, Any] | None:
    """The latest value by the one rule of views.vocabulary."""
    from veikart.views.vocabulary import latest_value

    latest = latest_value(table)
    if latest is None:
        return None
    return {"value": latest.value, "period": latest.period, "series": latest.scope}


@dataclass
class Assessed:
    """What an indicator's files take from its progress (`assess_indicator`)."""

    status: str
    latest: dict[str, Any] | None
    record: dict[str, Any]  # views.records.indicator_record
    chart: Any  # views.chartspec.ChartSpec | None


def assess_indicator(job: Job) -> Assessed:
    """Assess the indicator and draw its chart: the part of its files that needs numpy and
    Altair (the export's builder process makes it while another writes the tables)."""
    from veikart.core.assess import assess_framework
    from veikart.views.charts import chart_for
    from veikart.views.records import indicator_record

    ind, table = job.indicator, job.table
    sub = FrameworkData(job.framework, {ind.id: ind}, {ind.id: table} if table is not None else {}, {})
    result = assess_framework(sub)[0]
    chart = chart_for(result, sub, f"chart-{ind.id}", vintage=_vintage_date(job.vintage))
    illustrative = table is not None and Provenance.ILLUSTRATIVE.value in table.provenance
    return Assessed(result.status.value, latest_record(table), indicator_record(result, illustrative=illustrative), chart)


def build_indicator(job: Job, assessed: Callable[[], Assessed] | None = None) -> Built:
    """Assess the indicator, draw its chart and render its two files. `assessed` gives the
    progress and chart when they are made elsewhere (`assess_indicator`); it is asked for once
    the tables are written."""
    ind, table, fw = job.indicator, job.table, job.framework
    _cols, columns = _table_columns(ind, table)
    kinds = sorted(set(table.provenance)) if table is not None else []
    illustrative = Provenance.ILLUSTRATIVE.value in kinds
    goal = fw.goal(ind.goal)
    files = {"csv": csv_path(ind.id), "json": json_path(ind.id)}
    csv_bytes = render_csv(columns)
    progress = assessed() if assessed is not None else assess_indicator(job)
    record, chart = progress.record, progress.chart
    doc = {
        "format": FORMAT_VERSION,
        "generator": job.generator,
        "id": ind.id,
        "metadata": ind.model_dump(mode="json"),
        "goal": {"id": ind.goal, "title": goal.title if goal else None},
        "subgoals": [
            s.model_dump(mode="json") for g in fw.goals for s in g.subgoals if s.code in ind.subgoals
        ],
        "observations": _observations_json(columns),
        "observation_count": len(columns["period"]),
        "progress": record,
        "chart": None
        if chart is None
        else {
            "id": chart.id,
            "title": chart.title,
            "alt": chart.alt,
            "provenance": chart.provenance,
            "illustrative": chart.illustrative,
            "width": chart.width,
            "height": chart.height,
            "spec": chart.spec,
        },
        "provenance": {
            "kinds": kinds,
            "illustrative": illustrative,
            "notice": dict(ILLUSTRATIVE_NOTICE) if illustrative else None,
            "vintage": job.vintage,
        },
        "files": files,
    }
    entry = {
        "id": ind.id,
        "title": ind.title,
        "goal": ind.goal,
        "subgoals": list(ind.subgoals),
        "kind": ind.kind.value,
        "unit": ind.unit.value,
        "unit_label": ind.unit_label,
        "status": progress.status,
        "score": record["score"],
        "latest": progress.latest,
        "observations": len(columns["period"]),
        "provenance": kinds,
        "illustrative": illustrative,
        "vintage": job.vintage,
        "files": files,
    }
    return Built(
        ind.id,
        job.digest,
        entry,
        {files["csv"]: csv_bytes, files["json"]: dumps(doc)},
    )
