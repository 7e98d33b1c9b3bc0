"""Meta daily files are the same for Facebook and Instagram: ask which, never guess."""

from __future__ import annotations

import codecs
import io
import json
import zipfile

import pytest

from canalyse.cli import main
from canalyse.importing.pipeline import ImportAnswers, import_file, import_files


def daily(title: str, days: dict[str, int]) -> bytes:
    """A Business Suite daily file as Meta writes it: UTF-16, `sep=,`, a title line."""
    lines = ["sep=,", f'"{title}"', '"Date","Primary"']
    lines += [f'"{day}T00:00:00","{value}"' for day, value in days.items()]
    return codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


VIEWS = daily("Views", {"2025-11-01": 100, "2025-11-02": 50})
REACH = daily("Reach", {"2025-11-01": 80, "2025-11-02": 40})
INSTAGRAM_FOLLOWS = daily("Instagram follows", {"2025-11-01": 3})
FACEBOOK_FOLLOWS = daily("Facebook follows", {"2025-11-01": 2})


def facts(con) -> list[tuple]:
    return con.execute("SELECT platform, sum(views) FROM facts GROUP BY ALL").fetchall()


def answering(network: str) -> ImportAnswers:
    return ImportAnswers(platform=network)


def test_a_daily_file_that_does_not_name_its_network_asks_and_imports_nothing(con):
    report = import_file(con, "Views.csv", VIEWS)
    assert report.status == "question"
    question = report.platform_question
    assert question.choices == ["facebook", "instagram"]
    assert question.suggested is None
    assert "Facebook ou Instagram ?" in question.message
    assert facts(con) == []
    english = import_file(con, "Views.csv", VIEWS, lang="en")
    assert "Facebook or Instagram?" in english.platform_question.message


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("IG VIEWS.csv", "instagram"),
        ("IG_REACH.csv", "instagram"),
        ("Vues Insta.csv", "instagram"),
        ("FB_Views.csv", "facebook"),
        ("Big views.csv", None),
        ("IG vs FB.csv", None),
    ],
)
def test_the_question_preselects_the_network_the_file_name_names(con, name, suggested):
    report = import_file(con, name, VIEWS)
    assert report.platform_question.suggested == suggested
    to_json = report.to_json()
    assert to_json["status"] == "question"
    (question,) = to_json["questions"]
    assert question["kind"] == "platform"
    assert (question["choices"], question["suggested"]) == (["facebook", "instagram"], suggested)


def test_the_answer_files_the_figures_under_that_network_and_says_so(con):
    report = import_file(con, "IG VIEWS.csv", VIEWS, answers=answering("instagram"))
    assert report.status == "imported", report.message
    assert report.tables[0].platform == "instagram"
    assert any("comme vous l'avez indiqué" in note for note in report.tables[0].notes)
    assert facts(con) == [("instagram", 150.0)]


def test_a_title_that_names_the_network_needs_no_answer_and_wins_over_one(con):
    assert import_file(con, "Follows.csv", INSTAGRAM_FOLLOWS).tables[0].platform == "instagram"
    report = import_file(con, "f.csv", FACEBOOK_FOLLOWS, answers=answering("instagram"))
    assert report.tables[0].platform == "facebook"


def test_siblings_of_the_same_upload_preselect_the_network_they_agree_on(con):
    reports = import_files(
        con, [("Views.csv", VIEWS), ("IG_REACH.csv", REACH), ("Follows.csv", INSTAGRAM_FOLLOWS)]
    )
    views, reach, follows = reports
    assert views.platform_question.suggested == "instagram"
    assert "Instagram" in views.platform_question.message
    assert reach.platform_question.suggested == "instagram"
    assert follows.status == "imported"


def test_siblings_that_disagree_preselect_nothing(con):
    reports = import_files(
        con,
        [
            ("Views.csv", VIEWS),
            ("a.csv", INSTAGRAM_FOLLOWS),
            ("b.csv", FACEBOOK_FOLLOWS),
        ],
    )
    assert reports[0].platform_question.suggested is None


def test_a_zip_of_daily_files_asks_once_preselected_from_its_siblings(con):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Views.csv", VIEWS)
        archive.writestr("Follows.csv", INSTAGRAM_FOLLOWS)
    report = import_file(con, "export.zip", buffer.getvalue())
    assert report.platform_question.suggested == "instagram"
    assert facts(con) == []
    answered = import_file(con, "export.zip", buffer.getvalue(), answers=answering("instagram"))
    assert [t.platform for t in answered.tables] == ["instagram", "instagram"]


def test_the_command_line_refuses_with_the_question_then_takes_platform(capsys, db_path, tmp_path):
    path = tmp_path / "Views.csv"
    path.write_bytes(VIEWS)
    code = main(["import", str(path), "--db", str(db_path), "--json"])
    (report,) = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["status"] == "question"
    (question,) = report["questions"]
    assert "Facebook ou Instagram ?" in question["message"]
    assert question["choices"] == ["facebook", "instagram"]
    code = main(["import", str(path), "--db", str(db_path)])
    assert code == 1
    assert "--platform facebook ou --platform instagram" in capsys.readouterr().err
    code = main(["import", str(path), "--db", str(db_path), "--json", "--platform", "facebook"])
    (report,) = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["status"] == "imported" and report["platform"] == "facebook"
