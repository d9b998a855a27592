"""Import an Open SDG data repository (data/*.csv + meta/*.md) as a framework.

    data, report = import_opensdg(Path("sdg-data"))
    print("\\n".join(report.summary_lines()))

Nothing raises on messy input: every problem becomes a `Problem` (file relative to the
repository root, line, column, field, message, fix) in the report, and what can be imported is.
The rules and the reasons for them are in docs/opensdg.md.
"""

from __future__ import annotations

import gc
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    UNIT_BOUNDS,
    Ambition,
    AmbitionState,
    AssessedSeries,
    Direction,
    Framework,
    Frequency,
    Goal,
    Indicator,
    NaturalLimit,
    Source,
    Subgoal,
    Unit,
)
from veikart.i18n import _, fmt_number
from veikart.opensdg.data import DataFile, read_data_file
from veikart.opensdg.meta import Meta, load_yaml_text, read_meta_file
from veikart.opensdg.report import MAX_PROBLEMS_PER_FILE, OpenSdgReport
from veikart.opensdg.text import (
    SDG_GOAL_TITLES,
    clean_text,
    is_translation_key,
    map_unit,
    natural_key,
    paragraphs,
    slugify,
    text_of,
)
from veikart.package.problems import Problem

__all__ = ["REPOSITORY_SOURCE_ID", "import_opensdg"]

FRAMEWORK_TITLE = "Sustainable Development Goals"
BASE_YEAR = 2015  # the SDGs run 2015-2030; Open SDG's default base year
HORIZON_YEAR = 2030  # Open SDG's default target year
DEFAULT_OWNER = "Open SDG data repository"
#: The source observations name when the metadata names none (see docs/opensdg.md).
REPOSITORY_SOURCE_ID = "data-repository"

_URL = re.compile(r"^https?://\S+$")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")
_SOURCE_KEY = re.compile(r"^source_[a-z_]+?_(\d+)$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Keys of translations/<lang>/global_goals.yml and global_targets.yml: `1-title`, `1-short`, `1-a-title`.
_TEXT_KEY = re.compile(r"^(.+)-(title|short)$")

_FREQUENCIES = {
    "annual": Frequency.ANNUAL,
    "annually": Frequency.ANNUAL,
    "yearly": Frequency.ANNUAL,
    "year": Frequency.ANNUAL,
    "quarterly": Frequency.QUARTERLY,
    "monthly": Frequency.MONTHLY,
    "continuous": Frequency.CONTINUOUS,
    "continuously": Frequency.CONTINUOUS,
    "daily": Frequency.CONTINUOUS,
    "weekly": Frequency.CONTINUOUS,
    "real-time": Frequency.CONTINUOUS,
    "real time": Frequency.CONTINUOUS,
}
_DIRECTIONS = {
    "positive": Direction.HIGHER_IS_BETTER,
    "up": Direction.HIGHER_IS_BETTER,
    "increase": Direction.HIGHER_IS_BETTER,
    "higher": Direction.HIGHER_IS_BETTER,
    "higher_is_better": Direction.HIGHER_IS_BETTER,
    "negative": Direction.LOWER_IS_BETTER,
    "down": Direction.LOWER_IS_BETTER,
    "decrease": Direction.LOWER_IS_BETTER,
    "lower": Direction.LOWER_IS_BETTER,
    "lower_is_better": Direction.LOWER_IS_BETTER,
}
#: Open SDG's reporting statuses as a status note (complete says nothing worth a note).
_REPORTING_STATUS_NOTES = {
    "complete": None,
    "inprogress": "In progress",
    "notstarted": "Exploring data sources",
    "notapplicable": "Not applicable",
}
_NOT_STATED = {"", "n/a", "na", "none", "not applicable", "-"}
#: The keys of a block of progress_calculation_options that sdg-build reads (ProgressMeasure).
_OPTION_KEYS = {"direction", "target", "target_year", "base_year", "limit", "unit", "series", "disaggregation", "group"}
#: Keys sdg-build reads that veikart does not apply (reported as such).
_IGNORED_OPTION_KEYS = {"progress_thresholds"}


@dataclass
class _Block:
    """One block of progress_calculation_options, read and checked."""

    where: str  # field path for problems: progress_calculation_options[1]
    path: tuple[str | int, ...]  # node path for Meta.line_of
    direction: Direction | None
    base_year: int | None  # None: the framework's (2015, Open SDG's default)
    limit: float | None
    target: float | None
    target_year: int
    scope: dict[str, str]
    selects: bool  # names a unit, series or disaggregation


class _Problems:
    """Collects problems into the report, at most MAX_PROBLEMS_PER_FILE listed per file."""

    def __init__(self, report: OpenSdgReport):
        self.report = report
        self.per_file: Counter[str] = Counter()

    def __call__(
        self,
        file: str,
        message: str,
        hint: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.per_file[file] += 1
        if self.per_file[file] <= MAX_PROBLEMS_PER_FILE:
            self.report.problems.append(Problem(file, message, hint, line, column, field))

    def finish(self) -> None:
        for file, count in sorted(self.per_file.items()):
            if count > MAX_PROBLEMS_PER_FILE:
                more = count - MAX_PROBLEMS_PER_FILE
                self.report.problems.append(
                    Problem(
                        file,
                        _("{count} more problem(s) in this file are not listed").format(count=fmt_number(more)),
                        _("the report's counts include them all"),
                        hidden=more,
                    )
                )
        self.report.problems.sort(key=Problem.sort_key)


def _one_line(value: object) -> str:
    return " ".join(clean_text(value).split())


def _first_text(meta: dict[str, Any], *keys: str) -> str:
    """The first of `keys` holding text that is not a translation key."""
    for key in keys:
        text = _one_line(meta.get(key))
        if text and not is_translation_key(text) and text.lower() not in _NOT_STATED:
            return text
    return ""


def _is_true(value: object) -> bool:
    return value is True or text_of(value).lower() in ("true", "yes")


def _is_false(value: object) -> bool:
    return value is False or text_of(value).lower() in ("false", "no", "0")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(str(value).strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _year(value: object) -> int | None:
    x = _number(value)
    return int(x) if x is not None and x == int(x) and 1900 <= x <= 2200 else None


class _Importer:
    def __init__(
        self,
        root: Path,
        framework_id: str | None,
        owner: str | None,
        keep_geocode: bool,
        default_direction: Direction,
    ):
        self.root = root
        self.report = OpenSdgReport(root=str(root))
        self.add = _Problems(self.report)
        self.keep_geocode = keep_geocode
        self.default_direction = Direction(default_direction)
        self.config: dict[str, Any] = {}
        self.framework_id = slugify(framework_id or root.resolve().name) or "opensdg"
        self.report.framework_id = self.framework_id
        self.owner_arg = owner
        # goal id -> target code -> title ('' until a title is known)
        self.targets: dict[str, dict[str, str]] = {}
        # (language, group) -> key -> text, from translations/<lang>/<group>.yml
        self.texts: dict[tuple[str, str], dict[str, str]] = {}

    # --- files ---------------------------------------------------------------------------

    def read_config(self) -> None:
        path = self.root / "config_data.yml"
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                self.add("config_data.yml", _("cannot read the file: {error}").format(error=exc), None)
                return
            data = load_yaml_text(text, "config_data.yml", self.add)
            if isinstance(data, dict):
                self.config = data

    def read_translations(self) -> None:
        """Goal and target titles from translations/<lang>/global_goals.yml and global_targets.yml:
        Open SDG's way of naming the goals and targets of a framework (sdg-translations names
        the SDGs')."""
        for lang in self.languages():
            for group in ("global_goals", "global_targets"):
                rel = f"translations/{lang}/{group}.yml"
                path = self.root / rel
                if not path.is_file():
                    continue
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError) as exc:
                    self.add(rel, _("cannot read the file: {error}").format(error=exc), None)
                    continue
                data = load_yaml_text(text, rel, self.add)
                if isinstance(data, dict):
                    self.texts[(lang, group)] = {
                        str(k): t for k, v in data.items() if (t := _one_line(v)) and not is_translation_key(t)
                    }

    def owner(self) -> str:
        if self.owner_arg:
            return self.owner_arg
        for key in ("owner", "organisation", "organization", "docs_branding"):
            text = _one_line(self.config.get(key))
            if text and not is_translation_key(text):
                return text
        return DEFAULT_OWNER

    def indicator_url(self, ind_id: str) -> str | None:
        template = text_of(self.config.get("docs_indicator_url"))
        url = template.replace("[id]", ind_id) if "[id]" in template else ""
        return url if _URL.match(url) else None

    def framework_url(self) -> str | None:
        template = text_of(self.config.get("docs_indicator_url"))
        url = template.split("[id]", 1)[0] if "[id]" in template else ""
        return url if _URL.match(url) else None

    def languages(self) -> list[str]:
        langs = self.config.get("languages")
        found = (
            [x for x in langs if isinstance(x, str) and re.fullmatch(r"[a-z]{2}", x)]
            if isinstance(langs, list)
            else []
        )
        return found or ["en"]

    def read_metas(self) -> dict[str, Meta]:
        metas: dict[str, Meta] = {}
        for folder in ("meta", "indicator-config"):
            directory = self.root / folder
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if not path.is_file() or path.name.startswith("."):
                    continue
                rel = f"{folder}/{path.name}"
                suffix = path.suffix.lower()
                if (folder == "meta" and suffix not in (".md", ".yml", ".yaml")) or (
                    folder == "indicator-config" and suffix not in (".yml", ".yaml")
                ):
                    self.report.ignored_files.append(rel)
                    self.add(rel, _("not an Open SDG metadata file (.md or .yml); not read"), None)
                    continue
                self.report.meta_files += 1
                meta = read_meta_file(path, rel, self.add)
                if path.stem in metas:
                    metas[path.stem].merge(meta)  # later files (indicator-config) override
                else:
                    metas[path.stem] = meta
        # Translated metadata: meta/<lang>/<id>.md for the other languages of config_data.yml
        # (as sdg-build reads them: the fields of the indicator in that language).
        for lang in self.languages()[1:]:
            directory = self.root / "meta" / lang
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if not path.is_file() or path.name.startswith(".") or path.suffix.lower() not in (".md", ".yml", ".yaml"):
                    continue
                rel = f"meta/{lang}/{path.name}"
                if path.stem not in metas:
                    self.report.ignored_files.append(rel)
                    self.add(
                        rel,
                        _("a translation of metadata that does not exist (no meta/{id}.md); not read").format(id=path.stem),
                        None,
                    )
                    continue
                self.report.meta_files += 1
                translated = read_meta_file(path, rel, self.add)
                metas[path.stem].data.setdefault(lang, {}).update(translated.data)
        return metas

    def list_data(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        directory = self.root / "data"
        if not directory.is_dir():
            self.add("data", _("the repository has no data folder"), _("Open SDG data files go in data/"))
            return found
        for path in sorted(directory.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            rel = f"data/{path.name}"
            if path.suffix.lower() != ".csv":
                self.report.ignored_files.append(rel)
                self.add(rel, _("not an Open SDG data file (.csv); not read"), None)
                continue
            stem = path.stem
            ind_id = stem.removeprefix("indicator_")
            if ind_id in found:
                self.add(
                    rel,
                    _("a second data file for indicator {id!r}; not read").format(id=ind_id),
                    _("keep one of {first} and {second}").format(first=found[ind_id].name, second=path.name),
                )
                continue
            found[ind_id] = path
            self.report.data_files += 1
        return found

    # --- one indicator ---------------------------------------------------------------------

    def number_of(self, ind_id: str, meta: dict[str, Any]) -> str:
        number = text_of(meta.get("indicator_number")) or text_of(meta.get("indicator"))
        if not number or is_translation_key(number):
            number = re.sub(r"^[^0-9]*", "", ind_id)
        return re.sub(r"[-_ ]+", ".", number).strip(".")

    def sources(self, meta: Meta) -> tuple[list[Source], list[str]]:
        d = meta.data
        items: list[tuple[str, dict[str, Any], str]] = []  # id, fields, field prefix for problems
        numbers = sorted({int(m[1]) for k in d if (m := _SOURCE_KEY.match(k))})
        for n in numbers:
            fields = {
                key: d.get(f"source_{key}_{n}")
                for key in ("active", "organisation", "title", "url", "url_text", "periodicity")
            }
            items.append((f"source-{n}", fields, f"source_{{}}_{n}"))
        listed = d.get("sources")
        if isinstance(listed, list):
            for i, item in enumerate(listed):
                if isinstance(item, dict):
                    sid = f"source-{i + 1}" if not numbers else f"sources-{i + 1}"
                    items.append((sid, item, f"sources[{i}].{{}}"))
        out: list[Source] = []
        periodicities: list[str] = []
        for sid, f, pattern in items:
            if "active" in f and _is_false(f.get("active")):
                continue
            org = _first_text(f, "organisation", "organization")
            title = _first_text(f, "title", "url_text")
            url = text_of(f.get("url"))
            if url and not _URL.match(url):
                key = pattern.format("url")
                file, line = meta.where(key)
                found = _URL_IN_TEXT.findall(url)
                if found:
                    self.add(
                        file,
                        _("{url!r} holds {count} web addresses; the source keeps the first").format(
                            url=url, count=len(found)
                        ),
                        _("give one address per source (source_url_1, source_url_2, ...)"),
                        line=line,
                        field=key,
                    )
                    url = found[0]
                else:
                    self.add(
                        file,
                        _("{url!r} is not a web address; the source was kept without it").format(url=url),
                        _("write a full http(s):// address"),
                        line=line,
                        field=key,
                    )
                    url = ""
            if not (org or title or url):
                continue
            if not org:
                org = title or re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", url)
            name = (
                title
                if title and title != org and title.lower() not in ("link to source", "link to data source")
                else None
            )
            out.append(Source(id=sid, organisation=org, name=name, url=url or None))
            if p := text_of(f.get("periodicity")):
                periodicities.append(p)
        return out, periodicities

    def frequency(self, meta: dict[str, Any], periodicities: list[str]) -> Frequency | None:
        texts = [
            text_of(meta.get(k)) for k in ("update_frequency", "periodicity", "frequency")
        ] + periodicities
        for text in texts:
            if f := _FREQUENCIES.get(text.strip().lower().rstrip(".")):
                return f
        return None

    def status_note(self, ind_id: str, meta: dict[str, Any]) -> str | None:
        notes = []
        status = text_of(meta.get("reporting_status"))
        if status:
            self.report.reporting_status[ind_id] = status
            note = _REPORTING_STATUS_NOTES.get(status.lower(), status)
            if note:
                notes.append(note)
        if _is_true(meta.get("data_non_statistical")):
            notes.append("Non-statistical indicator")
        return "; ".join(notes) or None

    def progress(
        self, ind_id: str, meta: Meta, data: DataFile | None, unit: Unit
    ) -> tuple[Direction, int | None, NaturalLimit | None, list[Ambition], list[AssessedSeries]]:
        """Direction, base year, natural limit, ambitions and assessed series from
        `auto_progress_calculation` and `progress_calculation_options` (docs/opensdg.md)."""
        d = meta.data
        if _is_true(d.get("auto_progress_calculation")):
            self.report.progress_requested.add(ind_id)
        elif status := text_of(d.get("progress_status")):
            self.report.progress_status[ind_id] = status
        key = "progress_calculation_options"
        raw = d.get(key)
        file, _line = meta.where(key)
        # (field for problems, path for line_of, the block)
        found: list[tuple[str, tuple[str | int, ...], Any]] = []
        if isinstance(raw, dict):  # one block instead of a list of them
            found = [(key, (key,), raw)]
        elif isinstance(raw, list):
            found = [(f"{key}[{i}]", (key, i), item) for i, item in enumerate(raw)]
        elif raw not in (None, "", []):
            self.add(
                file,
                _("progress_calculation_options is not a list of settings; ignored"),
                _("write a list: - direction: negative"),
                line=meta.line_of((key,)),
                field=key,
            )
        options: list[tuple[str, tuple[str | int, ...], Any]] = []  # blocks as written: checked below
        for where, path, item in found:
            if isinstance(item, dict) and isinstance(item.get("group"), list):
                for j, g in enumerate(item["group"]):
                    options.append((f"{where}.group[{j}]", (*path, "group", j), g))
            else:
                options.append((where, path, item))
        blocks: list[_Block] = []
        for where, path, opt in options:
            if not isinstance(opt, dict):
                self.add(
                    file,
                    _("an entry of progress_calculation_options is not a set of settings; ignored"),
                    _("write each entry as key: value lines (direction, target, ...)"),
                    line=meta.line_of(path),
                    field=where,
                )
                continue
            block = self.block(meta, file, where, path, {str(k): v for k, v in opt.items()}, data)
            if block is not None:
                blocks.append(block)

        first = next((b.direction for b in blocks if b.direction is not None), None)
        if first is None:
            # Open SDG's default direction is "negative" wherever it calculates progress.
            asked = ind_id in self.report.progress_requested or bool(options)
            first = Direction.LOWER_IS_BETTER if asked else self.default_direction
        direction = first

        values = data.values if data is not None else []
        lo_data = min(values) if values else None
        hi_data = max(values) if values else None
        natural: NaturalLimit | None = None
        base_year: int | None = None
        assessed: list[AssessedSeries] = []
        plain = len(blocks) == 1 and not blocks[0].selects
        if plain:
            b = blocks[0]
            base_year = b.base_year
            if b.limit is not None:
                upper = direction is Direction.HIGHER_IS_BETTER
                broken = hi_data is not None and hi_data > b.limit if upper else lo_data is not None and lo_data < b.limit
                if not broken:
                    natural = NaturalLimit(upper=b.limit) if upper else NaturalLimit(lower=b.limit)
                else:
                    # Values beyond it elsewhere (another unit, a region): the limit is still the
                    # headline's, for its C factor, but not a bound of every value.
                    assessed = [AssessedSeries(limit=b.limit)]
        else:
            for b in blocks:
                assessed.append(
                    AssessedSeries(
                        scope=b.scope,
                        direction=b.direction or Direction.LOWER_IS_BETTER,
                        base_year=b.base_year,
                        limit=b.limit,
                    )
                )
            if assessed and all(a.base_year == assessed[0].base_year for a in assessed):
                base_year = assessed[0].base_year  # the indicator's too (projections, texts)

        # veikart's export: targets of series the status is not made of (Open SDG does not read it)
        extra = d.get("veikart_targets")
        targets = list(blocks)
        if isinstance(extra, list):
            for i, item in enumerate(extra):
                if isinstance(item, dict):
                    block = self.block(
                        meta, file, f"veikart_targets[{i}]", ("veikart_targets", i),
                        {str(k): v for k, v in item.items()}, data,
                    )
                    if block is not None:
                        targets.append(block)

        unit_lo, unit_hi = UNIT_BOUNDS.get(unit, (None, None))
        lo = natural.lower if natural is not None and natural.lower is not None else unit_lo
        hi = natural.upper if natural is not None and natural.upper is not None else unit_hi
        ambitions: list[Ambition] = []
        seen: set[tuple[tuple[tuple[str, str], ...], date]] = set()
        for b in targets:
            if b.target is None:
                continue
            target_line = meta.line_of((*b.path, "target"))
            if (lo is not None and b.target < lo) or (hi is not None and b.target > hi):
                self.add(
                    file,
                    _("target {target} is outside what the unit allows ({unit}); no ambition was made").format(
                        target=fmt_number(b.target), unit=unit.value
                    ),
                    _("correct the target"),
                    line=target_line,
                    field=f"{b.where}.target",
                )
                continue
            deadline = date(b.target_year, 12, 31)
            skey = (tuple(sorted(b.scope.items())), deadline)
            if skey in seen:
                self.add(
                    file,
                    _("a second target for the same series and year; the first was kept"),
                    _("give each series one target"),
                    line=target_line,
                    field=f"{b.where}.target",
                )
                continue
            seen.add(skey)
            ambitions.append(
                Ambition(value=b.target, unit=unit, deadline=deadline, scope=b.scope, state=AmbitionState.ADOPTED)
            )
        return direction, base_year, natural, ambitions, assessed

    def block(
        self,
        meta: Meta,
        file: str,
        where: str,
        path: tuple[str | int, ...],
        opt: dict[str, Any],
        data: DataFile | None,
    ) -> _Block | None:
        """One block of progress_calculation_options, every key read and checked; None (with a
        problem) when the series it selects is not in the data."""

        def problem(message: str, hint: str, name: str) -> None:
            self.add(file, message, hint, line=meta.line_of((*path, name)), field=f"{where}.{name}")

        for name in opt:
            if name in _IGNORED_OPTION_KEYS:
                problem(
                    _("{key} is not applied: veikart uses methodology.md's thresholds; ignored").format(key=name),
                    _("remove it, or accept the standard thresholds"),
                    name,
                )
            elif name not in _OPTION_KEYS:
                problem(
                    _("unknown key {key!r} in progress_calculation_options; ignored").format(key=name),
                    _("use direction, target, target_year, base_year, limit, unit, series or disaggregation"),
                    name,
                )
        direction: Direction | None = None
        text = text_of(opt.get("direction")).lower()
        if text:
            direction = _DIRECTIONS.get(text)
            if direction is None:
                problem(
                    _("direction {text!r} is neither positive nor negative; ignored").format(text=text),
                    _("write positive or negative"),
                    "direction",
                )
        base_year: int | None = None
        if opt.get("base_year") not in (None, ""):
            base_year = _year(opt["base_year"])
            if base_year is None:
                problem(
                    _("base_year {value!r} is not a year; ignored").format(value=opt["base_year"]),
                    _("write a year such as 2015"),
                    "base_year",
                )
            elif base_year == BASE_YEAR:
                base_year = None  # the framework's own
        limit: float | None = None
        if opt.get("limit") not in (None, ""):
            limit = _number(opt.get("limit"))
            if limit is None:
                problem(
                    _("limit {value!r} is not a number; ignored").format(value=opt.get("limit")),
                    _("write a number"),
                    "limit",
                )
        target: float | None = None
        if opt.get("target") not in (None, ""):
            target = _number(opt.get("target"))
            if target is None:
                problem(
                    _("target {value!r} is not a number; no ambition was made").format(value=opt.get("target")),
                    _("write a number"),
                    "target",
                )
        target_year = HORIZON_YEAR
        if opt.get("target_year") not in (None, ""):
            y = _year(opt.get("target_year"))
            if y is None:
                problem(
                    _("target_year {value!r} is not a year; no ambition was made").format(
                        value=opt.get("target_year")
                    ),
                    _("write a year such as 2030"),
                    "target_year",
                )
                target = None
            else:
                target_year = y
        scope = self.scope(opt, where, file, meta.line_of(path), data)
        if scope is None:
            return None
        selects = any(opt.get(k) not in (None, "", [], {}) for k in ("unit", "series", "disaggregation"))
        return _Block(where, path, direction, base_year, limit, target, target_year, scope, selects)

    def scope(
        self, opt: dict[str, Any], where: str, file: str, line: int | None, data: DataFile | None
    ) -> dict[str, str] | None:
        """The dimension values an option selects, or None (with a problem) if the data lack one."""
        wanted: list[tuple[str, str, str, str]] = []  # role or column, label, field for the problem, kind
        if series := text_of(opt.get("series")):
            wanted.append(("series", series, f"{where}.series", "role"))
        if unit := text_of(opt.get("unit")):
            wanted.append(("units", unit, f"{where}.unit", "role"))
        disagg = opt.get("disaggregation")
        pairs: list[tuple[str, str]] = []
        if isinstance(disagg, dict):
            if "field" in disagg:
                pairs.append((text_of(disagg.get("field")), text_of(disagg.get("value"))))
            else:
                pairs += [(str(k), text_of(v)) for k, v in disagg.items()]
        elif isinstance(disagg, list):
            pairs += [
                (text_of(x.get("field")), text_of(x.get("value"))) for x in disagg if isinstance(x, dict)
            ]
        for i, (column, label) in enumerate(pairs):
            if column and label:
                wanted.append((column, label, f"{where}.disaggregation[{i}]", "column"))
        scope: dict[str, str] = {}
        for what, label, fld, kind in wanted:
            dim_id = None
            if data is not None:
                if kind == "role":
                    dim_id = next((d for d, r in data.roles.items() if r == what), None)
                else:
                    dim_id = data.titles.get(what.lower())
            codes = data.codes.get(dim_id, {}) if data is not None and dim_id else {}
            code = codes.get(label)
            if code is None:
                code = next((c for lab, c in codes.items() if lab.lower() == label.lower()), None)
            if dim_id is None or code is None:
                if kind == "column":
                    message = _("{column} {label!r} is not in the data; the settings that name it were left out")
                elif what == "series":
                    message = _("Series {label!r} is not in the data; the settings that name it were left out")
                else:
                    message = _("Unit {label!r} is not in the data; the settings that name it were left out")
                self.add(
                    file,
                    message.format(column=what, label=label),
                    _("write the series, unit or disaggregation exactly as in the data file"),
                    line=line,
                    field=fld,
                )
                return None
            scope[dim_id] = code
        return scope

    def unit(self, ind_id: str, meta: dict[str, Any], data: DataFile | None) -> tuple[Unit, str | None]:
        texts = list(data.unit_texts) if data is not None else []
        if not texts:
            cu = _one_line(meta.get("computation_units"))
            if cu and cu.lower() not in _NOT_STATED:
                texts = [cu]
        mapped = {map_unit(t) for t in texts}
        unit = mapped.pop() if len(mapped) == 1 else Unit.NUMBER
        lo, hi = UNIT_BOUNDS.get(unit, (None, None))
        if data is not None and data.values and (lo is not None or hi is not None):
            vmin, vmax = min(data.values), max(data.values)
            if (lo is not None and vmin < lo) or (hi is not None and vmax > hi):
                self.report.unit_fallbacks[ind_id] = unit.value
                unit = Unit.NUMBER
        label = "; ".join(texts)
        if data is not None and data.multiplier:
            label = f"{label} ({data.multiplier})" if label else data.multiplier
        return unit, label or None

    def indicator(self, ind_id: str, meta: Meta | None, data: DataFile | None) -> Indicator | None:
        m = meta if meta is not None else Meta(data.rel if data is not None else ind_id)
        d = m.data
        number = self.number_of(ind_id, d)
        parts = number.split(".")
        # sdg_goal says it outright (an indicator whose id is not 1-2-3 names its goal there);
        # else the first part of the number.
        g = text_of(d.get("sdg_goal"))
        goal = str(int(g)) if g.isdigit() else (g if _CODE.match(g) and len(g) <= 40 else "")
        if not goal and parts and parts[0].isdigit():
            goal = str(int(parts[0]))
        if not goal:
            self.add(
                m.rel,
                _("cannot tell the goal of indicator {id!r} (indicator_number {number!r}); not imported").format(
                    id=ind_id, number=number
                ),
                _("give indicator_number such as 1.1.1"),
                line=m.where("indicator_number")[1],
                field="indicator_number",
            )
            return None
        target = ""
        target_id = text_of(d.get("target_id"))
        if target_id and not is_translation_key(target_id) and _CODE.match(target_id):
            target = target_id.replace("-", ".")
        elif len(parts) >= 2 and parts[1] and parts[0].isdigit() and str(int(parts[0])) == goal:
            target = f"{goal}.{parts[1]}"
        if target and not (_CODE.match(target) and len(target) <= 40):
            target = ""
        targets = self.targets.setdefault(goal, {})
        if target:
            title = _first_text(d, "target_name", "target")
            # "1.5 By 2030, ..." -> "By 2030, ...": the code is shown beside the title anyway
            title = re.sub(rf"^(?:target\s+)?{re.escape(target)}\.?:?\s+", "", title, flags=re.IGNORECASE)
            if not targets.get(target):  # the first title given wins; '' until one is
                targets[target] = title
        title = (
            _first_text(d, "indicator_available", "national_indicator_available", "indicator_name")
            or f"Indicator {number}"
        )
        definition = (
            clean_text(d.get("national_indicator_description"))
            if not is_translation_key(text_of(d.get("national_indicator_description")))
            else ""
        ) or (
            clean_text(d.get("computation_definitions"))
            if not is_translation_key(text_of(d.get("computation_definitions")))
            else ""
        )
        if definition.lower() in _NOT_STATED:
            definition = ""
        sources, periodicities = self.sources(m)
        if not sources:
            sources = [
                Source(
                    id=REPOSITORY_SOURCE_ID,
                    organisation=self.owner(),
                    name=f"Open SDG data repository {self.root.resolve().name}, indicator {number or ind_id}",
                    url=self.indicator_url(ind_id),
                )
            ]
        unit, unit_label = self.unit(ind_id, d, data)
        direction, base_year, natural, ambitions, assessed = self.progress(ind_id, m, data, unit)
        footnotes = paragraphs(d.get("data_footnote")) + paragraphs(d.get("copyright"))
        footnotes = [f for f in footnotes if not is_translation_key(f)]
        link = text_of(d.get("goal_meta_link"))
        graph = {k: v for k, v in d.items() if k.startswith("graph_") and v not in (None, "", [], {})}
        if graph:
            self.report.graph[ind_id] = graph
        if _is_true(d.get("standalone")) or text_of(d.get("standalone")).lower().startswith("true"):
            self.report.standalone.add(ind_id)
        translations: dict[str, dict[str, str]] = {}
        for lang in self.languages()[1:]:
            sub = d.get(lang)  # meta/<lang>/<id>.md, or the same fields under `<lang>:`
            if not isinstance(sub, dict):
                continue
            entry = {}
            if t := _first_text(sub, "indicator_available", "national_indicator_available", "indicator_name"):
                entry["title"] = t
            text = text_of(sub.get("national_indicator_description"))
            if text and not is_translation_key(text) and (defn := clean_text(text)):
                entry["definition"] = defn
            if u := _first_text(sub, "computation_units"):
                entry["unit_label"] = u
            if entry:
                translations[lang] = entry
        try:
            ind = Indicator(
                id=ind_id,
                title=title,
                goal=goal,
                subgoals=[target] if target else [],
                definition=definition or title,
                unit=unit,
                unit_label=unit_label,
                direction=direction,
                natural_limit=natural,
                sources=sources,
                update_frequency=self.frequency(d, periodicities),
                dimensions=data.dimensions if data is not None else [],
                status_note=self.status_note(ind_id, d),
                base_year=base_year,
                ambitions=ambitions,
                assessed_series=assessed,
                footnotes=footnotes,
                links=[link] if _URL.match(link) else [],
                translations=translations,
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            self.add(
                m.rel,
                _("indicator {id!r} could not be made: {error} at {field}; not imported").format(
                    id=ind_id, error=err["msg"], field=".".join(map(str, err["loc"]))
                ),
                _("correct the metadata field named"),
            )
            return None
        if meta is not None and meta.body:
            self.report.meta_bodies_ignored += 1
        return ind

    # --- the repository --------------------------------------------------------------------

    def run(self) -> FrameworkData:
        report = self.report
        if not self.root.is_dir():
            self.add(str(self.root), _("not a folder"), _("give the path of an Open SDG data repository"))
            return FrameworkData(self.framework())
        self.read_config()
        self.read_translations()
        metas = self.read_metas()
        files = self.list_data()
        ids = sorted(set(metas) | set(files), key=lambda i: (natural_key(re.sub(r"^[^0-9]*", "", i)), i))
        report.indicators_found = len(ids)
        used: set[str] = set()
        indicators: list[tuple[Indicator, DataFile | None]] = []  # in the order of their numbers
        for raw_id in ids:
            meta, path = metas.get(raw_id), files.get(raw_id)
            data = None
            if path is not None:
                data = read_data_file(path, f"data/{path.name}", self.add, keep_geocode=self.keep_geocode)
                report.rows_read += data.rows_read
                report.rows_skipped.update(data.skipped)
                for name in data.dropped:
                    report.columns_dropped[name] += 1
            ind_id = (
                raw_id
                if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", raw_id) and len(raw_id) <= 80
                else slugify(raw_id)
            )
            if not ind_id or ind_id in used:
                base = ind_id or "indicator"
                n = 2
                while f"{base}-{n}" in used:
                    n += 1
                ind_id = f"{base}-{n}"
            if meta is not None:
                file_rel = meta.rel
            else:
                assert path is not None, "every id comes from a metadata file or a data file"
                file_rel = f"data/{path.name}"
            if ind_id != raw_id:
                self.add(
                    file_rel,
                    _("file name {name!r} is not a usable indicator id; imported as {id!r}").format(
                        name=raw_id, id=ind_id
                    ),
                    _("name files with lower-case letters, digits and '-' (e.g. 1-1-1)"),
                )
            if meta is None:
                report.data_without_metadata.append(ind_id)
                self.add(
                    file_rel,
                    _("no metadata: there is no meta/{id}.md; imported with a title made from the file name").format(
                        id=raw_id
                    ),
                    _("add meta/{id}.md").format(id=raw_id),
                )
            elif path is None:
                report.no_data.append(ind_id)
                self.add(
                    meta.rel,
                    _(
                        "no data: neither data/indicator_{id}.csv nor data/{id}.csv exists; "
                        "imported without observations"
                    ).format(id=raw_id),
                    _("add the data file, or leave it out while the indicator has no data"),
                )
            ind = self.indicator(ind_id, meta, data)
            if ind is None:
                report.indicators_skipped.append(raw_id)
                if data is not None:  # its rows cannot be imported without the indicator
                    report.rows_skipped["indicator_skipped"] += len(data.values)
                continue
            used.add(ind_id)
            indicators.append((ind, data))

        out = FrameworkData(self.framework())
        for ind, data in indicators:
            out.indicators[ind.id] = ind
            report.indicators_imported += 1
            if data is None or not data.values:
                report.without_data.append(ind.id)
                continue
            report.with_data.append(ind.id)
            n = len(data.values)
            source = ind.sources[0].id
            out.observations[ind.id] = ObservationTable(
                ind.id,
                tuple(dim.id for dim in ind.dimensions),
                keys=data.keys,
                periods=data.periods,
                values=list(data.values),  # the table's list may hold None, the file's does not
                n=[None] * n,
                flags=data.flags,
                provenance=["published"] * n,
                source=[source] * n,
                note=data.notes,
            )
            report.rows_imported += n
            report.period_kinds.update(data.period_kinds)
            report.periods_rewritten += data.periods_rewritten
        horizon = max(
            [HORIZON_YEAR] + [a.deadline.year for i in out.indicators.values() for a in i.ambitions]
        )
        if horizon != HORIZON_YEAR:
            out.framework = out.framework.model_copy(update={"horizon_year": horizon})
        return out

    def _goal_texts(self, lang: str, group: str, key: str) -> dict[str, str]:
        """Title (and description) of one goal or target in one language from translations/."""
        texts = self.texts.get((lang, group), {})
        short, long = texts.get(f"{key}-short"), texts.get(f"{key}-title")
        out: dict[str, str] = {}
        title = short or long
        if title:
            out["title"] = title
        if short and long and long != short:
            out["description"] = long
        return out

    def framework(self) -> Framework:
        langs = self.languages()
        first, others = langs[0], langs[1:]
        goal_keys = {
            m[1] for k in self.texts.get((first, "global_goals"), {}) if (m := _TEXT_KEY.match(k)) and _CODE.match(m[1])
        }
        # translations/<lang>/global_goals.yml names the goals of a framework other than the SDGs
        goal_ids = set(goal_keys or SDG_GOAL_TITLES) | set(self.targets)
        for key in self.texts.get((first, "global_targets"), {}):
            m = _TEXT_KEY.match(key)
            if m is None or m[2] != "title":
                continue
            code = m[1].replace("-", ".")
            lead = re.match(r"\d+", code)
            gid = code.split(".", 1)[0] if "." in code else (str(int(lead[0])) if lead else "")
            if gid in goal_ids and _CODE.match(code) and len(code) <= 40:
                targets = self.targets.setdefault(gid, {})
                if not targets.get(code):
                    targets[code] = self.texts[(first, "global_targets")][key]
        goals = []
        for gid in sorted(goal_ids, key=natural_key):
            targets = self.targets.get(gid, {})
            texts = self._goal_texts(first, "global_goals", gid)
            goals.append(
                Goal(
                    id=gid,
                    title=texts.get("title") or SDG_GOAL_TITLES.get(gid, f"Goal {gid}"),
                    description=texts.get("description"),
                    subgoals=[
                        Subgoal(
                            code=code,
                            title=targets[code] or f"Target {code}",
                            translations={
                                lang: {"title": t["title"]}
                                for lang in others
                                if (t := self._goal_texts(lang, "global_targets", code.replace(".", "-")))
                            },
                        )
                        for code in sorted(targets, key=natural_key)
                    ],
                    translations={lang: t for lang in others if (t := self._goal_texts(lang, "global_goals", gid))},
                )
            )
        return Framework(
            id=self.framework_id,
            title=FRAMEWORK_TITLE,
            owner=self.owner(),
            base_year=BASE_YEAR,
            horizon_year=HORIZON_YEAR,
            languages=langs,
            url=self.framework_url(),
            goals=goals,
        )


def import_opensdg(
    root: Path,
    framework_id: str | None = None,
    *,
    owner: str | None = None,
    keep_geocode: bool = False,
    default_direction: Direction | str = Direction.NONE,
) -> tuple[FrameworkData, OpenSdgReport]:
    """Read an Open SDG data repository as a framework, and report what happened.

    `framework_id` defaults to the slug of the folder name; `owner` to the repository's
    config_data.yml (owner, organisation or docs_branding) or "Open SDG data repository".
    `keep_geocode` keeps a GeoCode column as a dimension. `default_direction` is the direction
    of indicators whose metadata asks for no progress calculation and names no direction.
    """
    started = time.perf_counter()
    importer = _Importer(Path(root), framework_id, owner, keep_geocode, Direction(default_direction))
    # Reading makes hundreds of thousands of small tuples that live on: the cyclic garbage
    # collector would walk them again and again (a quarter of the time) and can free none.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = importer.run()
    finally:
        if collecting:
            gc.enable()
    importer.add.finish()
    importer.report.seconds = time.perf_counter() - started
    return data, importer.report
