"""Write a framework package in canonical form (see docs/package-format.md)."""

from __future__ import annotations

import csv
import io
import os
import shutil
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from veikart.core.dataset import FrameworkData, ObservationTable, format_number
from veikart.package.problems import TargetNotEmpty
from veikart.package.reader import CSV_FIXED, DATA_DIR, FRAMEWORK_FILE, INDICATOR_DIR, PERIOD_DIR
from veikart.package.tempdirs import OLD, TMP, remove_leftovers, unique_sibling

__all__ = ["TargetNotEmpty", "dump_model", "render_package", "swap_in", "write_package"]


def _canonical(value: Any) -> Any:
    """Plain YAML values: enums as their values, sets as sorted lists, integral floats as ints,
    dates as YAML dates, multi-line text as literal blocks, recursively."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)  # '|' or '|-' keeps the text exactly
    return value


def dump_model(model: BaseModel) -> str:
    """One model as canonical YAML text."""
    data = _canonical(model.model_dump(mode="python", exclude_defaults=True))
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def render_csv(table: ObservationTable) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(list(table.dimensions) + list(CSV_FIXED))
    for i in range(len(table)):
        key, period, value, n, flags, prov, source, note = table.row(i)
        out.writerow(
            [
                *key,
                period,
                "" if value is None else format_number(value),
                "" if n is None else str(n),
                flags,
                prov,
                source,
                note,
            ]
        )
    return buf.getvalue()


def render_package(data: FrameworkData) -> dict[str, str]:
    """Every file of the package: relative path -> text."""
    files = {FRAMEWORK_FILE: dump_model(data.framework)}
    for ind_id, ind in data.indicators.items():
        files[f"{INDICATOR_DIR}/{ind_id}.yaml"] = dump_model(ind)
    for ind_id, table in data.observations.items():
        if len(table):
            files[f"{DATA_DIR}/{ind_id}.csv"] = render_csv(table)
    for per_id, per in data.periods.items():
        files[f"{PERIOD_DIR}/{per_id}.yaml"] = dump_model(per)
    return files


MANAGED = (FRAMEWORK_FILE, INDICATOR_DIR, DATA_DIR, PERIOD_DIR)


def write_package(data: FrameworkData, target: Path) -> list[str]:
    """Write the package to `target`: first into a temporary sibling folder, then renamed in, so
    a failure never leaves a half-written or half-replaced package (see `swap_in`). `target` must be missing, empty, or a package
    (whose framework.yaml, indicators/, data/ and periods/ are replaced; other files stay).
    Returns the relative paths written."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / FRAMEWORK_FILE).is_file())):
        raise TargetNotEmpty(str(target))
    files = render_package(data)
    swap_in(target, files, MANAGED)
    return sorted(files)


def swap_in(target: Path, files: dict[str, str], managed: tuple[str, ...]) -> None:
    """Write `files` (relative path -> text) into a temporary sibling of `target`, then replace
    the `managed` top-level entries of `target` with the new ones by renames (each old entry is
    renamed aside, the new one renamed in; on a failure the renames done are undone); other
    entries stay. A failure at any point leaves `target` as it was and removes the temporary
    folder. Old entries are removed last: one that cannot be removed stays under a hidden name
    that the next export removes (so do the temporary folders of a killed export)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, f".{target.name}.{TMP}-")
    remove_leftovers(target, ".")
    tmp = unique_sibling(target.parent, target.name, TMP)
    tmp.mkdir()
    aside: list[tuple[Path, Path]] = []  # (entry, its old version's hidden name)
    placed: list[tuple[Path, Path]] = []  # (new entry in tmp, its place in target)
    try:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        target.mkdir(exist_ok=True)
        try:
            for name in managed:
                old = target / name
                if old.exists() or old.is_symlink():
                    backup = unique_sibling(target, name, OLD)
                    os.rename(old, backup)
                    aside.append((old, backup))
                if (tmp / name).exists():
                    os.rename(tmp / name, old)
                    placed.append((tmp / name, old))
        except BaseException:
            for new, place in reversed(placed):
                os.rename(place, new)
            for old, backup in reversed(aside):
                os.rename(backup, old)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for _old, backup in aside:
        if backup.is_dir() and not backup.is_symlink():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            backup.unlink(missing_ok=True)
