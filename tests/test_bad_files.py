"""The bad-file corpus: each file gets a clear refusal in the user's language, naming what is wrong,
and the workspace stays exactly as it was."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from canalyse.importing import files
from canalyse.importing.pipeline import import_file
from tests.conftest import fixture_bytes

X_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
    "Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks\n"
)


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# name → (file name, bytes, words the French message must contain)
CORPUS = {
    "empty": ("vide.csv", b"", ["vide"]),
    "header only (hand-made)": ("bilan.csv", "Réseau;Vues\n".encode(), ["aucune ligne"]),
    "header only (X export)": (
        "account_analytics_content.csv",
        X_HEADER.encode(),
        ["aucune ligne"],
    ),
    "binary": ("image.csv", bytes(range(256)) * 40, ["« image.csv »"]),
    "CSV renamed .xlsx": ("bilan.xlsx", "Réseau;Vues\nFacebook;10\n".encode(), [".csv"]),
    "truncated xlsx": (
        "bilan.xlsx",
        _xlsx([["Réseau", "Vues"], ["Facebook", 10]])[:900],
        ["bilan.xlsx"],
    ),
    "thousands of columns": (
        "large.csv",
        (";".join(f"c{i}" for i in range(3000)) + "\n").encode(),
        ["3"],
    ),
    "words in a metric": (
        "account_analytics_content.csv",
        (
            X_HEADER
            + '1,"Thu, Oct 2, 2025",Texte,https://x.com/a/status/1,mille,1,1,0,0,0,0,0,0,0,0,0,0\n'
        ).encode(),
        ["mille", "Impressions"],
    ),
    "unparseable date": (
        "account_analytics_content.csv",
        (
            X_HEADER
            + "1,le 32 brumaire,Texte,https://x.com/a/status/1,10,1,1,0,0,0,0,0,0,0,0,0,0\n"
        ).encode(),
        ["32 brumaire", "ligne 2"],
    ),
    "hostile headers": (
        "piege.csv",
        b'"=HYPERLINK(""http://x"")";<script>alert(1)</script>;"\'; DROP TABLE facts; --"\n1;2;3\n',
        ["ne reconnaît pas", "<script>"],
    ),
    "zip with no table": ("archive.zip", _zip({"lisez-moi.pdf": b"%PDF-1.4"}), ["lisez-moi.pdf"]),
    "zip with a bad table among good ones": (
        "archive.zip",
        _zip(
            {
                "bon.csv": "Réseau;Vues\nX;1\n".encode(),
                "mauvais.csv": "Réseau;Vues\nX;un\n".encode(),
            }
        ),
        ["mauvais.csv", "« un »"],
    ),
}


def _snapshot(con) -> tuple:
    return (
        con.execute("SELECT * FROM sources ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM facts ORDER BY ALL").fetchall(),
    )


def _summary(con) -> None:
    import_file(con, *fixture_bytes("handmade/bilan_cp1252.csv"))


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_bad_file_is_refused_clearly_and_changes_nothing(prepared, case):
    con = prepared("summary", _summary)
    before = _snapshot(con)
    name, data, words = CORPUS[case]
    started = time.monotonic()
    report = import_file(con, name, data)
    assert time.monotonic() - started < 30
    assert report.status == "error"
    for word in words:
        assert word in report.message, report.message
    assert "Traceback" not in report.message
    assert _snapshot(con) == before
    english = import_file(con, name, data, lang="en")
    assert english.status == "error" and english.message != report.message


def test_a_zip_bomb_is_refused_on_its_declared_size_before_anything_is_read(con, monkeypatch):
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED", 1024 * 1024)
    bomb = _zip({"big.csv": b"0" * (2 * 1024 * 1024)})
    report = import_file(con, "bombe.zip", bomb)
    assert report.status == "error"
    assert "bombe.zip" in report.message
    assert _snapshot(con) == ([], [])


def test_missing_markers_are_not_errors_and_negative_daily_values_are_kept(con):
    data = (
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
        "Reposts,Profile visits,Create Post,Video views,Media views\n"
        '"Tue, Feb 18, 2025",-5,N/A,-,,0,1,2,0,0,0,0,0,0\n'
    )
    report = import_file(con, "account_overview_analytics.csv", data.encode())
    assert report.status == "imported", report.message
    assert report.tables[0].totals["views"] == -5
    assert "reactions" not in report.tables[0].totals


def test_hostile_text_in_titles_is_stored_verbatim(con):
    title = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> '; DROP TABLE facts; --"
    data = (
        X_HEADER
        + f'1,"Thu, Oct 2, 2025","{title}",https://x.com/a/status/1,10,1,1,0,0,0,0,0,0,0,0,0,0\n'
    )
    report = import_file(con, "account_analytics_content.csv", data.encode())
    assert report.status == "imported", report.message
    assert con.execute("SELECT title FROM facts").fetchone()[0] == title
