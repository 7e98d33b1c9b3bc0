"""Hand-made tables in French and English, in every encoding and layout variant users produce."""

from __future__ import annotations

import pytest

from canalyse import store
from canalyse.importing import mapping
from canalyse.importing.pipeline import import_file, reimport_file
from tests.conftest import fixture_bytes

RENNES = {"facebook": 740_000, "linkedin": 496_000, "instagram": 296_000, "x": 150_000}

# file → (platforms, grain, rows, date_min, date_max, totals)
CASES = {
    "bilan_crue_fr_pointvirgule.csv": (
        set(RENNES),
        "period",
        4,
        None,
        None,
        {"views": 1_682_000, "spend": 1_500.5, "staff_hours": 30},
    ),
    "campaign_summary_en_comma.csv": (
        set(RENNES),
        "period",
        4,
        None,
        None,
        {"views": 1_682_000, "spend": 1_500.5, "staff_hours": 30},
    ),
    "bilan_titre_total.xlsx": (
        set(RENNES),
        "period",
        4,
        None,
        None,
        {"views": 1_682_000, "spend": 1_500.5, "staff_hours": 30},
    ),
    "summary_en.xlsx": (
        {"facebook", "youtube"},
        "period",
        2,
        None,
        None,
        {"views": 792_000, "staff_hours": 16.5},
    ),
    "bilan_unicode_tab.txt": (
        {"facebook", "linkedin"},
        "period",
        2,
        None,
        None,
        {"views": 1_236_000, "staff_hours": 20.5},
    ),
    "bilan_cp1252.csv": (
        {"instagram", "x"},
        "period",
        2,
        None,
        None,
        {"views": 446_000, "spend": 300},
    ),
    "mensuel_bom.csv": (
        {"facebook", "linkedin"},
        "period",
        4,
        "2025-01-01",
        "2025-02-28",
        {"views": 390_000, "staff_hours": 32},
    ),
    "monthly_ad_spend_eur.csv": (
        {"facebook", "instagram"},
        "period",
        4,
        "2025-01-01",
        "2025-02-28",
        {"views": 390_000, "spend": 800, "staff_hours": 32.5},
    ),
    "bilan_rennes_sponsorise.csv": (
        {"facebook", "linkedin"},
        "period",
        2,
        None,
        None,
        {"views": 1_236_000, "spend": 1_500.5, "staff_hours": 20.5},
    ),
    "daily_en.csv": (
        {"x", "bluesky"},
        "day",
        4,
        "2025-01-20",
        "2025-01-21",
        {"views": 1_800, "engagements": 73},
    ),
}


@pytest.mark.parametrize("file_name", sorted(CASES))
def test_hand_made_table_is_recognised_with_its_totals(con, file_name):
    platforms, grain, rows, date_min, date_max, totals = CASES[file_name]
    report = import_file(con, *fixture_bytes(f"handmade/{file_name}"))
    assert report.status == "imported", report.message
    (table,) = report.tables
    assert table.layout == "handmade"
    assert table.grain == grain
    assert table.rows == rows
    assert (table.date_min.isoformat() if table.date_min else None) == date_min
    assert (table.date_max.isoformat() if table.date_max else None) == date_max
    assert set(table.totals) == set(totals)
    for metric, expected in totals.items():
        assert table.totals[metric] == pytest.approx(expected), metric
    stored = con.execute("SELECT DISTINCT platform FROM facts").fetchall()
    assert {p for (p,) in stored} == platforms


def test_total_row_is_left_out_and_checked_against_the_sum(con):
    report = import_file(con, *fixture_bytes("handmade/bilan_crue_fr_pointvirgule.csv"))
    assert any("correspond bien" in note for note in report.tables[0].notes)


def test_total_row_that_disagrees_is_reported(con):
    data = "Réseau;Vues\nFacebook;100\nX;50\nTotal;160\n".encode()
    report = import_file(con, "faux_total.csv", data)
    assert report.status == "imported"
    assert report.tables[0].totals["views"] == 150
    assert any("ne correspond pas" in note for note in report.tables[0].notes)


@pytest.mark.parametrize(
    ("written", "platform"),
    [
        ("Twitter", "x"),
        ("X (ex-Twitter)", "x"),
        ("FB", "facebook"),
        ("Insta", "instagram"),
        ("Page Facebook", "facebook"),
        ("YouTube", "youtube"),
        ("tik tok", "tiktok"),
    ],
)
def test_platform_names_are_normalised(con, written, platform):
    report = import_file(con, "t.csv", f"Réseau;Vues\n{written};10\n".encode())
    assert report.status == "imported", report.message
    assert report.tables[0].platform == platform


def test_unknown_platform_is_refused_naming_the_row(con):
    report = import_file(con, "t.csv", "Réseau;Vues\nFacebook;10\nMinitel;5\n".encode())
    assert report.status == "error"
    assert "ligne 3" in report.message and "Minitel" in report.message


def test_a_word_in_a_number_column_is_refused_naming_the_cell(con):
    report = import_file(con, "t.csv", "Réseau;Vues\nFacebook;beaucoup\n".encode())
    assert report.status == "error"
    assert "ligne 2" in report.message and "« Vues »" in report.message
    assert "beaucoup" in report.message


def test_refusals_speak_english_when_asked(con):
    report = import_file(con, "t.csv", b"Platform,Views\nFacebook,lots\n", lang="en")
    assert report.status == "error"
    assert "should hold a number" in report.message and "row 2" in report.message


def test_missing_markers_are_missing_not_zero(con):
    report = import_file(con, "t.csv", "Réseau;Vues;Budget\nFacebook;10;N/A\nX;-;5\n".encode())
    assert report.status == "imported", report.message
    assert report.tables[0].totals == {"views": 10, "spend": 5}


def test_the_same_platform_twice_for_the_same_period_is_refused(con):
    report = import_file(con, "t.csv", "Réseau;Vues\nFacebook;10\nFB;5\n".encode())
    assert report.status == "error"
    assert "2, 3" in report.message


def test_a_table_without_a_platform_column_is_refused_naming_what_was_seen(con):
    report = import_file(con, "t.csv", b"Nom;Valeur\nA;1\n")
    assert report.status == "error"
    assert "« Nom »" in report.message and "Réseau" in report.message


def test_thousands_and_minutes_written_in_the_header_scale_the_figures(con):
    data = "Réseau;Vues (milliers);Budget (k€);Temps (min)\nFacebook;740;1,5;90\n".encode()
    report = import_file(con, "t.csv", data)
    assert report.status == "imported", report.message
    assert report.tables[0].totals == {"views": 740_000, "spend": 1_500, "staff_hours": 1.5}


def test_computed_share_columns_are_ignored_and_named(con):
    data = "Réseau;Vues;Part des vues\nFacebook;740;44 %\nX;150;9 %\n".encode()
    report = import_file(con, "t.csv", data)
    assert report.status == "imported", report.message
    assert any("Part des vues" in note for note in report.tables[0].notes)


def test_campaign_tag_applies_when_the_file_has_no_campaign_column(con):
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"), campaign="Crue 2025")
    assert con.execute("SELECT DISTINCT campaign FROM facts").fetchall() == [("Crue 2025",)]


def test_hostile_text_is_stored_verbatim(con):
    data = 'Réseau;Compte;Vues\nFacebook;"=HYPERLINK(""x"");<b>DROP TABLE facts;--";10\n'.encode()
    report = import_file(con, "t.csv", data)
    assert report.status == "imported", report.message
    (account,) = con.execute("SELECT account FROM facts").fetchone()
    assert account == '=HYPERLINK("x");<b>DROP TABLE facts;--'


@pytest.mark.parametrize(
    ("header", "cell", "metric", "value"),
    [
        ("ad_spend_eur", "120.5", "spend", 120.5),
        ("Budget sponsorisé (€)", "1 200,50", "spend", 1200.5),
        ("cout_total_keur", "1,5", "spend", 1500),
        ("staff_hours", "7.5", "staff_hours", 7.5),
        ("temps (min)", "90", "staff_hours", 1.5),
        ("Temps de travail des agents", "4", "staff_hours", 4),
        ("Heures de visionnage", "12", "watch_time_hours", 12),
        ("Vues vidéos", "300", "video_views", 300),
        ("NOMBRE_DE_VUES", "1000", "views", 1000),
    ],
)
def test_headers_are_matched_on_their_words_not_their_spelling(con, header, cell, metric, value):
    data = f"Réseau;{header}\nFacebook;{cell}\n".encode()
    report = import_file(con, "t.csv", data)
    assert report.status == "imported", report.message
    assert report.tables[0].totals == {metric: pytest.approx(value)}


@pytest.mark.parametrize("header", ["engagement_rate_pct", "Coût par clic", "cpm_eur"])
def test_rates_are_ignored_however_they_are_written(con, header):
    report = import_file(con, "t.csv", f"Réseau;Vues;{header}\nFacebook;10;2,5\n".encode())
    assert report.status == "imported", report.message
    assert report.tables[0].totals == {"views": 10}
    assert report.tables[0].unused_numeric == []


def test_an_unused_column_of_figures_is_offered_for_mapping(con):
    report = import_file(con, *fixture_bytes("handmade/monthly_ad_spend_eur.csv"))
    (table,) = report.tables
    assert table.unused_numeric == ["posts_published"]
    assert any("posts_published" in note for note in table.notes)


def test_a_metric_given_to_an_unused_column_is_imported_and_remembered(con):
    name, data = fixture_bytes("handmade/monthly_ad_spend_eur.csv")
    first = import_file(con, name, data)
    mapping.remember_columns(con, first.tables[0].columns_key, {"posts_published": "clicks"})
    again = reimport_file(con, first.source_id, name, data)
    assert again.status == "imported", again.message
    assert again.tables[0].totals["clicks"] == 40
    assert again.tables[0].unused_numeric == []
    assert store.list_sources(con)["source_id"].tolist() == [again.source_id]
    # Another table with the same header row gets the column without being asked.
    later = data.decode().replace("2025-0", "2026-0").encode()
    assert import_file(con, "monthly_2026.csv", later).tables[0].totals["clicks"] == 40


def test_importing_again_a_file_that_is_now_refused_keeps_the_earlier_import(con):
    first = import_file(con, "t.csv", b"Platform,Views\nFacebook,10\n")
    report = reimport_file(con, first.source_id, "t.csv", b"Platform,Views\nFacebook,lots\n")
    assert report.status == "error"
    assert store.list_sources(con)["source_id"].tolist() == [first.source_id]


def test_a_hand_made_table_repaired_from_wrapped_lines_says_so(con):
    data = '"Réseau;""Vues"""\n"Facebook;""1 200"""\n'.encode()
    report = import_file(con, "t.csv", data)
    assert report.status == "imported", report.message
    assert report.tables[0].totals == {"views": 1200}
    assert any("réparé" in note for note in report.tables[0].notes)
