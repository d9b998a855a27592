"""Problems found in a framework package: where (file, line, column, field), what, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from veikart.errors import VeikartError
from veikart.i18n import N_, _

__all__ = ["PackageInvalid", "Problem", "TargetNotEmpty", "format_problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # path relative to the package root, with forward slashes
    message: str  # already translated
    hint: str | None = None  # already translated
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # dotted path such as ambitions[0].deadline, or a CSV column
    hidden: int = 0  # > 0: this line stands for that many further problems not shown

    @property
    def location(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        if self.hidden:
            return f"{self.file}: {self.message}"
        text = f"{self.location}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({_('fix')}: {self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, int, str]:
        # Per file: problems with a line in line order, then those without one, then "N more".
        line = self.line if self.line is not None else 10**12
        return (self.file, 1 if self.hidden else 0, line, self.column or 0, self.field or "")


class PackageInvalid(VeikartError):
    """A package failed validation; nothing was stored. Shown bare: every problem with its
    place, then the count."""

    bare = True

    def __init__(self, problems: list[Problem], *, stored: bool = True):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.stored = stored
        super().__init__("{problems}", problems="\n".join(map(str, self.problems)))

    def translated(self) -> str:
        return format_problems(self.problems, stored=self.stored)


def format_problems(problems: list[Problem], *, stored: bool = True) -> str:
    """Every problem on its own line, then the total (counting those not shown).
    `stored=True` says that nothing was stored (import); False is for validation alone."""
    ordered = sorted(problems, key=Problem.sort_key)
    lines = [str(p) for p in ordered]
    count = sum(p.hidden or 1 for p in ordered)
    if stored:
        lines.append(_("{count} error(s) found; nothing was stored.").format(count=count))
    else:
        lines.append(_("{count} error(s) found.").format(count=count))
    return "\n".join(lines)


class TargetNotEmpty(VeikartError):
    """The export folder holds other things than a package; we never overwrite those."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(
            N_("{path} is not empty and is not a framework package; choose a new or empty folder"), path=path
        )
