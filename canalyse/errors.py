"""Errors that reach the user: each carries a catalog key and parameters, never a traceback."""

from __future__ import annotations


class CanalyseError(Exception):
    """A failure explained to the user by the catalog message `key`, filled with `params`."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        from canalyse.i18n import t

        return t(self.key, lang, **self.params)


class ImportRefused(CanalyseError):
    """A file that cannot be imported; nothing from it is stored."""
