"""Read and validate a framework package from disk (YAML metadata, tidy CSV observations).

`read_package` either returns the whole framework or raises `PackageInvalid` with every problem
found, each with file, line, column, field, message and a fix hint. Nothing here writes anywhere.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from veikart.core.dataset import FLAG_ORDER, FrameworkData, ObservationTable
from veikart.core.model import (
    CODE_PATTERN,
    FIELDS,
    HINTS,
    LANGUAGE_PATTERN,
    MAX_ABS_NUMBER,
    MAX_N,
    MESSAGES,
    PERIOD_ID_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
    Framework,
    Indicator,
    Provenance,
    ReportingPeriod,
)
from veikart.core.periods import MAX_YEAR, MIN_YEAR, Period, PeriodError
from veikart.i18n import N_, _, fmt_number
from veikart.package.problems import PackageInvalid, Problem
from veikart.package.yaml_guard import GuardedLoader, YamlLimit

__all__ = ["MAX_PROBLEMS_PER_FILE", "check_package", "read_package"]

#: A file with more problems than this reports the first ones and how many more there are.
MAX_PROBLEMS_PER_FILE = 100

FRAMEWORK_FILE = "framework.yaml"
INDICATOR_DIR = "indicators"
DATA_DIR = "data"
PERIOD_DIR = "periods"

CSV_FIXED = ("period", "value", "n", "flags", "provenance", "source", "note")
CSV_REQUIRED = ("period", "value", "provenance")
_FLAG_VALUES = {f.value for f in FLAG_ORDER}
_PROVENANCES = {p.value for p in Provenance}

# Pydantic's own error kinds, as our catalogue words them (msgids), with a fix hint.
_PYDANTIC_MESSAGES: dict[str, tuple[str, str | None]] = {
    "missing": (N_("required field is missing"), N_("add the field")),
    "extra_forbidden": (N_("unknown field"), N_("remove it or correct its name (see docs/package-format.md)")),
    "string_type": (N_("expected text, got {input!r}"), N_("write the value as text")),
    "string_too_short": (N_("must not be empty"), N_("write a text")),
    "string_pattern_mismatch": (N_("{input!r} has the wrong form"), None),  # hint by pattern below
    "int_type": (N_("expected a whole number, got {input!r}"), N_("write a whole number such as 2030")),
    "int_parsing": (N_("expected a whole number, got {input!r}"), N_("write a whole number such as 2030")),
    "int_from_float": (N_("expected a whole number, got {input!r}"), N_("write a whole number such as 2030")),
    "float_type": (N_("expected a number, got {input!r}"), N_("write a number with '.' as decimal point")),
    "float_parsing": (N_("expected a number, got {input!r}"), N_("write a number with '.' as decimal point")),
    "finite_number": (N_("expected a finite number, got {input!r}"), N_("write a number such as 12.5, not .inf or .nan")),
    "bool_type": (N_("expected true or false, got {input!r}"), N_("write true or false")),
    "bool_parsing": (N_("expected true or false, got {input!r}"), N_("write true or false")),
    "date_type": (N_("expected a date, got {input!r}"), N_("write the date as YYYY-MM-DD")),
    "date_parsing": (N_("expected a date, got {input!r}"), N_("write the date as YYYY-MM-DD")),
    "date_from_datetime_parsing": (N_("expected a date, got {input!r}"), N_("write the date as YYYY-MM-DD")),
    "date_from_datetime_inexact": (N_("expected a date, got {input!r}"), N_("write the date as YYYY-MM-DD")),
    "enum": (N_("{input!r} is not one of {expected}"), N_("use one of the listed values")),
    "greater_than_equal": (N_("must be at least {ge}, got {input!r}"), None),
    "less_than_equal": (N_("must be at most {le}, got {input!r}"), None),
    "too_short": (N_("needs at least {min_length} item(s)"), N_("add the missing items")),
    "list_type": (N_("expected a list, got {input!r}"), N_("write a YAML list (lines starting with '- ')")),
    "dict_type": (N_("expected a mapping, got {input!r}"), N_("write key: value pairs")),
    "model_type": (N_("expected a mapping, got {input!r}"), N_("write key: value pairs")),
    "model_attributes_type": (N_("expected a mapping, got {input!r}"), N_("write key: value pairs")),
    "frozen_set_type": (N_("expected a list, got {input!r}"), None),
}


# Characters that would act on a terminal rather than show (C0 and C1 controls, DEL) and those
# that reorder text (bidirectional overrides and isolates).
_CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_ESCAPES = {ord(c): (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") for c in _CONTROLS}
#: Control characters refused in text (a line break and a tab are text in YAML; CSV fields
#: hold no line breaks at all).
_BAD_TEXT = re.compile("[" + re.escape("".join(c for c in _CONTROLS if c not in "\n\t")) + "]")


def escape_controls(text: str) -> str:
    """`text` with control characters written as escapes (\\x1b), safe to print."""
    return text.translate(_ESCAPES)


class _Collector:
    """Gathers problems, capping each file at MAX_PROBLEMS_PER_FILE."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._per_file: dict[str, int] = {}

    def add(
        self,
        file: str,
        message: str,
        hint: str | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        count = self._per_file.get(file, 0) + 1
        self._per_file[file] = count
        if count <= MAX_PROBLEMS_PER_FILE:
            self.problems.append(
                Problem(
                    escape_controls(file),
                    escape_controls(message),
                    None if hint is None else escape_controls(hint),
                    line,
                    column,
                    None if field is None else escape_controls(field),
                )
            )

    def finish(self) -> list[Problem]:
        for file, count in self._per_file.items():
            if count > MAX_PROBLEMS_PER_FILE:
                self.problems.append(
                    Problem(
                        file,
                        _("{more} more error(s) in this file are not shown").format(
                            more=count - MAX_PROBLEMS_PER_FILE
                        ),
                        _("fix the errors above and validate again"),
                        hidden=count - MAX_PROBLEMS_PER_FILE,
                    )
                )
        return self.problems

    def count(self, file: str) -> int:
        return self._per_file.get(file, 0)


# --- YAML ----------------------------------------------------------------------------------


def _plain(node: Any) -> Any:
    """ruamel's round-trip types as plain Python values (positions are kept in the original)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, datetime):
        if (node.hour, node.minute, node.second, node.microsecond) == (0, 0, 0, 0):
            return date(node.year, node.month, node.day)
        return node
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _position(root: Any, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """1-based line and column of the node at `loc`, or of its nearest existing ancestor."""
    node = root
    line = col = None
    if isinstance(root, CommentedMap | CommentedSeq):
        line, col = root.lc.line, root.lc.col
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            node = node[part]
        else:
            break
    if line is None:
        return None, None
    return line + 1, (col + 1) if col is not None else None


def _field_path(loc: tuple[Any, ...]) -> str | None:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


class _YamlDoc:
    """A parsed YAML file: plain data from the fast C loader, and the round-trip tree (with
    line and column of every node) parsed again only when a problem needs a position."""

    def __init__(self, path: Path, data: Any):
        self.path = path
        self.data = data
        self._tree: Any = None

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        if self._tree is None:
            with self.path.open(encoding="utf-8") as fh:
                self._tree = YAML(typ="rt").load(fh)
        return _position(self._tree, loc)


class _DuplicateKey(yaml.constructor.ConstructorError):
    pass


class _BadDate(yaml.constructor.ConstructorError):
    pass


# The C loader where PyYAML was built with libyaml: a base only known at run time
class _FastLoader(GuardedLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser for speed, resolving scalars as YAML 1.2 does (as ruamel, our writer,
    does): only true/false are booleans, so a text such as `no` stays text. A key given twice in
    one mapping and an impossible date are errors with their place, not silently accepted; so
    is a file beyond the limits of yaml_guard (an alias bomb)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _DuplicateKey(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _BadDate(
                None, None, f"{node.value!r} is not a calendar date ({exc})", node.start_mark
            ) from None


_YAML11_ONLY = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML11_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 core schema: no yes/no booleans, no sexagesimal (10:30), no 0-prefixed octal, no 1_000.
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text, 8)  # int() takes the 0o prefix itself
    if text.startswith("0x"):
        return int(text, 16)
    return int(text, 10)  # 010 is ten, as in YAML 1.2


_FastLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)


def _decode(raw: bytes, rel: str, problems: _Collector) -> str | None:
    """UTF-8 text, or None with a problem at the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        problems.add(
            rel,
            _("the file is not UTF-8 text (byte {byte} cannot be read)").format(byte=f"0x{raw[exc.start]:02X}"),
            _("save the file as UTF-8"),
            line=raw.count(b"\n", 0, exc.start) + 1,
            column=len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1,
        )
        return None


def _bad_utf8(path: Path, rel: str, problems: _Collector) -> None:
    """A file read as a stream failed to decode: say where (read once more, as bytes)."""
    if _decode(path.read_bytes(), rel, problems) is not None:  # pragma: no cover - decodes now
        problems.add(rel, _("the file is not UTF-8 text"), _("save the file as UTF-8"))


def _load_yaml(path: Path, rel: str, problems: _Collector) -> _YamlDoc | None:
    try:
        with path.open("rb") as fh:
            text = _decode(fh.read(), rel, problems)
        if text is None:
            return None
        return _YamlDoc(path, yaml.load(text, Loader=_FastLoader))
    except YamlLimit as exc:
        mark = exc.problem_mark
        problems.add(
            rel,
            str(exc.problem),
            exc.hint,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
    except (MarkedYAMLError, yaml.MarkedYAMLError) as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context
        if exc.context and exc.context_mark is not None and exc.problem:
            problem = _("{context} (from line {line}, column {column}): {problem}").format(
                context=exc.context, line=exc.context_mark.line + 1, column=exc.context_mark.column + 1, problem=exc.problem
            )
        if isinstance(exc, _DuplicateKey):
            hint = _("keep one of the two")
        elif isinstance(exc, _BadDate):
            hint = _("write a real date as YYYY-MM-DD")
        else:
            hint = _("check indentation, colons and quotes around this place")
        problems.add(
            rel,
            _("YAML syntax error: {problem}").format(problem=problem),
            hint,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
    except OSError as exc:
        problems.add(rel, _("cannot read the file: {error}").format(error=exc.strerror), None)
    return None


_PATTERN_HINTS: dict[str, str] = {
    SLUG_PATTERN: N_("use lower-case letters a-z, digits, '-' and '_', starting with a letter or digit"),
    CODE_PATTERN: N_("use letters, digits, '.', '-' and '_', starting with a letter or digit"),
    URL_PATTERN: N_("write a full address starting with http:// or https://"),
    PERIOD_ID_PATTERN: N_("write the period id as YYYY-MM, e.g. 2026-01"),
    LANGUAGE_PATTERN: N_("write a two-letter language code such as nb or en"),
}


def _number_text(value: Any) -> Any:
    """Integral floats as whole numbers in messages: 100.0 -> 100."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: How much of a wrong value a message quotes.
_MAX_QUOTED = 60


def _translate_error(err: ErrorDetails) -> tuple[str, str | None]:
    kind = err["type"]
    ctx = {k: _number_text(v) for k, v in (err.get("ctx") or {}).items()}
    ctx.setdefault("input", _number_text(err.get("input")))
    if kind in MESSAGES:
        template, hint = MESSAGES[kind], HINTS.get(kind)
    elif kind in _PYDANTIC_MESSAGES:
        template, hint = _PYDANTIC_MESSAGES[kind]
    else:
        return err["msg"], None
    if isinstance(ctx.get("input"), dict | list):
        ctx["input"] = type(ctx["input"]).__name__
    elif isinstance(ctx.get("input"), str) and len(ctx["input"]) > _MAX_QUOTED:
        ctx["input"] = ctx["input"][: _MAX_QUOTED - 1] + "…"  # a value, not a whole file's text
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")))
    try:
        message = _(template).format(**ctx)
    except (KeyError, IndexError, ValueError):
        message = err["msg"]
    return message, (_(hint) if hint else None)


def _control_texts(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(place, character) of every text (keys too) holding a control character."""
    if isinstance(value, dict):
        for k, v in value.items():
            if m := _BAD_TEXT.search(k):
                yield (*loc, k), m[0]
            yield from _control_texts(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _control_texts(v, (*loc, i))
    elif isinstance(value, str) and (m := _BAD_TEXT.search(value)):
        yield loc, m[0]


def _validate_model(model: type[BaseModel], doc: _YamlDoc, rel: str, problems: _Collector) -> Any:
    if doc.data is None:
        problems.add(rel, _("the file is empty"), _("write the fields described in docs/package-format.md"))
        return None
    plain = _plain(doc.data)
    bad = list(_control_texts(plain, ()))
    for loc, char in bad:
        line, col = doc.position(loc)
        problems.add(
            rel,
            _("the text holds a control character ({char})").format(char=escape_controls(char)),
            _("remove the control character (it may come from copying from another program)"),
            line=line,
            column=col,
            field=_field_path(loc),
        )
    if bad:
        return None
    try:
        return model.model_validate(plain)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"]) + FIELDS.get(err["type"], ())
            message, hint = _translate_error(err)
            line, col = doc.position(loc)
            problems.add(rel, message, hint, line=line, column=col, field=_field_path(loc))
        return None


# --- cross-references ----------------------------------------------------------------------


def _check_framework(fw: Framework, node: _YamlDoc, rel: str, problems: _Collector) -> None:
    seen_goals: set[str] = set()
    seen_sub: set[str] = set()
    for gi, goal in enumerate(fw.goals):
        if goal.id in seen_goals:
            line, col = node.position(("goals", gi, "id"))
            problems.add(
                rel,
                _("goal id {id!r} is used twice").format(id=goal.id),
                _("give each goal its own id"),
                line=line,
                column=col,
                field=f"goals[{gi}].id",
            )
        seen_goals.add(goal.id)
        for si, sub in enumerate(goal.subgoals):
            if sub.code in seen_sub:
                line, col = node.position(("goals", gi, "subgoals", si, "code"))
                problems.add(
                    rel,
                    _("subgoal code {code!r} is used twice").format(code=sub.code),
                    _("give each subgoal its own code"),
                    line=line,
                    column=col,
                    field=f"goals[{gi}].subgoals[{si}].code",
                )
            seen_sub.add(sub.code)


def _check_indicator(
    ind: Indicator, node: _YamlDoc, rel: str, stem: str, fw: Framework | None, problems: _Collector
) -> None:
    def add(loc: tuple[Any, ...], message: str, hint: str) -> None:
        line, col = node.position(loc)
        problems.add(rel, message, hint, line=line, column=col, field=_field_path(loc))

    if ind.id != stem:
        add(
            ("id",),
            _("id {id!r} differs from the file name {stem!r}").format(id=ind.id, stem=stem),
            _("rename the file to {id}.yaml or change the id").format(id=ind.id),
        )
    if fw is not None:
        goal = fw.goal(ind.goal)
        if goal is None:
            add(
                ("goal",),
                _("goal {goal!r} is not in framework.yaml").format(goal=ind.goal),
                _("use one of: {ids}").format(ids=", ".join(g.id for g in fw.goals) or "-"),
            )
        codes = fw.subgoal_codes()
        for i, code in enumerate(ind.subgoals):
            if code not in codes:
                add(
                    ("subgoals", i),
                    _("subgoal {code!r} is not in framework.yaml").format(code=code),
                    _("add it under its goal in framework.yaml, or correct the code"),
                )
    source_ids = [s.id for s in ind.sources]
    for i, sid in enumerate(source_ids):
        if sid in source_ids[:i]:
            add(("sources", i, "id"), _("source id {id!r} is used twice").format(id=sid), _("give each source its own id"))
    dims = {d.id: set(d.codes()) for d in ind.dimensions}
    for di, d in enumerate(ind.dimensions):
        values = d.codes()
        for vi, c in enumerate(values):
            if c in values[:vi]:
                add(
                    ("dimensions", di, "values", vi, "code"),
                    _("value code {code!r} is listed twice in dimension {dim!r}").format(code=c, dim=d.id),
                    _("list each value once"),
                )
        if d.id in CSV_FIXED:
            add(
                ("dimensions", di, "id"),
                _("dimension id {dim!r} clashes with a fixed CSV column").format(dim=d.id),
                _("choose another id"),
            )
    lo, hi = ind.bounds()
    seen_scopes: set[tuple[tuple[tuple[str, str], ...], date]] = set()
    for ai, amb in enumerate(ind.ambitions):
        if amb.unit != ind.unit:
            add(
                ("ambitions", ai, "unit"),
                _("ambition unit {a!r} differs from the indicator's unit {u!r}").format(
                    a=amb.unit.value, u=ind.unit.value
                ),
                _("state the ambition in {u}").format(u=ind.unit.value),
            )
        if fw is not None and amb.deadline.year > fw.horizon_year:
            add(
                ("ambitions", ai, "deadline"),
                _("deadline {d} is after the framework's horizon {h}").format(
                    d=amb.deadline.isoformat(), h=fw.horizon_year
                ),
                _("move the deadline to {h} or earlier, or extend horizon_year").format(h=fw.horizon_year),
            )
        for value, fld in ((amb.value, "value"), (amb.good_level, "good_level")):
            if value is not None and ((lo is not None and value < lo) or (hi is not None and value > hi)):
                add(
                    ("ambitions", ai, fld),
                    _("{v} is outside the natural limits ({limits})").format(v=_bound(value), limits=_limits(lo, hi)),
                    _("use a value within the limits, or correct natural_limit"),
                )
        for dim, code in amb.scope.items():
            if dim not in dims:
                add(
                    ("ambitions", ai, "scope", dim),
                    _("scope names dimension {dim!r}, which the indicator does not have").format(dim=dim),
                    _("use one of the indicator's dimensions: {ids}").format(ids=", ".join(dims) or "-"),
                )
            elif code not in dims[dim]:
                add(
                    ("ambitions", ai, "scope", dim),
                    _("{code!r} is not a value of dimension {dim!r}").format(code=code, dim=dim),
                    _("use one of: {codes}").format(codes=", ".join(sorted(dims[dim]))),
                )
        key = (tuple(sorted(amb.scope.items())), amb.deadline)
        if key in seen_scopes:
            add(
                ("ambitions", ai),
                _("two ambitions have the same scope and deadline"),
                _("remove the duplicate or change its scope or deadline"),
            )
        seen_scopes.add(key)
    for si, sel in enumerate(ind.assessed_series):
        for dim, code in sel.scope.items():
            if dim not in dims:
                add(
                    ("assessed_series", si, "scope", dim),
                    _("scope names dimension {dim!r}, which the indicator does not have").format(dim=dim),
                    _("use one of the indicator's dimensions: {ids}").format(ids=", ".join(dims) or "-"),
                )
            elif code not in dims[dim]:
                add(
                    ("assessed_series", si, "scope", dim),
                    _("{code!r} is not a value of dimension {dim!r}").format(code=code, dim=dim),
                    _("use one of: {codes}").format(codes=", ".join(sorted(dims[dim]))),
                )


def _period_message(text: str) -> str:
    try:
        Period.parse(text)
    except PeriodError as exc:
        if exc.reason == "month":
            return _("{text!r} is not a period: there is no month {month}").format(text=text, month=text[5:7])
        if exc.reason == "date":
            return _("{text!r} is not a period: there is no such calendar date").format(text=text)
        if exc.reason == "year":
            return _("{text!r} is not a period: the year must be from {first} to {last}").format(
                text=text, first=MIN_YEAR, last=MAX_YEAR
            )
    return _("{text!r} is not a period").format(text=text)


def _bound(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _limits(lo: float | None, hi: float | None) -> str:
    """The natural limits in words: 'from 0 to 100', 'at least 0', 'at most 100'."""
    if lo is not None and hi is not None:
        return _("from {lo} to {hi}").format(lo=_bound(lo), hi=_bound(hi))
    if lo is not None:
        return _("at least {lo}").format(lo=_bound(lo))
    return _("at most {hi}").format(hi=_bound(hi)) if hi is not None else ""


def _check_period(
    per: ReportingPeriod,
    node: _YamlDoc,
    rel: str,
    stem: str,
    fw: Framework | None,
    indicator_files: set[str],
    problems: _Collector,
) -> None:
    def add(loc: tuple[Any, ...], message: str, hint: str) -> None:
        line, col = node.position(loc)
        problems.add(rel, message, hint, line=line, column=col, field=_field_path(loc))

    if per.id != stem:
        add(
            ("id",),
            _("id {id!r} differs from the file name {stem!r}").format(id=per.id, stem=stem),
            _("rename the file to {id}.yaml or change the id").format(id=per.id),
        )
    goal_ids = {g.id for g in fw.goals} if fw else set()
    codes = fw.subgoal_codes() if fw else set()
    seen: set[str] = set()
    for ai, a in enumerate(per.assessments):
        if fw is not None and a.goal not in goal_ids:
            add(
                ("assessments", ai, "goal"),
                _("goal {goal!r} is not in framework.yaml").format(goal=a.goal),
                _("use one of: {ids}").format(ids=", ".join(sorted(goal_ids)) or "-"),
            )
        if a.goal in seen:
            add(
                ("assessments", ai, "goal"),
                _("goal {goal!r} is assessed twice in this period").format(goal=a.goal),
                _("merge the two assessments"),
            )
        seen.add(a.goal)
        for si, item in enumerate(a.selected):
            if item.indicator is not None and item.indicator not in indicator_files:
                add(
                    ("assessments", ai, "selected", si, "indicator"),
                    _("indicator {id!r} does not exist").format(id=item.indicator),
                    _("add indicators/{id}.yaml or correct the id").format(id=item.indicator),
                )
            if fw is not None and item.subgoal is not None and item.subgoal not in codes:
                add(
                    ("assessments", ai, "selected", si, "subgoal"),
                    _("subgoal {code!r} is not in framework.yaml").format(code=item.subgoal),
                    _("add it under its goal in framework.yaml, or correct the code"),
                )
    for oi, ind_id in enumerate(per.slide_order):
        if ind_id not in indicator_files:
            add(
                ("slide_order", oi),
                _("indicator {id!r} does not exist").format(id=ind_id),
                _("add indicators/{id}.yaml or correct the id").format(id=ind_id),
            )
    kf_ids: set[str] = set()
    for ki, kf in enumerate(per.key_figures):
        if kf.id in kf_ids:
            add(("key_figures", ki, "id"), _("key figure id {id!r} is used twice").format(id=kf.id), _("give each key figure its own id"))
        kf_ids.add(kf.id)
        if kf.indicator is not None and kf.indicator not in indicator_files:
            add(
                ("key_figures", ki, "indicator"),
                _("indicator {id!r} does not exist").format(id=kf.indicator),
                _("add indicators/{id}.yaml or correct the id").format(id=kf.indicator),
            )
        if fw is not None and kf.goal is not None and kf.goal not in goal_ids:
            add(
                ("key_figures", ki, "goal"),
                _("goal {goal!r} is not in framework.yaml").format(goal=kf.goal),
                _("use one of: {ids}").format(ids=", ".join(sorted(goal_ids)) or "-"),
            )


# --- CSV -----------------------------------------------------------------------------------


def _read_csv(path: Path, rel: str, ind: Indicator, problems: _Collector) -> ObservationTable | None:
    dims = tuple(d.id for d in ind.dimensions)
    codes = [set(d.codes()) for d in ind.dimensions]
    table = ObservationTable(ind.id, dims)
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        problems.add(rel, _("cannot read the file: {error}").format(error=exc.strerror), None)
        return None
    with fh:
        try:
            reader = csv.reader(fh)
            header = next(reader, None)
        except UnicodeDecodeError:
            _bad_utf8(path, rel, problems)
            return None
        except csv.Error:
            problems.add(rel, _("the file is not UTF-8 CSV"), _("save the file as UTF-8 CSV"), line=1)
            return None
        if header is None:
            problems.add(rel, _("the file is empty"), _("write a header row: {cols}").format(cols=",".join(dims + CSV_FIXED)), line=1)
            return None
        header = [h.strip() for h in header]
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        index = {name: i for i, name in enumerate(header)}
        bad_header = False
        for ci, name in enumerate(header):
            if name not in dims and name not in CSV_FIXED:
                problems.add(
                    rel,
                    _("unknown column {name!r}").format(name=name),
                    _("columns are the indicator's dimensions ({dims}) and {fixed}").format(
                        dims=", ".join(dims) or "-", fixed=", ".join(CSV_FIXED)
                    ),
                    line=1,
                    column=ci + 1,
                    field=name,
                )
                bad_header = True
            elif name in header[:ci]:
                problems.add(rel, _("column {name!r} appears twice").format(name=name), _("remove one of them"), line=1, column=ci + 1, field=name)
                bad_header = True
        for name in dims + CSV_REQUIRED:
            if name not in index:
                problems.add(
                    rel,
                    _("column {name!r} is missing").format(name=name),
                    _("add the column to the header row"),
                    line=1,
                    field=name,
                )
                bad_header = True
        if not bad_header:
            expected = [h for h in dims + CSV_FIXED if h in index]
            if header != expected:
                problems.add(
                    rel,
                    _("columns are not in the canonical order"),
                    _("order them as: {cols}").format(cols=",".join(expected)),
                    line=1,
                )
                bad_header = True
        if bad_header:
            return None

        width = len(header)
        dim_idx = [index[d] for d in dims]
        i_period, i_value, i_prov = index["period"], index["value"], index["provenance"]
        i_n, i_flags, i_source, i_note = (index.get(c) for c in ("n", "flags", "source", "note"))
        lo, hi = ind.bounds()
        source_ids = {s.id for s in ind.sources}
        period_cache: dict[str, str | None] = {}
        seen: dict[tuple[tuple[str, ...], str], int] = {}
        add = problems.add

        known_keys: set[tuple[str, ...]] = set()
        good: list[tuple] = []

        def slow(row: list[str], line: int) -> tuple | None:
            """Every check, with a problem for each failure; None when the row is rejected."""
            if len(row) != width:
                add(
                    rel,
                    _("row has {got} fields, the header has {want}").format(got=len(row), want=width),
                    _("check for a missing or extra comma, or quote fields that contain commas"),
                    line=line,
                )
                return None
            ok = True
            key = tuple(row[i].strip() for i in dim_idx)
            for k, (code, allowed) in enumerate(zip(key, codes, strict=True)):
                if code and code not in allowed:
                    add(
                        rel,
                        _("{code!r} is not a value of dimension {dim!r}").format(code=code, dim=dims[k]),
                        _("use one of: {codes}").format(codes=", ".join(sorted(allowed))),
                        line=line,
                        column=dim_idx[k] + 1,
                        field=dims[k],
                    )
                    ok = False
            raw_period = row[i_period].strip()
            period = period_cache.get(raw_period, "")
            if period == "":
                try:
                    period = str(Period.parse(raw_period))
                except PeriodError:
                    period = None
                period_cache[raw_period] = period
            if period is None:
                add(
                    rel,
                    _period_message(raw_period),
                    _(HINTS["bad_period"]),
                    line=line,
                    column=i_period + 1,
                    field="period",
                )
                ok = False
            flags = row[i_flags].strip() if i_flags is not None else ""
            if flags and i_flags is not None:
                parts = [f.strip() for f in flags.split(";") if f.strip()]
                unknown = [f for f in parts if f not in _FLAG_VALUES]
                if unknown:
                    add(
                        rel,
                        _("unknown flag {flag!r}").format(flag=unknown[0]),
                        _("use provisional, suppressed or break, joined with ';'"),
                        line=line,
                        column=i_flags + 1,
                        field="flags",
                    )
                    ok = False
                flags = ";".join(f.value for f in FLAG_ORDER if f.value in parts)
            raw_value = row[i_value].strip()
            value: float | None = None
            if raw_value:
                try:
                    if "_" in raw_value or not raw_value.isascii():  # float() reads 1_000, and ١٢ as 12
                        raise ValueError
                    value = float(raw_value)
                    if not math.isfinite(value):
                        raise ValueError
                except ValueError:
                    add(
                        rel,
                        _("value {text!r} is not a number").format(text=raw_value),
                        _("write a number with '.' as decimal point and no thousands separator"),
                        line=line,
                        column=i_value + 1,
                        field="value",
                    )
                    ok = False
                    value = None
                else:
                    if not -MAX_ABS_NUMBER < value < MAX_ABS_NUMBER:
                        add(
                            rel,
                            _(MESSAGES["number_too_large"]).format(input=raw_value),
                            _(HINTS["number_too_large"]),
                            line=line,
                            column=i_value + 1,
                            field="value",
                        )
                        ok = False
                    elif (lo is not None and value < lo) or (hi is not None and value > hi):
                        add(
                            rel,
                            _("{v} is outside the natural limits ({limits})").format(
                                v=raw_value, limits=_limits(lo, hi)
                            ),
                            _("correct the value, or the indicator's natural_limit or unit"),
                            line=line,
                            column=i_value + 1,
                            field="value",
                        )
                        ok = False
            elif "suppressed" not in flags:
                add(rel, _(MESSAGES["empty_value"]), _(HINTS["empty_value"]), line=line, column=i_value + 1, field="value")
                ok = False
            n: int | None = None
            if i_n is not None and (raw_n := row[i_n].strip()):
                try:
                    if "_" in raw_n or not raw_n.isascii():  # int() would read 1_0 as 10, and ١٢ as 12
                        raise ValueError
                    n = int(raw_n)
                    if n < 0:
                        raise ValueError
                except ValueError:
                    add(
                        rel,
                        _("n {text!r} is not a whole number of 0 or more").format(text=raw_n),
                        _("write the sample size as a whole number"),
                        line=line,
                        column=i_n + 1,
                        field="n",
                    )
                    ok = False
                else:
                    if n > MAX_N:
                        add(
                            rel,
                            _("n {text!r} is larger than {max}, the largest sample size stored").format(
                                text=raw_n, max=fmt_number(MAX_N)
                            ),
                            _("check the sample size"),
                            line=line,
                            column=i_n + 1,
                            field="n",
                        )
                        ok = False
            for ci, text in enumerate(row):
                if bad_char := _BAD_TEXT.search(text):
                    add(
                        rel,
                        _("the field holds a control character ({char})").format(
                            char=escape_controls(bad_char[0])
                        ),
                        _("remove the control character (it may come from copying from another program)"),
                        line=line,
                        column=ci + 1,
                        field=header[ci],
                    )
                    ok = False
            prov = row[i_prov].strip()
            if not prov:
                add(
                    rel,
                    _("provenance is missing"),
                    _("write published (with a source), seed or illustrative"),
                    line=line,
                    column=i_prov + 1,
                    field="provenance",
                )
                ok = False
            elif prov not in _PROVENANCES:
                add(
                    rel,
                    _("{text!r} is not a provenance").format(text=prov),
                    _("write published (with a source), seed or illustrative"),
                    line=line,
                    column=i_prov + 1,
                    field="provenance",
                )
                ok = False
            source = row[i_source].strip() if i_source is not None else ""
            if source and i_source is not None and source not in source_ids:
                add(
                    rel,
                    _("source {id!r} is not among the indicator's sources").format(id=source),
                    _("use one of: {ids}").format(ids=", ".join(sorted(source_ids)) or "-"),
                    line=line,
                    column=i_source + 1,
                    field="source",
                )
                ok = False
            elif prov == "published" and not source:
                add(
                    rel,
                    _(MESSAGES["published_without_source"]),
                    _(HINTS["published_without_source"]),
                    line=line,
                    column=(i_source + 1) if i_source is not None else None,
                    field="source",
                )
                ok = False
            if period is not None and ok:
                first = seen.get((key, period))
                if first is not None:
                    add(
                        rel,
                        _("duplicate observation: this series already has period {period} on line {first}").format(
                            period=period, first=first
                        ),
                        _("keep one row per series and period"),
                        line=line,
                        column=i_period + 1,
                        field="period",
                    )
                    ok = False
                else:
                    seen[(key, period)] = line
            if ok:
                known_keys.add(key)
                return (key, period, value, n, flags, prov, source, row[i_note] if i_note is not None else "")
            return None

        good_append = good.append
        no_dims = not dim_idx
        last_line = reader.line_num
        try:
            for row in reader:
                first_line, last_line = last_line + 1, reader.line_num
                if last_line != first_line:
                    # A quoted field ran over a line break: almost always a quote left open,
                    # which would silently swallow the rows that follow.
                    add(
                        rel,
                        _("the row runs over several lines ({first} to {last}); text fields cannot hold line breaks").format(
                            first=first_line, last=last_line
                        ),
                        _("close any quote left open, and write each row on one line"),
                        line=first_line,
                    )
                    continue
                # Fast path for clean, canonical rows; anything unusual goes through `slow`.
                if len(row) == width:
                    key = () if no_dims else tuple([row[i] for i in dim_idx])
                    period = period_cache.get(row[i_period])
                    prov = row[i_prov]
                    source = row[i_source] if i_source is not None else ""
                    if (
                        period
                        and key in known_keys
                        and prov in _PROVENANCES
                        and (i_flags is None or not row[i_flags])
                        and (i_n is None or not row[i_n])
                        and (not source or source in source_ids)
                        and (source or prov != "published")
                        and (key, period) not in seen
                        and (i_note is None or not _BAD_TEXT.search(row[i_note]))
                    ):
                        raw_value = row[i_value]
                        try:
                            value = float(raw_value)
                        except ValueError:
                            value = None
                        if (
                            value is not None
                            and "_" not in raw_value
                            and raw_value.isascii()
                            and -MAX_ABS_NUMBER < value < MAX_ABS_NUMBER
                            and (lo is None or value >= lo)
                            and (hi is None or value <= hi)
                        ):
                            seen[(key, period)] = reader.line_num
                            good_append((key, period, value, None, "", prov, source, row[i_note] if i_note is not None else ""))
                            continue
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                result = slow(row, reader.line_num)
                if result is not None:
                    good_append(result)
        except csv.Error as exc:
            problems.add(rel, _("CSV error: {error}").format(error=str(exc)), _("check the quoting"), line=reader.line_num)
        except UnicodeDecodeError:
            _bad_utf8(path, rel, problems)
    if good:
        cols = list(zip(*good, strict=True))
        table.keys, table.periods, table.values, table.n = list(cols[0]), list(cols[1]), list(cols[2]), list(cols[3])
        table.flags, table.provenance, table.source, table.note = list(cols[4]), list(cols[5]), list(cols[6]), list(cols[7])
    return table


# --- the package ---------------------------------------------------------------------------


def _readable(path: Path, rel: str, root: Path, problems: _Collector) -> bool:
    """A regular file inside the package folder (`root`, resolved). Anything else (a link out
    of the package, a device, a pipe) is reported and never opened, so its contents cannot
    appear anywhere."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        problems.add(rel, _("the file cannot be opened (a broken link or a link loop)"), _("put a regular file in its place"))
        return False
    if not resolved.is_relative_to(root):
        problems.add(
            rel,
            _("the file is a link to a place outside the package folder; it is not read"),
            _("copy the file into the package instead of linking to it"),
        )
        return False
    if not resolved.is_file():
        problems.add(
            rel,
            _("not a regular file (a device, a pipe or a folder); it is not read"),
            _("put a regular file in its place"),
        )
        return False
    return True


def _misnamed(folder: Path, rel_dir: str, suffix: str, problems: _Collector) -> set[str]:
    """Files of `folder` that look meant to be read but are not (x.yml, x.YAML, x.CSV): each is
    reported, never silently left out. Returns their stems."""
    found: set[str] = set()
    if not folder.is_dir():
        return found
    alike = {".yml", ".yaml"} if suffix == ".yaml" else {suffix}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == suffix or path.suffix.lower() not in alike:
            continue
        found.add(path.stem)
        problems.add(
            f"{rel_dir}/{path.name}",
            _("the file is not read: files in {folder}/ end in {suffix}").format(folder=rel_dir, suffix=suffix),
            _("rename it to {name}").format(name=path.stem + suffix),
        )
    return found


def check_package(root: Path) -> tuple[FrameworkData | None, list[Problem]]:
    """Read and validate everything; return the data (None if any problem) and all problems."""
    root = Path(root)
    problems = _Collector()
    if not root.is_dir():
        problems.add(str(root), _("not a folder"), _("give the path of a framework package folder"))
        return None, problems.finish()
    real_root = root.resolve()

    fw: Framework | None = None
    fw_path = root / FRAMEWORK_FILE
    if not (fw_path.exists() or fw_path.is_symlink()):
        problems.add(FRAMEWORK_FILE, _("the file is missing"), _("every package needs framework.yaml at its root"))
    elif _readable(fw_path, FRAMEWORK_FILE, real_root, problems):
        node = _load_yaml(fw_path, FRAMEWORK_FILE, problems)
        if node is not None:
            fw = _validate_model(Framework, node, FRAMEWORK_FILE, problems)
            if fw is not None:
                _check_framework(fw, node, FRAMEWORK_FILE, problems)

    indicators: dict[str, Indicator] = {}
    misnamed = _misnamed(root / INDICATOR_DIR, INDICATOR_DIR, ".yaml", problems)
    indicator_paths = sorted((root / INDICATOR_DIR).glob("*.yaml")) if (root / INDICATOR_DIR).is_dir() else []
    indicator_files = {p.stem for p in indicator_paths}  # invalid ones too: reported once, in their file
    for path in indicator_paths:
        rel = f"{INDICATOR_DIR}/{path.name}"
        if not _readable(path, rel, real_root, problems):
            continue
        node = _load_yaml(path, rel, problems)
        if node is None:
            continue
        ind = _validate_model(Indicator, node, rel, problems)
        if ind is None:
            continue
        _check_indicator(ind, node, rel, path.stem, fw, problems)
        if ind.id == path.stem:
            indicators[ind.id] = ind

    observations: dict[str, ObservationTable] = {}
    data_dir = root / DATA_DIR
    _misnamed(data_dir, DATA_DIR, ".csv", problems)
    for path in sorted(data_dir.glob("*.csv")) if data_dir.is_dir() else []:
        rel = f"{DATA_DIR}/{path.name}"
        if not _readable(path, rel, real_root, problems):
            continue
        ind = indicators.get(path.stem)
        if ind is None:
            if path.stem not in indicator_files and path.stem not in misnamed:
                problems.add(
                    rel,
                    _("no indicator {id!r} for this data file").format(id=path.stem),
                    _("add indicators/{id}.yaml, or rename the file after an existing indicator").format(id=path.stem),
                )
            continue  # an invalid indicator file was reported already
        table = _read_csv(path, rel, ind, problems)
        if table is not None:
            observations[ind.id] = table

    periods: dict[str, ReportingPeriod] = {}
    _misnamed(root / PERIOD_DIR, PERIOD_DIR, ".yaml", problems)
    for path in sorted((root / PERIOD_DIR).glob("*.yaml")) if (root / PERIOD_DIR).is_dir() else []:
        rel = f"{PERIOD_DIR}/{path.name}"
        if not _readable(path, rel, real_root, problems):
            continue
        node = _load_yaml(path, rel, problems)
        if node is None:
            continue
        per = _validate_model(ReportingPeriod, node, rel, problems)
        if per is None:
            continue
        _check_period(per, node, rel, path.stem, fw, indicator_files | misnamed, problems)
        periods[per.id] = per

    found = problems.finish()
    if found or fw is None:
        return None, found
    return FrameworkData(fw, indicators, observations, periods), found


def read_package(root: Path) -> FrameworkData:
    """The package's data, or `PackageInvalid` listing every problem."""
    data, problems = check_package(root)
    if problems or data is None:
        raise PackageInvalid(problems)
    return data
