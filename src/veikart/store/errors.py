"""The store's user-facing error, importable without loading the database layer."""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """A problem with the store the user can act on (wrong URL, not initialised, ...).

    `template` is an English msgid of the message catalogue and `args` its placeholders, so
    the command line can show it in the user's language; str() gives the English text."""

    def __init__(self, template: str, **args: object):
        self.template, self.args_ = template, args
        super().__init__(template.format(**args))

    def translated(self) -> str:
        from veikart.i18n import _

        return _(self.template).format(**self.args_)
