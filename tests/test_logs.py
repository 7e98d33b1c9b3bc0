"""What went wrong reaches the log, the traceback included, while the user reads the same words as
before; nothing is configured until an entry point asks."""

from __future__ import annotations

import logging

import pytest

from canalyse import logs, store
from canalyse.cli import main
from canalyse.importing import pipeline
from canalyse.importing.pipeline import import_file


def test_an_unexpected_error_in_an_import_is_logged_with_its_traceback(con, monkeypatch, caplog):
    def broken(name, data, workdir):
        raise KeyError("sheet")

    monkeypatch.setattr(pipeline, "read_tables", broken)
    with caplog.at_level(logging.ERROR, logger="canalyse"):
        report = import_file(con, "bilan.csv", b"Reseau;Vues\nX;1\n")
    # The user's message is as it was: the kind of error, no traceback.
    assert report.error_key == "import.error.unexpected"
    assert "KeyError" in report.message and "Traceback" not in report.message
    (record,) = caplog.records
    assert record.name == "canalyse.importing.pipeline" and "bilan.csv" in record.getMessage()
    assert record.exc_info[0] is KeyError


def test_the_package_prints_nothing_of_its_own_without_an_entry_point():
    handlers = logging.getLogger("canalyse").handlers
    assert [type(handler) for handler in handlers] == [logging.NullHandler]


@pytest.mark.parametrize(
    ("verbose", "variable", "level"),
    [(False, "", None), (True, "", "DEBUG"), (False, "info", "INFO"), (False, "loud", None)],
)
def test_the_level_comes_from_verbose_or_canalyse_log(monkeypatch, verbose, variable, level):
    monkeypatch.setenv(logs.LEVEL_VARIABLE, variable)
    assert logs.requested_level(verbose) == level


def test_the_command_line_logs_only_when_asked(monkeypatch, db_path, capsys):
    store.connect(db_path).close()
    monkeypatch.delenv(logs.LEVEL_VARIABLE, raising=False)
    configured = []
    monkeypatch.setattr(logs, "configure", configured.append)
    assert main(["report", "--db", str(db_path), "--json"]) == 0
    assert configured == []
    assert main(["report", "--db", str(db_path), "--json", "--verbose"]) == 0
    assert configured == ["DEBUG"]
