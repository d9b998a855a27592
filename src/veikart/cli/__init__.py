"""The `veikart` command line (Typer + Rich): a thin front end over veikart.app.

Each command parses its options, opens an application context, calls one use case and prints
the result. One module per group of commands; `_common` holds the app, the global options,
the consoles and the one error handler. Heavy modules load inside the commands that use them.
"""

from __future__ import annotations

from importlib import import_module

from veikart.cli._common import app

#: The command modules, in the order `veikart --help` lists their commands; each registers its
#: commands on `app` when imported.
COMMAND_MODULES = ("framework", "progress", "report", "audit", "opensdg", "opendata", "web")
for _name in COMMAND_MODULES:
    import_module(f"veikart.cli.{_name}")

__all__ = ["COMMAND_MODULES", "app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
