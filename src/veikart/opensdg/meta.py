"""Read Open SDG metadata: meta/<id>.md (YAML front matter between --- lines), meta/<id>.yml and
indicator-config/<id>.yml, and the repository's config_data.yml."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from veikart.i18n import _
from veikart.package.yaml_guard import GuardedLoader

__all__ = ["Meta", "load_yaml_text", "read_meta_file"]

AddProblem = Callable[..., None]



# The C loader where PyYAML was built with libyaml: a base only known at run time
class _Loader(GuardedLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's C loader where it is built in. Open SDG reads metadata with PyYAML too, so values
    mean here what they mean there (YAML 1.1: yes/no are booleans, 2023-05-10 is a date; of a
    key written twice the last wins, and is reported). Alias bombs are refused (yaml_guard)."""

    note_duplicates = True

_TOP_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:")


@dataclass
class Meta:
    """The merged metadata of one indicator, with where each top-level key was written."""

    rel: str  # the first file read, relative to the repository root
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (file, line)
    body: bool = False  # a Markdown body follows the front matter
    texts: dict[str, tuple[str, int]] = field(default_factory=dict)  # file -> (YAML text, line offset)

    def where(self, key: str) -> tuple[str, int | None]:
        """File and line of a top-level key (the first file if the key is not written)."""
        return self.lines.get(key, (self.rel, None))

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """The line of a nested node, e.g. ("progress_calculation_options", 1, "limit"); the
        nearest enclosing node's line when the path goes no further. Parsed again (with node
        positions) only when asked, which is when there is a problem to place."""
        file, line = self.where(str(path[0]))
        text, offset = self.texts.get(file, ("", 0))
        if not text:
            return line
        try:
            node = yaml.compose(text, Loader=_Loader)  # a safe loader
        except yaml.YAMLError:
            return line
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == step:
                        child, line = v, k.start_mark.line + 1 + offset
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = node.value[step]
                line = child.start_mark.line + 1 + offset
            if child is None:
                break
            node = child
        return line

    def merge(self, other: Meta) -> None:
        self.data.update(other.data)
        self.lines.update(other.lines)
        self.texts.update(other.texts)
        self.body = self.body or other.body


def load_yaml_text(text: str, rel: str, add: AddProblem, line_offset: int = 0) -> Any:
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        add(
            rel,
            _("YAML syntax error: {problem}; the metadata of this file was not read").format(problem=problem),
            getattr(exc, "hint", None) or _("check indentation, colons and quotes around this place"),
            line=(mark.line + 1 + line_offset) if mark is not None else None,
            column=(mark.column + 1) if mark is not None else None,
        )
        return None
    finally:
        loader.dispose()
    for key, mark in getattr(loader, "duplicates", []):
        add(
            rel,
            _("the key {key!r} is written twice in one mapping; the last one is used").format(key=key),
            _("keep one of the two"),
            line=mark.line + 1 + line_offset,
            column=mark.column + 1,
        )
    return data


def _key_lines(lines: list[str], rel: str, offset: int) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for i, line in enumerate(lines):
        if m := _TOP_KEY.match(line):
            found.setdefault(m[1], (rel, i + 1 + offset))
    return found


def read_meta_file(path: Path, rel: str, add: AddProblem) -> Meta:
    """One metadata file. Problems (unreadable file, no front matter, YAML errors, not a
    mapping) are reported; the result then holds what could be read (possibly nothing)."""
    meta = Meta(rel)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        add(rel, _("cannot read the file: {error}").format(error=exc.strerror), None)
        return meta
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        add(rel, _("the file is not UTF-8; it was read as Windows-1252"), _("save the file as UTF-8"))
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    offset = 0
    if path.suffix.lower() == ".md":
        start = next((i for i, line in enumerate(lines) if line.strip()), None)
        end = None
        if start is not None and lines[start].strip() == "---":
            end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if start is None or end is None:
            add(
                rel,
                _("no YAML front matter: the metadata must stand between two lines of ---"),
                _("begin the file with a line ---, then the fields, then another line ---"),
                line=1,
            )
            return meta
        meta.body = any(line.strip() for line in lines[end + 1 :])
        offset = start + 1
        lines = lines[start + 1 : end]
    yaml_text = "\n".join(lines)
    data = load_yaml_text(yaml_text, rel, add, offset)
    if data is None:
        return meta
    if not isinstance(data, dict):
        add(
            rel,
            _("the metadata is a {kind}, not a set of fields").format(kind=type(data).__name__),
            _("write key: value lines"),
            line=offset + 1,
        )
        return meta
    meta.data = {str(k): v for k, v in data.items()}
    meta.lines = _key_lines(lines, rel, offset)
    meta.texts[rel] = (yaml_text, offset)
    return meta
