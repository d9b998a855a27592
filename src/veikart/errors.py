"""The one error tree of Veikart: every problem a user can act on is a `VeikartError`.

A front end (the command line, the web app) catches `VeikartError` alone and shows
`exc.translated()`; nothing below it writes a message of its own. Each error carries an English
message template (a msgid of the message catalogue, docs/i18n.md) and its arguments, written
where the error is raised, so the message is translated when it is shown, in the reader's
language. `str(exc)` is the English text.

    VeikartError                     base: template + arguments, translated when shown
    ├── UsageError                   a command's or request's own input: a date, a period, a format
    ├── StoreError                   veikart.store.errors: URL, schema, locks, a damaged store
    ├── PackageInvalid               veikart.package.problems: a package's problems, each with its place
    ├── TargetNotEmpty               veikart.package.problems: an export folder that is not a package
    ├── ExportError                  veikart.opendata.export: the open-data export
    ├── NotAnOpenSdgRepository       veikart.opensdg.exporter: an export folder that is not a repository
    └── QueryError                   veikart.web.queries: a request's bad parameter (HTTP 400)
        └── NotFound                 nothing public by that name (HTTP 404)

This module imports nothing of Veikart at import time (the catalogue loads when a message is
translated), so every room may raise these errors.
"""

from __future__ import annotations

__all__ = ["UsageError", "VeikartError"]


class VeikartError(Exception):
    """A problem the user can act on.

    `template` is an English msgid of the message catalogue with named placeholders, `args_`
    its values. `bare` errors are shown as they are (a list of problems); others after
    "Error:"."""

    bare = False

    def __init__(self, template: str, **args: object):
        self.template, self.args_ = template, args
        super().__init__(template.format(**args))

    def translated(self) -> str:
        """The message in the current language (veikart.i18n.set_language)."""
        from veikart.i18n import _

        return _(self.template).format(**self.args_)


class UsageError(VeikartError):
    """A front end's input that names nothing that exists or cannot be read: an --as-of that is
    not a date, a period not in the framework, an unknown output format."""
