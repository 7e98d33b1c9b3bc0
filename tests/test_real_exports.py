"""The 47 analytics exports real account owners published, against their independent answer key.

The corpus lives outside the repository (`../shared/real/`, or $CANALYSE_REAL_EXPORTS) and is
never copied into it: its `expected.json` gives, per file, the platform, grain, dates, rows and
totals a careful reading finds, and its EXPECTED.md the relations between files. Files whose
name carries a collection prefix (`owner__`, `koe-<commit>_`) are imported under the name their
owner kept. Without the corpus these tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from canalyse import store
from canalyse.importing.pipeline import ANY_NETWORK, FileReport, ImportAnswers, import_file
from canalyse.queries import run
from tests.conftest import fresh_workspace

REAL = Path(
    os.environ.get("CANALYSE_REAL_EXPORTS")
    or Path(__file__).resolve().parents[1].parent / "shared" / "real"
)
_COLLECTION_PREFIX = re.compile(r"^(?:[^_]+__|koe-[0-9a-f]+_)")
# How the key's grains read in Canalyse: a per-video table over an unstated period is stored as
# posts on their publish day (or as a period when its zip names it).
_GRAINS = {"post": {"post"}, "day": {"day"}, "period-total": {"post", "period"}}
# Platforms where Canalyse counts the export's impressions as its views.
_IMPRESSIONS_ARE_VIEWS = {"x", "linkedin", "facebook"}
# The user's answer to « quelle année ? » for htupycollabs' yearless files: the first day
# (February 28) is in 2025, as the video ids of its sibling Content.csv show.
_YEARS = {"htupycollabs": 2025}
# The account a collection owner's files are, as the handles in their own posts' links name it.
_ACCOUNTS = {"vsbperoto": "vintagerest.bg", "htupycollabs": "haileytupy2.0"}
# The imports of each owner's files in the workspace being filled (the user knows their files).
_IMPORTED: dict[str, set[int]] = {}


def _key() -> list[dict]:
    if not (REAL / "expected.json").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real export corpus is missing at {REAL} (CI=true)")
        pytest.skip(f"the real export corpus is not at {REAL} (set CANALYSE_REAL_EXPORTS)")
    return json.loads((REAL / "expected.json").read_text(encoding="utf-8"))


def _entries() -> list[dict]:
    try:
        return json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
    except OSError:
        return [{"file": "(corpus missing)"}]


ENTRIES = _entries()


def original_name(path: str) -> str:
    """The name the file's owner kept: the collection prefix, if any, removed."""
    return _COLLECTION_PREFIX.sub("", Path(path).name)


def _owner(path: str) -> str:
    found = re.match(r"^([^_]+)__", Path(path).name)
    return found.group(1) if found else ""


def import_real(con, entry: dict) -> FileReport:
    """Import a corpus file as a user would, answering the questions asked as the key says.

    « Facebook ou Instagram ? »: the network the key gives (the user knows their page), after
    checking the pre-selection does not point elsewhere. « À quel compte ? »: the collection
    owner's account when it is among the choices (a restaurant's daily files and its posts are
    one account), else another account. Repeated figures: keep both imports (the same figure
    under the same key counts once anyway, the newest winning).
    """
    data = (REAL / entry["file"]).read_bytes()
    name = original_name(entry["file"])
    year = _YEARS.get(_owner(entry["file"]))
    answers = ImportAnswers()
    if entry["platform"] == "youtube":
        # No YouTube file here names its channel: a user importing several channels' files names
        # each in the Import form's « Compte » field.
        answers.accounts[ANY_NETWORK] = _owner(entry["file"])
    report = import_file(con, name, data, year=year, answers=answers)
    while report.status == "question":
        for question in report.questions:
            if question.kind == "platform":
                assert question.suggested in (None, entry["platform"]), question.message
                answers.platform = entry["platform"]
            elif question.kind == "account":
                owner = _ACCOUNTS.get(_owner(entry["file"]), "")
                answers.accounts[question.platform] = owner if owner in question.choices else ""
                # Only the owner's own earlier files are this account's.
                answers.attribute[question.platform] = [
                    source for source in question.sources if source in _IMPORTED.get(owner, ())
                ]
            else:
                answers.repeated = "keep"
        report = import_file(con, name, data, year=year, answers=answers)
    if report.source_id is not None:
        _IMPORTED.setdefault(_ACCOUNTS.get(_owner(entry["file"]), ""), set()).add(report.source_id)
    return report


def views_by_platform(con) -> dict[str, float]:
    totals = run(
        con, "platform_totals", start=None, end=None, platforms=None, campaign=None, accounts=None
    )
    return {row.platform: row.views for row in totals.itertuples() if row.views == row.views}


@pytest.fixture
def workspace(tmp_path, workspace_template):
    _key()
    _IMPORTED.clear()
    connection = fresh_workspace(workspace_template, tmp_path / "workspace.duckdb")
    yield connection
    connection.close()


# --- One file at a time ----------------------------------------------------------------------------


def _refused_naming_what_it_is(report: FileReport, entry: dict) -> None:
    assert report.status == "error", report.message
    assert original_name(entry["file"]) in report.message
    assert report.error_key != "import.error.unrecognised", report.message


def _month_day(value) -> str:
    return value.isoformat()[4:] if value else None


def _check_totals(tables: list, expected: dict, platform: str) -> None:
    """The key's totals for a file, found in whichever of its tables gives each metric (old
    Insights workbooks spread a post's figures over sheets)."""
    totals: dict[str, float] = {}
    for table in tables:
        totals = {**table.totals, **totals}
    for metric, value in expected.items():
        name = "views" if metric == "impressions" and platform in _IMPRESSIONS_ARE_VIEWS else metric
        assert totals.get(name) == pytest.approx(value, rel=1e-9, abs=1e-6), (metric, totals)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_each_real_export_is_imported_or_refused_as_its_answer_key_says(workspace, entry):
    report = import_real(workspace, entry)
    if entry["verdict"] == "refuse":
        _refused_naming_what_it_is(report, entry)
        assert "fichier d'audience TikTok" in report.message
        assert "pas de chiffres de portée" in report.message
        return
    if report.status == "error" and "refuse" in entry.get("alt_verdict", ""):
        _refused_naming_what_it_is(report, entry)
        return
    assert report.status == "imported", report.message
    tables = [t for t in report.tables if t.grain in _GRAINS[entry["grain"]]]
    main = max(tables, key=lambda t: (t.rows == entry["rows"], len(t.totals)))
    assert main.platform == entry["platform"]
    assert main.rows == entry["rows"]
    if entry["date_min"]:
        if entry["date_min"].startswith("--"):
            assert (_month_day(main.date_min), _month_day(main.date_max)) == (
                entry["date_min"][1:],
                entry["date_max"][1:],
            )
        else:
            assert main.date_min.isoformat() == entry["date_min"]
            assert main.date_max.isoformat() == entry["date_max"]
    _check_totals([main, *tables], entry["totals"], entry["platform"])
    if entry["views"] is None:
        # Reach (or video views) must never be relabelled as views.
        assert "views" not in main.totals
    if "posts_rows" in entry:
        (posts,) = [t for t in report.tables if t.grain == "post"]
        assert posts.rows == entry["posts_distinct"]
        _check_totals([posts], entry["posts_totals"], entry["platform"])
    if "empty publish time" in entry.get("date_note", ""):
        assert any("sans date" in note for note in main.notes), main.notes
    if any("wrapped" in quirk or "quoted field" in quirk for quirk in entry["quirks"]):
        assert any("réparé" in note for note in main.notes), main.notes
    # Within the file too, nothing counts twice (LinkedIn's two sheets, Insights' sheets).
    expected_views = entry["views"]
    assert views_by_platform(workspace).get(entry["platform"]) == (
        pytest.approx(expected_views) if expected_views is not None else None
    )


# --- Files that repeat or overlap one another -------------------------------------------------------


def _import_all(con, *names: str) -> None:
    by_file = {entry["file"]: entry for entry in _key()}
    for name in names:
        report = import_real(con, by_file[name])
        assert report.status in ("imported", "error"), report.message


def test_two_downloads_of_the_same_x_account_count_each_day_once_the_newest_winning(workspace):
    _import_all(
        workspace,
        "x/koe-60873b8_account_overview_analytics.csv",
        "x/koe-6a5996c_account_overview_analytics.csv",
    )
    # Aug 19-26: the newer download's revised Aug 24 (14,795) replaces the older 5,866.
    assert views_by_platform(workspace) == {"x": pytest.approx(24_770)}


@pytest.mark.parametrize(
    ("day_series", "posts", "views"),
    [
        (
            "x/daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv",
            "x/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv",
            1_639_423,
        ),
        (
            "x/kaiadevintern_account_overview_analytics.csv",
            "x/kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv",
            184_942,
        ),
        (
            "x/Wormhole__account_overview_analytics.csv",
            "x/account_analytics_content_2024-11-21_2025-02-19.csv",
            9_699,
        ),
    ],
)
def test_an_accounts_day_series_and_its_posts_are_not_added(workspace, day_series, posts, views):
    _import_all(workspace, posts, day_series)
    assert views_by_platform(workspace) == {"x": pytest.approx(views)}


def test_youtube_totals_chart_data_and_table_data_by_country_are_never_added(workspace):
    _import_all(
        workspace,
        "youtube/CodingTrain__Chart data.csv",
        "youtube/CodingTrain__Table data.csv",
        "youtube/CodingTrain__Totals.csv",
    )
    # The channel's daily totals win over the countries, which miss views of unknown country.
    assert views_by_platform(workspace) == {"youtube": pytest.approx(15_503_810)}


def test_the_same_tiktok_days_as_csv_and_as_xlsx_count_once(workspace):
    _import_all(workspace, "tiktok/BossZY27__Overview.csv", "tiktok/BossZY27__Overview.xlsx")
    assert views_by_platform(workspace) == {"tiktok": pytest.approx(7_919)}


def test_a_tiktok_accounts_days_videos_and_audience_files_count_once(workspace):
    _import_all(
        workspace,
        "tiktok/vsbperoto__TIKTOK_RAW.csv",
        "tiktok/vsbperoto__TIKTOK_AUDIENCE_RAW.csv",
        "tiktok/vsbperoto__TIKTOK_VIDEO_RAW.csv",
    )
    (row,) = run(
        workspace, "platform_totals", start=None, end=None, platforms=None, campaign=None,
        accounts=None,
    ).itertuples()  # fmt: skip
    assert (row.views, row.reach, row.followers_gained) == (521_491, 505_414, 409)


def test_a_tiktok_studio_export_counts_its_days_not_its_videos_again(workspace):
    _import_all(
        workspace,
        "tiktok/htupycollabs__Overview.csv",
        "tiktok/htupycollabs__Content.csv",
        "tiktok/htupycollabs__Viewers.csv",
        "tiktok/htupycollabs__FollowerHistory.csv",
    )
    (row,) = run(
        workspace, "platform_totals", start=None, end=None, platforms=None, campaign=None,
        accounts=None,
    ).itertuples()  # fmt: skip
    assert (row.views, row.reach, row.followers_total) == (2_946_198, 2_550_981, 5_013)


def test_a_restaurants_meta_files_give_each_network_its_own_days(workspace):
    _import_all(
        workspace,
        "meta/vsbperoto__IG VIEWS.csv",
        "meta/vsbperoto__IG_REACH.csv",
        "meta/vsbperoto__IG_FOLLOWS.csv",
        "meta/vsbperoto__Views.csv",
        "meta/Oct-31-2025_Dec-30-2025_1664278361210560.csv",
    )
    assert views_by_platform(workspace) == {
        "facebook": pytest.approx(761_454),
        "instagram": pytest.approx(496_243),
    }


def test_instagram_posts_do_not_add_to_the_accounts_day_series(workspace):
    _import_all(workspace, "meta/vsbperoto__IG VIEWS.csv", "meta/vsbperoto__INSTAGRAM_RAW.csv")
    # INSTAGRAM_RAW's posts lie inside the day series, its two collaborations and its row without
    # a publish day (Meta's « error computing metadata ») too: they are the account's.
    assert views_by_platform(workspace)["instagram"] == pytest.approx(496_243)


# --- The whole corpus in one workspace ---------------------------------------------------------------

# Views per platform after de-duplication, from the answer key (EXPECTED.md).
CORPUS_VIEWS = {
    # rOpenSci posts 110,828 + 199,256 + 85,120; LisaDeBruine days 428,246 + 1,639,423 (its
    # August posts not added); kaiadevintern days 184,942; Wormhole days 9,699; koe 24,770;
    # the two 2026 post files of an unnamed account 25,433 + 8,338.
    "x": 2_716_055,
    # Views.csv days 761,454 + the 2025 posts' 0 + the 2020 Insights impressions 50,773; the
    # 2024 post export and the video export have no views.
    "facebook": 812_227,
    # IG VIEWS days; INSTAGRAM_RAW's posts lie inside them.
    "instagram": 496_243,
    # leaf-space days 211,342 + pro-efficient days 306 (their All posts sheets not added).
    "linkedin": 211_648,
    # Six channels' per-video tables 97,001 + 46,333 + 61,503 + 2,649,669 + 92,015 + 11, and
    # CodingTrain's Totals.csv 15,503,810 (its country tables never added).
    "youtube": 18_450_342,
    # htupycollabs days 2,946,198 + BossZY27 7,919 (once) + francovelardez44 9 + vsbperoto
    # days 521,491 (videos inside them not added).
    "tiktok": 3_475_617,
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    _key()
    _IMPORTED.clear()
    con = store.connect(tmp_path_factory.mktemp("corpus") / "workspace.duckdb")
    for entry in ENTRIES:
        import_real(con, entry)
    yield views_by_platform(con)
    con.close()


@pytest.mark.parametrize("platform", sorted(CORPUS_VIEWS))
def test_the_whole_corpus_counts_each_platforms_views_once(corpus, platform):
    assert corpus.get(platform) == pytest.approx(CORPUS_VIEWS[platform])
