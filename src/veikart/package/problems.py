"""Problems found in a framework package: where (file, line, column, field), what, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from veikart.i18n import _

__all__ = ["Problem", "PackageInvalid", "format_problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # path relative to the package root, with forward slashes
    message: str  # already translated
    hint: str | None = None  # already translated
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # dotted path such as ambitions[0].deadline, or a CSV column

    @property
    def location(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({_('fix')}: {self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.field or "")


class PackageInvalid(Exception):
    """A package failed validation; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems]
    count = len(problems)
    lines.append(_("{count} error(s) found; nothing was stored.").format(count=count))
    return "\n".join(lines)
