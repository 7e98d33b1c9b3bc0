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


class PlatformQuestion(ImportRefused):
    """A file whose network cannot be known from its content: the user must say which.

    Nothing is imported until the question is answered (the Import page asks it, the command
    line takes `--platform`). `choices` are platform ids; `suggested` is the one the file's name
    or its siblings point to, if any, for the page to pre-select — never an answer in itself.
    """

    KEY = "import.question.platform"

    def __init__(self, file: str, choices: tuple[str, ...], suggested: str | None) -> None:
        super().__init__(self.KEY, file=file)
        self.file = file
        self.choices = choices
        self.suggested = suggested

    def message(self, lang: str) -> str:
        from canalyse.i18n import t
        from canalyse.platforms import label

        names = t("import.question.or", lang).join(label(choice) for choice in self.choices)
        text = t(self.KEY, lang, file=self.file, choices=names)
        if self.suggested:
            text += " " + t("import.question.suggested", lang, platform=label(self.suggested))
        return text
