"""The application layer: one set of use cases that every front end calls.

The command line (veikart.cli) builds an `AppContext` per command, the web app one per process;
both call the same functions with the same results, and catch one error class,
`veikart.errors.VeikartError`. Front ends parse, call and present; they hold no rule of their own.

    from veikart.app import AppContext, framework, progress
    with AppContext(db_url="sqlite:///x.sqlite", actor="ola", lang="nb") as ctx:
        framework.init_store(ctx)
        results = progress.assess(ctx, period="2026-01").results

Modules, one per group of use cases: `framework` (init, import, export, validate, load,
summary), `progress` (assessments, records, backtests), `audit`, `report`, `opendata`,
`opensdg`. Each loads its heavy dependencies inside the functions that need them.
"""

from veikart.app.context import AppContext, default_actor, default_db_url, parse_as_of

__all__ = ["AppContext", "default_actor", "default_db_url", "parse_as_of"]
