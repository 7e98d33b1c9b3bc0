"""Unknown layouts: the user maps columns once, and files with the same header import on their own."""

from __future__ import annotations

import io

import openpyxl

from canalyse import store
from canalyse.importing import mapping
from canalyse.importing.files import read_tables
from canalyse.importing.pipeline import import_file

UNKNOWN = (
    "Rapport hebdomadaire — outil maison\n"
    "Jour;Affichages;Clics;Lien\n"
    "01/03/2025;1 000;10;https://exemple.fr/a\n"
    "02/03/2025;2 500;15;https://exemple.fr/b\n"
).encode()


def test_an_unknown_layout_is_refused_naming_the_columns_seen(con):
    report = import_file(con, "rapport.csv", UNKNOWN)
    assert report.status == "error"
    assert report.error_key == "import.error.unrecognised"
    assert "« Affichages »" in report.message and "« Jour »" in report.message


def test_a_saved_mapping_imports_the_file_and_the_next_one_with_the_same_header(con):
    table = read_tables("rapport.csv", UNKNOWN).tables[0]
    header_row = mapping.header_row_guess(table)
    assert mapping.headers_at(table, header_row)[:2] == ["Jour", "Affichages"]
    chosen = mapping.ColumnMapping(
        platform="linkedin",
        grain="day",
        date="Jour",
        metrics={"views": "Affichages", "clicks": "Clics"},
    )
    mapping.save(con, table, header_row, chosen)
    first = import_file(con, "rapport.csv", UNKNOWN)
    assert first.status == "imported", first.message
    assert first.tables[0].layout == mapping.LAYOUT_ID
    assert first.tables[0].totals == {"views": 3500, "clicks": 25}
    assert first.tables[0].platform == "linkedin"
    later = UNKNOWN.replace(b"01/03/2025;1 000", b"03/03/2025;4 000")
    second = import_file(con, "rapport_semaine_2.csv", later)
    assert second.status == "imported", second.message
    assert second.tables[0].date_min.isoformat() == "2025-03-02"


def test_mappings_survive_reopening_the_workspace(db_path):
    con = store.connect(db_path)
    table = read_tables("rapport.csv", UNKNOWN).tables[0]
    chosen = mapping.ColumnMapping(
        platform="x", grain="day", date="Jour", metrics={"views": "Affichages"}
    )
    mapping.save(con, table, 1, chosen)
    con.close()
    con = store.connect(db_path)
    assert [layout.platform for layout in mapping.remembered_layouts(con)] == ["x"]
    con.close()


def test_sheets_that_are_not_figures_are_skipped_and_named_when_others_are(con):
    book = openpyxl.Workbook()
    book.active.title = "Bilan"
    book.active.append(["Réseau", "Vues"])
    book.active.append(["Facebook", 100])
    notes = book.create_sheet("Notes")
    notes.append(["Ce classeur a été préparé par le service communication."])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(con, "bilan.xlsx", buffer.getvalue())
    assert report.status == "imported", report.message
    assert [table.rows for table in report.tables] == [1]
    assert any("Notes" in name for name in report.skipped)


def test_the_form_answers_become_a_mapping_with_one_column_per_metric():
    labels = {name: label for label, name in mapping.metric_choices("fr").items()}
    chosen = mapping.from_form(
        "x",
        "post",
        "Jour",
        {"Affichages": labels["views"], "Vues vidéo": labels["views"], "Clics": None},
        "fr",
        key="Lien",
    )
    assert chosen.metrics == {"views": "Affichages"}
    assert chosen.key == "Lien" and chosen.grain == "post"


def test_docs_mapping_is_up_to_date_with_the_layouts():
    from canalyse.output.docs import DOC, render_mapping

    assert DOC.read_text(encoding="utf-8") == render_mapping(), (
        "docs/mapping.md is stale: run `uv run python -m canalyse.output.docs`"
    )


def test_metrics_given_to_hand_made_columns_are_not_taken_for_export_mappings(con):
    mapping.remember_columns(con, "handmade:reseau|vues|posts", {"posts": "clicks"})
    assert mapping.remembered_layouts(con) == []
    assert mapping.remembered_columns(con) == {"handmade:reseau|vues|posts": {"posts": "clicks"}}
