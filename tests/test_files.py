"""read_tables: every way an export reaches us (encodings, separators, workbooks, zips) and refusals."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pytest

from canalyse.errors import ImportRefused
from canalyse.i18n import t
from canalyse.importing import files
from canalyse.importing.files import read_tables


def grid(data: bytes, name: str = "export.csv") -> list[list[object]]:
    """The cells of the only table in the file, as lists."""
    result = read_tables(name, data)
    assert len(result.tables) == 1
    return result.tables[0].cells.values.tolist()


def refusal(name: str, data: bytes) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read_tables(name, data)
    # Every refusal must be explainable in both languages with the parameters it carries.
    for lang in ("fr", "en"):
        assert caught.value.message(lang)
    return caught.value


def workbook(**sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def archive(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buffer.getvalue()


# --- Text files ----------------------------------------------------------------------------------


def test_plain_csv_is_a_grid_of_strings_with_empty_strings_for_blanks():
    cells = read_tables("a.csv", b"Date,Views,Reach\n2025-01-01,12,\n").tables[0].cells
    assert cells.values.tolist() == [["Date", "Views", "Reach"], ["2025-01-01", "12", ""]]
    assert list(cells.columns) == [0, 1, 2]
    assert all(dtype is np.dtype(object) for dtype in cells.dtypes)


def test_table_is_named_after_the_file():
    assert read_tables("Views.csv", b"a,b\n1,2\n").tables[0].name == "Views.csv"
    assert read_tables("Views.csv", b"a,b\n1,2\n").skipped == []


def test_utf8_bom_is_removed_from_the_first_cell():
    data = codecs.BOM_UTF8 + b'"Post ID","Views"\n"1","5"\n'
    assert grid(data) == [["Post ID", "Views"], ["1", "5"]]


def test_utf16_meta_file_with_sep_line_is_read():
    text = (
        'sep=,\n"Views"\n"Date","Primary"\n"2025-03-01T01:00:00","12"\n"2025-03-02T00:00:00","7"\n'
    )
    data = codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")
    assert grid(data, "Views.csv") == [
        ["Views", ""],
        ["Date", "Primary"],
        ["2025-03-01T01:00:00", "12"],
        ["2025-03-02T00:00:00", "7"],
    ]


def test_utf16_big_endian_with_bom_is_read():
    data = codecs.BOM_UTF16_BE + "Réseau;Vues\nX;3\n".encode("utf-16-be")
    assert grid(data) == [
        ["Réseau", "Vues"],
        ["X", "3"],
    ]


def test_utf16_without_bom_is_recognised_by_its_nul_bytes():
    assert grid("Réseau,Vues\nX,3\n".encode("utf-16-le")) == [["Réseau", "Vues"], ["X", "3"]]


def test_cp1252_file_resaved_by_excel_keeps_its_accents():
    data = "Réseau;Vues;Coût (€)\nFacebook;1 200;35,5\n".encode("cp1252")
    assert grid(data) == [["Réseau", "Vues", "Coût (€)"], ["Facebook", "1 200", "35,5"]]


def test_semicolon_separator_wins_over_decimal_commas():
    data = b"Date;Vues;Taux\n01/02/2025;1 234;12,5\n02/02/2025;987;3,25\n"
    assert grid(data) == [
        ["Date", "Vues", "Taux"],
        ["01/02/2025", "1 234", "12,5"],
        ["02/02/2025", "987", "3,25"],
    ]


def test_tab_separated_file_is_read():
    assert grid(b"Date\tViews\n2025-01-01\t3\n", "data.tsv") == [
        ["Date", "Views"],
        ["2025-01-01", "3"],
    ]


def test_pipe_separated_file_is_read():
    assert grid(b"Date|Views\n2025-01-01|3\n") == [["Date", "Views"], ["2025-01-01", "3"]]


@pytest.mark.parametrize(
    ("line", "separator"), [("sep=;", ";"), ("sep=\t", "\t"), ("sep=\\t", "\t")]
)
def test_sep_line_sets_the_separator_and_is_dropped(line, separator):
    # Commas in the body would win the sniffing: only the sep line makes this file read right.
    body = separator.join(["a,b", "c,d"]) + "\n" + separator.join(["1,5", "2,5"]) + "\n"
    assert grid(f"{line}\n{body}".encode()) == [["a,b", "c,d"], ["1,5", "2,5"]]


def test_separators_inside_quotes_do_not_count():
    data = b'Post text;Views\n"Hello; world, again";3\n"Bye; now";4\n'
    assert grid(data) == [["Post text", "Views"], ["Hello; world, again", "3"], ["Bye; now", "4"]]


def test_title_rows_above_the_header_are_kept_in_the_grid():
    data = b"Company page analytics\nExported on 2025-02-01\nDate,Views,Clicks\n2025-01-01,3,1\n"
    assert grid(data) == [
        ["Company page analytics", "", ""],
        ["Exported on 2025-02-01", "", ""],
        ["Date", "Views", "Clicks"],
        ["2025-01-01", "3", "1"],
    ]


def test_a_line_wider_than_the_first_lines_widens_the_grid():
    lines = ["Date,Views"] + [f"2025-01-{i % 28 + 1:02d},{i}" for i in range(300)] + ["x,1,extra"]
    cells = read_tables("a.csv", "\n".join(lines).encode()).tables[0].cells
    assert cells.shape == (302, 3)
    assert cells.iloc[-1].tolist() == ["x", "1", "extra"]
    assert cells.iloc[0].tolist() == ["Date", "Views", ""]


def test_crlf_and_bare_cr_line_ends_are_normalised():
    assert grid(b"a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]]
    assert grid(b"a,b\r1,2\r") == [["a", "b"], ["1", "2"]]


def test_file_without_trailing_newline_is_read():
    assert grid(b'Date,Impressions\n"Tue, Feb 18, 2025",12') == [
        ["Date", "Impressions"],
        ["Tue, Feb 18, 2025", "12"],
    ]


def test_header_only_file_is_not_an_error():
    assert grid(b"Date,Views\n") == [["Date", "Views"]]


def test_single_column_file_is_one_column():
    assert grid(b"Date\n2025-01-01\n2025-01-02\n") == [["Date"], ["2025-01-01"], ["2025-01-02"]]


def test_records_wrapped_by_a_broken_excel_round_trip_are_unwrapped():
    data = b'"Post ID,""Account ID"",""Views"""\n"17,""42"",""1 200"""\n"18,""42"",""7"""\n'
    assert grid(data) == [
        ["Post ID", "Account ID", "Views"],
        ["17", "42", "1 200"],
        ["18", "42", "7"],
    ]


def test_repairing_wrapped_records_is_said_in_the_table_notes():
    data = b'"Post ID,""Views"""\n"17,""1 200"""\n'
    (table,) = read_tables("export.csv", data).tables
    assert table.notes == [("import.note.unwrapped_records", {})]
    assert read_tables("export.csv", b"Post ID,Views\n17,3\n").tables[0].notes == []


def test_lines_wrapped_only_where_they_held_a_quote_are_unwrapped_with_bare_lines_kept():
    # A spreadsheet wrapped each line holding a quote and left the others bare: a caption over
    # three lines, its middle line bare and holding a comma.
    original = (
        'Post ID,"Account ID",Description,Views\n'
        '17,"42","Le ""Thabor"" en fleurs\nbare line, with a comma\n\nend",1200\n'
        '18,"42",Plain,7\n'
    )
    damaged = "".join(
        ('"' + line.replace('"', '""') + '"' if '"' in line else line) + "\n"
        for line in original.splitlines()
    )
    assert grid(damaged.encode()) == [
        ["Post ID", "Account ID", "Description", "Views"],
        ["17", "42", 'Le "Thabor" en fleurs\nbare line, with a comma\n\nend', "1200"],
        ["18", "42", "Plain", "7"],
    ]


def test_ordinary_quoted_fields_are_not_mistaken_for_wrapped_lines():
    data = b'"Date","Primary"\n"2025-01-01","3"\n"Views, total"\n'
    assert grid(data)[0] == ["Date", "Primary"]


def test_long_quoted_captions_full_of_commas_do_not_hide_a_semicolon_separator():
    # A French Excel save: `;` between fields, captions of many lines full of commas and `;`, so
    # long that the first lines of the file end inside the first caption.
    caption = "\n".join(f"Ligne {k} : concerts, ateliers ; scène ouverte, 18 h" for k in range(80))
    rows = [["Identifiant", "Description", "Vues"]] + [[str(n), caption, str(n)] for n in range(3)]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    cells = grid(out.getvalue().encode("cp1252"))
    assert cells[0] == ["Identifiant", "Description", "Vues"]
    assert [row[2] for row in cells[1:]] == ["0", "1", "2"]


def test_quoted_single_column_is_not_mistaken_for_wrapped_records():
    assert grid(b'"Post text"\n"Hello, world"\n') == [["Post text"], ["Hello, world"]]


def test_unclosed_quote_is_refused_as_malformed():
    lines = ["a,b"] + ["1,2"] * 10 + ['3,"never closed', "4,5"]
    assert refusal("a.csv", "\n".join(lines).encode()).key == "import.error.malformed_text"


# --- Workbooks -----------------------------------------------------------------------------------


def test_xlsx_sheets_become_tables_and_empty_sheets_are_skipped():
    data = workbook(
        Metrics=[["Description of the metrics"], ["Date", "Views"], [dt.date(2025, 1, 2), 12]],
        Empty=[],
        Posts=[["Title", "Clicks", "Rate"], ["Hello", None, 0.5]],
    )
    tables = read_tables("linkedin.xlsx", data).tables
    assert [table.name for table in tables] == ["linkedin.xlsx › Metrics", "linkedin.xlsx › Posts"]
    metrics, posts = (table.cells.values.tolist() for table in tables)
    assert metrics == [
        ["Description of the metrics", ""],
        ["Date", "Views"],
        [dt.datetime(2025, 1, 2), 12],
    ]
    assert posts == [["Title", "Clicks", "Rate"], ["Hello", "", 0.5]]


def test_xlsx_is_recognised_by_content_whatever_its_name():
    data = workbook(Sheet=[["a", "b"], [1, 2]])
    assert read_tables("download.bin", data).tables[0].name == "download.bin › Sheet"


def test_truncated_xlsx_is_refused_as_corrupt():
    data = workbook(Sheet=[["a", "b"], [1, 2]])
    assert refusal("cut.xlsx", data[: len(data) // 2]).key == "import.error.corrupt_workbook"


def test_xlsx_with_a_damaged_part_is_refused_as_corrupt():
    data = archive({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml"})
    assert refusal("broken.xlsx", data).key == "import.error.corrupt_workbook"


def test_ole_file_that_is_not_a_spreadsheet_is_refused_as_corrupt():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    assert refusal("old.xls", data).key == "import.error.corrupt_workbook"


def test_password_protected_office_file_is_refused_as_encrypted():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le")
    assert refusal("secret.xlsx", data).key == "import.error.encrypted_workbook"


def test_csv_renamed_to_xlsx_is_refused_with_advice():
    refused = refusal("x.xlsx", b"Date,Views\n2025-01-01,3\n")
    assert refused.key == "import.error.renamed_text"
    assert refused.params == {"file": "x.xlsx", "ext": ".xlsx"}
    assert "Renommez-le en .csv" in t(refused.key, "fr", **refused.params)


SPREADSHEETML = (
    '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
    '<Worksheet ss:Name="Key Metrics"><Table>'
    '<Row><Cell><Data ss:Type="String">Post ID</Data></Cell>'
    '<Cell><Data ss:Type="String">Posted</Data></Cell>'
    '<Cell><Data ss:Type="String">Impressions</Data></Cell></Row>'
    '<Row><Cell ss:Index="3"><Data ss:Type="String">(Total Count)</Data></Cell></Row>'
    '<Row><Cell><Data ss:Type="String">1_2 &amp; co</Data></Cell>'
    '<Cell><Data ss:Type="DateTime">2020-07-14T10:00:00.000</Data></Cell>'
    '<Cell ss:MergeAcross="1"><Data ss:Type="Number">12</Data></Cell></Row>'
    "</Table></Worksheet>"
    '<Worksheet ss:Name="Empty"><Table></Table></Worksheet></Workbook>'
)


def test_xml_spreadsheet_2003_named_xls_is_read_sheet_by_sheet():
    (table,) = read_tables("Facebook Posts Q2.xls", SPREADSHEETML.encode()).tables
    assert table.name == "Facebook Posts Q2.xls › Key Metrics"
    assert table.cells.values.tolist() == [
        ["Post ID", "Posted", "Impressions", ""],
        ["", "", "(Total Count)", ""],
        ["1_2 & co", dt.datetime(2020, 7, 14, 10), 12.0, ""],
    ]


def test_xml_spreadsheet_declaring_entities_is_refused():
    data = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + SPREADSHEETML[22:]
    assert refusal("Posts.xls", data.encode()).key == "import.error.markup"


def test_damaged_xml_spreadsheet_is_refused_as_corrupt():
    assert refusal("Posts.xls", SPREADSHEETML[:300].encode()).key == "import.error.corrupt_workbook"


def test_html_table_saved_as_xls_is_refused_as_markup():
    data = b"<html><body><table><tr><td>Date</td></tr></table></body></html>"
    assert refusal("linkedin.xls", data).key == "import.error.markup"


# --- Zip archives --------------------------------------------------------------------------------


def test_zip_tables_are_read_and_other_entries_skipped_and_named():
    data = archive(
        {
            "Table data.csv": b"Content,Views\nTotal,10\nabc,10\n",
            "Chart data.csv": b"Date,Views\n2025-01-01,10\n",
            "readme.pdf": b"%PDF-1.4",
            "__MACOSX/._Table data.csv": b"\x00\x05",
            ".DS_Store": b"\x00\x00",
            "sub/": b"",
        }
    )
    result = read_tables("Content 2025.zip", data)
    assert [table.name for table in result.tables] == [
        "Content 2025.zip › Table data.csv",
        "Content 2025.zip › Chart data.csv",
    ]
    assert result.tables[0].cells.values.tolist() == [
        ["Content", "Views"],
        ["Total", "10"],
        ["abc", "10"],
    ]
    assert result.skipped == ["readme.pdf"]


def test_zip_entries_are_decoded_each_with_their_own_encoding():
    data = archive(
        {
            "Overview.CSV": codecs.BOM_UTF8 + b'"Date","Likes"\n"February 1","3"\n',
            "Réseaux.csv": "Réseau;Vues\nX;1\n".encode("cp1252"),
        }
    )
    tables = read_tables("tiktok.zip", data).tables
    assert tables[0].cells.values.tolist() == [["Date", "Likes"], ["February 1", "3"]]
    assert tables[1].cells.values.tolist() == [["Réseau", "Vues"], ["X", "1"]]


def test_workbook_inside_a_zip_is_named_by_archive_entry_and_sheet():
    data = archive(
        {"stats/linkedin.xlsx": workbook(Metrics=[["Date", "Views"], ["01/02/2025", 3]])}
    )
    (table,) = read_tables("all.zip", data).tables
    assert table.name == "all.zip › stats/linkedin.xlsx › Metrics"


def test_nested_zip_is_read_one_level_deep():
    inner = archive({"Totals.csv": b"Date,Views\n2025-01-01,1\n"})
    deeper = archive({"deep.zip": archive({"x.csv": b"a,b\n"})})
    result = read_tables(
        "outer.zip", archive({"inner.zip": inner, "deeper.zip": deeper, "y.csv": b"a\n"})
    )
    names = [table.name for table in result.tables]
    assert names == ["outer.zip › inner.zip › Totals.csv", "outer.zip › y.csv"]
    assert result.skipped == ["deeper.zip › deep.zip"]


def test_empty_entry_in_a_zip_is_skipped_not_refused():
    result = read_tables("a.zip", archive({"empty.csv": b"", "full.csv": b"a,b\n1,2\n"}))
    assert [table.name for table in result.tables] == ["a.zip › full.csv"]
    assert result.skipped == ["empty.csv"]


def test_zip_without_any_table_is_refused_and_names_what_it_holds():
    refused = refusal("photos.zip", archive({"a.png": b"\x89PNG", "notes.docx": b"PK"}))
    assert refused.key == "import.error.no_table_in_zip"
    assert refused.params["skipped"] == "a.png, notes.docx"


def test_zip_declaring_more_than_the_limit_is_refused_before_extracting(monkeypatch):
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED", 1024 * 1024)
    data = archive({"zeros.csv": b"0," * (1024 * 1024)})
    reads = []
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *args: reads.append(args))
    refused = refusal("bomb.zip", data)
    assert refused.key == "import.error.zip_too_large"
    assert refused.params["size_mb"] == 2
    assert reads == []


def test_zip_entry_compressed_beyond_any_real_export_is_refused(monkeypatch):
    monkeypatch.setattr(files, "RATIO_CHECK_MIN_SIZE", 1024)
    data = archive({"zeros.csv": bytes(2 * 1024 * 1024)})
    assert refusal("bomb.zip", data).key == "import.error.zip_too_large"


def test_truncated_zip_is_refused_as_corrupt():
    data = archive({"a.csv": b"a,b\n1,2\n" * 100})
    assert refusal("cut.zip", data[:40]).key == "import.error.corrupt_zip"


def test_password_protected_zip_entry_is_refused():
    data = bytearray(archive({"a.csv": b"a,b\n1,2\n"}))
    # Set the "encrypted" flag in both the local and the central header of the only entry.
    for offset in (6, data.index(b"PK\x01\x02") + 8):
        data[offset] |= 0x1
    assert refusal("secret.zip", bytes(data)).key == "import.error.encrypted_zip"


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\t\n", codecs.BOM_UTF16_LE + "\n \n".encode("utf-16-le")]
)
def test_empty_file_is_refused(data):
    refused = refusal("empty.csv", data)
    assert refused.key == "import.error.empty"
    assert refused.params == {"file": "empty.csv"}


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x00\x01\x02\x03garbage\x00\x00\x00\xff\xfe\x00" * 200,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary_content_is_refused(data):
    assert refusal("export.csv", data).key == "import.error.binary"


def test_too_many_columns_is_refused():
    header = ",".join(f"c{i}" for i in range(files.MAX_COLUMNS + 1))
    refused = refusal("wide.csv", f"{header}\n".encode())
    assert refused.key == "import.error.too_many_columns"
    assert refused.params["count"] == 2001


def test_exactly_the_maximum_number_of_columns_is_accepted():
    header = ",".join(f"c{i}" for i in range(files.MAX_COLUMNS))
    assert read_tables("wide.csv", f"{header}\n".encode()).tables[0].cells.shape == (1, 2000)


def test_file_holding_only_a_sep_line_is_empty():
    assert refusal("Views.csv", b"sep=,\r\n").key == "import.error.empty"


def test_sep_line_declaring_an_unusable_separator_is_dropped_and_the_separator_sniffed():
    assert grid("sep=é\na;b\n1;2\n".encode()) == [["a", "b"], ["1", "2"]]
