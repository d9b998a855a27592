"""The corpus of broken framework packages under tests/package/broken/, shared by the tests here.

Each folder `broken/<NN-name>/` holds only the files that differ from tests/fixtures/minimal
(same relative paths; an empty `<path>.delete` deletes that file from the base) plus
`expect.yaml`:

```yaml
xfail: "..."          # optional: a known bug in src/; the check is marked xfail(strict=True)
import_xfail: "..."   # optional: read_package does not raise PackageInvalid (crash or accepted)
errors:               # every error the validator must report, and no others
  - file: indicators/andel-digital.yaml
    line: 12          # 1-based; `null` asserts that the problem has no line; omitted: not asserted
    column: 3         # omitted: not asserted
    field: ambitions[0].deadline   # omitted: not asserted
    message: "is after the framework's horizon"   # substring of the English message
    hint: "..."       # optional substring of the English fix hint
cascade:              # optional: reported today only because another file is invalid (known bug)
  - {file: ..., line: ..., message: ...}
```

One more package, `error-cap`, is generated here rather than committed: a data file with 150
bad rows, to test the cap of MAX_PROBLEMS_PER_FILE problems per file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from veikart.package.problems import Problem

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
MINIMAL = HERE.parent / "fixtures" / "minimal"
EXPECT = "expect.yaml"
DELETE_SUFFIX = ".delete"

#: The generated package: how many bad rows its data file has.
CAP_ROWS = 150
CAP_HEADER = "period,value,n,flags,provenance,source,note\n"


@dataclass(frozen=True)
class Expected:
    file: str
    message: str
    line: int | None | object = ...  # ... = not asserted
    column: int | None | object = ...
    field: str | None | object = ...
    hint: str | None = None

    @classmethod
    def from_yaml(cls, raw: dict[str, Any]) -> Expected:
        unknown = set(raw) - {"file", "message", "line", "column", "field", "hint"}
        assert not unknown, f"unknown keys in expect.yaml: {unknown}"
        return cls(
            file=raw["file"],
            message=raw["message"],
            line=raw.get("line", ...),
            column=raw.get("column", ...),
            field=raw.get("field", ...),
            hint=raw.get("hint"),
        )

    def matches(self, p: Problem) -> bool:
        return (
            p.file == self.file
            and self.message in p.message
            and (self.line is ... or p.line == self.line)
            and (self.column is ... or p.column == self.column)
            and (self.field is ... or p.field == self.field)
            and (self.hint is None or (p.hint is not None and self.hint in p.hint))
        )

    @property
    def location(self) -> str:
        """The start of the line `veikart validate` prints for this error ("file:line:col")."""
        loc = self.file
        if isinstance(self.line, int):
            loc += f":{self.line}"
            if isinstance(self.column, int):
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        parts = [self.file]
        for name in ("line", "column", "field"):
            value = getattr(self, name)
            if value is not ...:
                parts.append(f"{name}={value}")
        return " ".join(parts) + f": ...{self.message}..."


@dataclass(frozen=True)
class Case:
    name: str
    errors: list[Expected]
    cascade: list[Expected] = field(default_factory=list)
    xfail: str | None = None
    import_xfail: str | None = None
    build: Callable[[Path], None] | None = None  # writes the overlay into a copy of minimal

    def materialise(self, target: Path) -> Path:
        """minimal + this case's overlay, in `target` (which must not exist yet)."""
        shutil.copytree(MINIMAL, target)
        if self.build is not None:
            self.build(target)
            return target
        overlay = BROKEN / self.name
        for src in sorted(overlay.rglob("*")):
            if src.is_dir() or src.relative_to(overlay).as_posix() == EXPECT:
                continue
            rel = src.relative_to(overlay).as_posix()
            if rel.endswith(DELETE_SUFFIX):
                victim = target / rel[: -len(DELETE_SUFFIX)]
                assert victim.is_file(), f"{self.name}: {rel} deletes a file the base does not have"
                victim.unlink()
            else:
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target / rel)
        return target


def _load_case(folder: Path) -> Case:
    raw = YAML(typ="safe").load((folder / EXPECT).read_text(encoding="utf-8"))
    unknown = set(raw) - {"errors", "cascade", "xfail", "import_xfail"}
    assert not unknown, f"{folder.name}: unknown keys in expect.yaml: {unknown}"
    assert raw.get("errors"), f"{folder.name}: expect.yaml lists no errors"
    return Case(
        name=folder.name,
        errors=[Expected.from_yaml(e) for e in raw["errors"]],
        cascade=[Expected.from_yaml(e) for e in raw.get("cascade") or []],
        xfail=raw.get("xfail"),
        import_xfail=raw.get("import_xfail"),
    )


def _write_cap(target: Path) -> None:
    rows = "".join(f"{2000 + i // 4}-Q{i % 4 + 1},abc,,,seed,,\n" for i in range(CAP_ROWS))
    (target / "data" / "ventetid.csv").write_text(CAP_HEADER + rows, encoding="utf-8")


#: The generated package (see the module docstring). Its expectations are checked in
#: test_error_cap; here only the first problem is listed so generic tests can use it.
CAP_CASE = Case(
    name="error-cap",
    errors=[Expected("data/ventetid.csv", "value 'abc' is not a number", line=2, column=2, field="value")],
    build=_write_cap,
)


def committed_cases() -> list[Case]:
    return [_load_case(d) for d in sorted(BROKEN.iterdir()) if d.is_dir()]


def all_cases() -> list[Case]:
    return [*committed_cases(), CAP_CASE]


def unmatched(expected: list[Expected], problems: list[Problem]) -> tuple[list[Expected], list[Problem]]:
    """Pair each expectation with a distinct problem; return what is left on either side."""
    left = list(problems)
    missing: list[Expected] = []
    for exp in expected:
        hit = next((p for p in left if exp.matches(p)), None)
        if hit is None:
            missing.append(exp)
        else:
            left.remove(hit)
    return missing, left


def describe(problems: list[Problem]) -> str:
    return "\n".join(
        f"  {p.file} line={p.line} column={p.column} field={p.field}: {p.message}  [hint: {p.hint}]"
        for p in problems
    ) or "  (none)"
