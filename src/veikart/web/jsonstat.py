"""An indicator's public observations as a JSON-stat 2.0 dataset (the format Statistics Norway
publishes): one dimension per disaggregation plus the period (role "time"), values in row-major
order of the dimensions, written as a sparse object (index -> value) since most combinations of
a wide breakdown have no figure. The total over a dimension is its category `_T`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from veikart.core.dataset import ObservationTable
from veikart.core.model import Indicator
from veikart.core.periods import Period
from veikart.i18n import _

__all__ = ["TOTAL", "jsonstat_dataset"]

TOTAL = "_T"


def _tr(obj: Any, name: str, lang: str) -> str:
    t = (getattr(obj, "translations", None) or {}).get(lang, {})
    return t.get(name) or getattr(obj, name, None) or ""


def jsonstat_dataset(
    ind: Indicator, table: ObservationTable | None, *, lang: str, vintage: datetime | None, notice: str | None
) -> dict[str, Any]:
    dims = table.dimensions if table is not None else tuple(d.id for d in ind.dimensions)
    declared = {d.id: d for d in ind.dimensions}
    codes: list[list[str]] = []
    for j, dim_id in enumerate(dims):
        seen = {k[j] for k in table.keys} if table is not None else set()
        order = [v.code for v in declared[dim_id].values] if dim_id in declared else []
        found = [TOTAL] if "" in seen else []
        found += [c for c in order if c in seen] + sorted(c for c in seen if c and c not in order)
        codes.append(found)
    periods = sorted({p for p in table.periods}, key=Period.parse) if table is not None else []
    ids = [*dims, "period"]
    sizes = [len(c) for c in codes] + [len(periods)]
    dimension: dict[str, Any] = {}
    for dim_id, cs in zip(dims, codes, strict=True):
        d = declared.get(dim_id)
        labels = {v.code: v.label or v.code for v in d.values} if d else {}
        dimension[dim_id] = {
            "label": _tr(d, "title", lang) if d else dim_id,
            "category": {
                "index": {c: i for i, c in enumerate(cs)},
                "label": {c: (_("Total") if c == TOTAL else labels.get(c, c)) for c in cs},
            },
        }
    dimension["period"] = {
        "label": _("Period"),
        "category": {"index": {p: i for i, p in enumerate(periods)}, "label": {p: p for p in periods}},
    }
    value: dict[str, float] = {}
    status: dict[str, str] = {}
    if table is not None and periods:
        index = [{c: i for i, c in enumerate(cs)} for cs in codes]
        p_index = {p: i for i, p in enumerate(periods)}
        for r in range(len(table)):
            flat = 0
            for j, code in enumerate(table.keys[r]):
                flat = flat * sizes[j] + index[j][code or TOTAL]
            flat = flat * sizes[-1] + p_index[table.periods[r]]
            v = table.values[r]
            if v is not None:
                value[str(flat)] = v
            if table.flags[r]:
                status[str(flat)] = table.flags[r]
    sources = ", ".join(s.organisation + (f": {s.name}" if s.name and s.name != s.organisation else "") for s in ind.sources)
    out: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": _tr(ind, "title", lang),
        "id": ids,
        "size": sizes,
        "role": {"time": ["period"]},
        "dimension": dimension,
        "value": value,
        "extension": {"indicator": ind.id, "unit": ind.unit.value, "unit_label": ind.unit_label},
    }
    if status:
        out["status"] = status
    if sources:
        out["source"] = sources
    if vintage is not None:
        out["updated"] = vintage.replace(microsecond=0).isoformat() + ("" if vintage.tzinfo else "Z")
    if notice:
        out["note"] = [notice]
    return out
