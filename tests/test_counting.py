"""Counting each figure once, per network and account: the cases that lost or doubled real figures.

Every expected total is worked out by hand in the comment above it.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest

from canalyse import queries, store
from canalyse.filters import Filters
from canalyse.importing.pipeline import ImportAnswers, import_file
from canalyse.metrics import METRICS
from canalyse.samples import example_files
from canalyse.store import counting
from tests.conftest import fixture_bytes

FACEBOOK_POSTS = "exports/meta/Apr-01-2025_Apr-30-2025_104526198765432.csv"
X_DAILY = "exports/x/daily_tweet_activity_metrics_rennes_20211101_20211201_en.csv"
X_POSTS = "exports/x/tweet_activity_metrics_rennes_20211101_20211201_en.csv"


def _total(con, metric: str = "views", **filters) -> float:
    totals = queries.run(con, "platform_totals", **Filters(**filters).params())
    return totals[metric].sum(min_count=1)


def _imported(report) -> None:
    assert report.status == "imported", report.message


def _set_aside(con) -> list[tuple]:
    rows = queries.run(con, "set_aside", **Filters().params())
    return [
        (r.platform, r.account, r.kind, r.reason, int(r.rows), r.views)
        for r in rows.itertuples(index=False)
    ]


# ---- Several accounts on one network -----------------------------------------------------------------


def test_a_day_of_another_account_does_not_erase_the_posts_of_the_first(con):
    # « Ville de Rennes »: posts of 2 April (700 views) and 17 April (300).
    _imported(import_file(con, *fixture_bytes(FACEBOOK_POSTS)))
    daily = "Date;Réseau;Compte;Vues\n2025-04-02;Facebook;Autre page;10\n"
    _imported(import_file(con, "autre_page.csv", daily.encode()))
    # Each account counts on its own: 700 + 300 + 10.
    assert _total(con) == 1010
    assert _set_aside(con) == []


def test_a_day_series_sets_aside_the_posts_of_its_own_account_only(con):
    _imported(import_file(con, *fixture_bytes(FACEBOOK_POSTS)))
    daily = (
        "Date;Réseau;Compte;Vues\n2025-04-02;Facebook;Ville de Rennes;900\n"
        "2025-04-02;Facebook;Autre page;10\n"
    )
    _imported(import_file(con, "jours.csv", daily.encode()))
    # Ville de Rennes: its day series (900) replaces its post of 2 April (700); the post of
    # 17 April (300) stays. Autre page: 10. Total 900 + 300 + 10.
    assert _total(con) == 1210
    assert _set_aside(con) == [("facebook", "Ville de Rennes", "post", "account_days", 1, 700.0)]


# ---- A partly covered month ---------------------------------------------------------------------------

MONTH = "Mois;Réseau;Compte;Vues\nnovembre 2021;X;rennes;9000\n"
POST_5_NOVEMBER = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions"\n'
    '"9","https://twitter.com/rennes/status/9","Le 5","2021-11-05 10:00 +0000","500.0"\n'
)


def test_a_month_partly_covered_by_days_is_kept_and_what_is_inside_it_is_set_aside(con):
    _imported(import_file(con, "mois.csv", MONTH.encode()))
    _imported(
        import_file(
            con, "tweet_activity_metrics_rennes_20211105_20211106_en.csv", POST_5_NOVEMBER.encode()
        )
    )
    # The daily export holds 28–30 November only (1 500 + 300 + 2 000 = 3 800).
    _imported(import_file(con, *fixture_bytes(X_DAILY)))
    # The month stands: 9 000. The three days (3 800) and the post (500) are inside it.
    assert _total(con) == 9000
    assert _set_aside(con) == [
        ("x", "rennes", "day", "inside_period", 3, 3800.0),
        ("x", "rennes", "post", "inside_period", 1, 500.0),
    ]


def test_a_month_whose_every_day_comes_as_a_day_series_gives_way_to_it(con):
    _imported(import_file(con, "mois.csv", MONTH.encode()))
    lines = ["Date;Réseau;Compte;Vues"] + [
        f"{date(2021, 11, 1) + timedelta(days=n)};X;rennes;100" for n in range(30)
    ]
    _imported(import_file(con, "jours.csv", "\n".join(lines).encode()))
    # 30 days × 100 = 3 000 replace the typed 9 000.
    assert _total(con) == 3000
    assert _set_aside(con) == [("x", "rennes", "period", "days_cover_period", 1, 9000.0)]


def test_hours_typed_for_a_month_stay_when_a_day_series_of_views_covers_it(con):
    typed = "Mois;Réseau;Compte;Vues;Heures\nnovembre 2021;X;rennes;9000;12\n"
    _imported(import_file(con, "mois.csv", typed.encode()))
    lines = ["Date;Réseau;Compte;Vues"] + [
        f"{date(2021, 11, 1) + timedelta(days=n)};X;rennes;100" for n in range(30)
    ]
    _imported(import_file(con, "jours.csv", "\n".join(lines).encode()))
    # Views: the days (3 000); hours: the month's 12, which no day series gives.
    assert _total(con) == 3000
    assert _total(con, "staff_hours") == 12


def test_a_partial_daily_export_does_not_replace_a_typed_month_nor_make_a_trend(con):
    typed = "Mois;Réseau;Compte;Vues\njanvier 2025;LinkedIn;Ville;40000\nfévrier 2025;LinkedIn;Ville;43000\n"
    _imported(import_file(con, "mois.csv", typed.encode()))
    lines = ["Date;Réseau;Compte;Vues"] + [
        f"2025-02-{d:02d};LinkedIn;Ville;1000" for d in range(1, 13)
    ]
    _imported(import_file(con, "jours.csv", "\n".join(lines).encode()))
    # February stays 43 000 (the 12 days, 12 000, are inside it): 40 000 + 43 000.
    assert _total(con) == 83000
    months = queries.run(con, "decision_trend", **Filters().params())
    assert months["views"].tolist() == [40000, 43000]


def test_figures_without_an_account_meeting_a_named_account_are_asked_about(con):
    _imported(import_file(con, "mois.csv", "Mois;Réseau;Vues\nnovembre 2021;X;9000\n".encode()))
    report = import_file(con, *fixture_bytes(X_DAILY))
    # The month names no account, the daily export is « rennes »'s: same account or not?
    assert report.status == "question"
    (question,) = report.questions
    assert (question.kind, question.platform, question.choices) == ("account", "x", ["rennes"])
    assert "compterait tout deux fois" in question.message
    assert _total(con) == 9000  # nothing stored meanwhile

    answered = import_file(
        con, *fixture_bytes(X_DAILY), answers=ImportAnswers(accounts={"x": "rennes"})
    )
    _imported(answered)
    assert any("maintenant ceux du compte « rennes »" in note for note in answered.tables[0].notes)
    # The month is now rennes's and stands; the three days are inside it.
    assert _total(con) == 9000
    # The answer is suggested, never applied unasked, the next time the question comes up.
    later = "Date;Réseau;Vues\n2021-11-15;X;70\n"
    again = import_file(con, "quinze.csv", later.encode())
    assert again.status == "question"
    assert again.questions[0].suggested == "rennes"


def test_figures_without_an_account_can_be_kept_apart(con):
    _imported(import_file(con, *fixture_bytes(X_DAILY)))
    report = import_file(
        con,
        "mois.csv",
        "Mois;Réseau;Vues\nnovembre 2021;X;9000\n".encode(),
        answers=ImportAnswers(accounts={"x": ""}),
    )
    _imported(report)
    # Two accounts, added up: 3 800 + 9 000; the Overview warns about it.
    assert _total(con) == 12800
    overlaps = queries.run(con, "account_overlaps", **Filters().params())
    assert overlaps["accounts"].tolist() == [["rennes"]]


# ---- The same figures twice ------------------------------------------------------------------------------

SUMMARY = [("Facebook", 740_000), ("LinkedIn", 496_000), ("Instagram", 296_000), ("X", 150_000)]


def _summary_csv() -> bytes:
    lines = ["Réseau;Vues"] + [f"{name};{views}" for name, views in SUMMARY]
    return "\n".join(lines).encode()


def _summary_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Réseau", "Vues"])
    for row in SUMMARY:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_same_summary_as_xlsx_and_csv_is_caught_and_can_replace_the_first(con):
    _imported(import_file(con, "bilan crue.xlsx", _summary_xlsx(), campaign="Inondations 2025"))
    report = import_file(con, "bilan_crue_2025.csv", _summary_csv(), campaign="Inondations 2025")
    assert report.status == "question"
    (question,) = report.questions
    assert question.kind == "repeated" and "4 lignes sur 4" in question.message
    assert "« bilan crue.xlsx »" in question.message
    assert _total(con) == 1_682_000

    replaced = import_file(
        con,
        "bilan_crue_2025.csv",
        _summary_csv(),
        campaign="Inondations 2025",
        answers=ImportAnswers(repeated="replace"),
    )
    _imported(replaced)
    # 740 000 + 496 000 + 296 000 + 150 000, once.
    assert _total(con) == 1_682_000
    assert store.list_sources(con)["file_name"].tolist() == ["bilan_crue_2025.csv"]


def test_keeping_both_copies_adds_them_because_the_user_said_so(con):
    _imported(import_file(con, "bilan crue.xlsx", _summary_xlsx()))
    kept = import_file(con, "bilan.csv", _summary_csv(), answers=ImportAnswers(repeated="keep"))
    _imported(kept)
    assert _total(con) == 2 * 1_682_000
    assert any("les deux sont additionnés" in note for note in kept.tables[0].notes)


def test_the_example_leaves_the_workspace_with_the_first_real_import(con):
    for name, data in example_files():
        _imported(import_file(con, name, data, kind="example"))
    assert _total(con) == 1_682_000
    report = import_file(con, *fixture_bytes(FACEBOOK_POSTS))
    _imported(report)
    assert any("exemple de Rennes a été retiré" in note for note in report.tables[0].notes)
    # Only the real figures: 700 + 300.
    assert _total(con) == 1000
    assert store.sources_of_kind(con, "example") == []


def test_a_campaign_filter_can_ask_for_the_figures_of_no_campaign(con):
    _imported(import_file(con, *fixture_bytes(FACEBOOK_POSTS), campaign="Printemps"))
    _imported(import_file(con, "x.csv", "Mois;Réseau;Vues\n2025-04;X;50\n".encode()))
    assert _total(con, campaign="Printemps") == 1000
    assert _total(con, campaign="") == 50


# ---- The counted figures are what a full recount gives ----------------------------------------------------


@pytest.mark.parametrize("every_metric", [False, True], ids=["metrics_given", "every_metric"])
def test_every_write_leaves_the_counted_figures_equal_to_a_full_recount(
    con, monkeypatch, every_metric
):
    """Each write recounts the pairs it touched, naming only the metrics their figures give; the
    full recount names those of the whole workspace or, here too, every metric of the registry."""
    _imported(import_file(con, "mois.csv", MONTH.encode()))
    _imported(import_file(con, *fixture_bytes(X_POSTS)))
    _imported(import_file(con, *fixture_bytes(X_DAILY)))
    _imported(import_file(con, *fixture_bytes(FACEBOOK_POSTS), campaign="Printemps"))
    store.retag_source(con, int(store.list_sources(con)["source_id"].iloc[-1]), "Automne")
    store.delete_source(con, int(store.list_sources(con)["source_id"].iloc[1]))

    def snapshot() -> list[pd.DataFrame]:
        current = "SELECT * REPLACE (list_sort(sources) AS sources) FROM facts_current ORDER BY ALL"
        return [con.execute(current).df()] + [
            con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()  # noqa: S608 — fixed names
            for table in ("figures", "figures_set_aside", "figure_sources")
        ]

    incremental = snapshot()
    if every_metric:
        written_for = counting._rebuild_statements
        monkeypatch.setattr(
            counting,
            "_rebuild_statements",
            lambda metrics, dated_periods: written_for(tuple(METRICS), dated_periods),
        )
    with store.transaction(con):
        counting.rebuild_current(con)
        counting.rebuild(con, counting.all_partitions(con))
    for after, before in zip(snapshot(), incremental, strict=True):
        pd.testing.assert_frame_equal(after, before)


def test_pairs_without_a_dated_period_are_recounted_without_rule_3_to_the_same_figures(
    con, monkeypatch
):
    """Rule 3 (periods) is left out of a recount whose pairs hold no dated period; written in, it
    changes nothing: the same counted, set-aside and source rows."""
    written_for = counting._rebuild_statements
    asked: list[bool] = []

    def spied(metrics, dated_periods):
        asked.append(dated_periods)
        return written_for(metrics, dated_periods)

    monkeypatch.setattr(counting, "_rebuild_statements", spied)
    # X posts set aside by the day series of their account (rule 4), Facebook posts counted, an
    # undated summary counted as it is (rule 5).
    _imported(import_file(con, *fixture_bytes(X_POSTS)))
    _imported(import_file(con, *fixture_bytes(X_DAILY)))
    _imported(import_file(con, *fixture_bytes(FACEBOOK_POSTS)))
    _imported(import_file(con, "bilan.csv", "Réseau;Vues\nFacebook;740000\nX;150000\n".encode()))
    assert asked and not any(asked)
    assert _set_aside(con)
    without_rule_3 = _counted(con)

    monkeypatch.setattr(counting, "_rebuild_statements", lambda m, _: written_for(m, True))
    with store.transaction(con):
        counting.rebuild(con, counting.all_partitions(con))
    for after, before in zip(_counted(con), without_rule_3, strict=True):
        pd.testing.assert_frame_equal(after, before)


def _counted(con) -> list[pd.DataFrame]:
    """The counted figures, the set-aside ones and their sources, in a stable order."""
    return [
        con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()  # noqa: S608 — fixed names
        for table in ("figures", "figures_set_aside", "figure_sources")
    ]


def test_the_key_of_one_table_and_the_workspace_key_agree(con):
    frame = pd.DataFrame(
        {
            "platform": ["x", "x", "x", "x", "x"],
            "account": ["a", "a", "a", "b", "a"],
            "grain": ["post", "post", "day", "day", "period"],
            "item_key": ["p1", "p1", None, None, None],
            "period_start": [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 1)] * 1
            + [date(2025, 1, 1), date(2025, 1, 1)],
            "period_end": [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 1)]
            + [date(2025, 1, 1), date(2025, 1, 31)],
            "campaign": ["", "", "", "", "Crue"],
            "key_campaign": [False, False, False, False, True],
            "key_extra": ["", "", "", "", ""],
        }
    )
    con.register("frame", frame)
    keys = con.execute(
        "SELECT fact_key(platform, account, grain, item_key, period_start, period_end, "
        "key_campaign, campaign, key_extra) FROM frame"
    ).fetchall()
    sql_repeats = pd.Series([k for (k,) in keys]).duplicated(keep=False).tolist()
    assert sql_repeats == store.keys.repeated_rows(frame, keep=False).tolist()
    assert sql_repeats == [True, True, False, False, False]  # a post re-dated is the same post


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_overview_says_what_was_counted_and_what_was_set_aside(con, lang):
    from canalyse.output.overview import figure_origins, set_aside_lines

    _imported(import_file(con, "mois.csv", MONTH.encode()))
    _imported(import_file(con, *fixture_bytes(X_DAILY)))
    kept = figure_origins(queries.run(con, "figures_by_grain", **Filters().params()), lang)
    aside = set_aside_lines(queries.run(con, "set_aside", **Filters().params()), lang)
    if lang == "fr":
        # The days' other figures (likes, engagements…) still count: the month has none.
        assert kept == [
            "X : comptés — série par jour du compte (3 jours) : sans les vues ; "
            "périodes datées (1) : 9\u00a0000 vues."
        ]
        assert aside == [
            "X (rennes) : écartés — série par jour du compte (3 jours) : 3\u00a0800 vues, "
            "déjà comptés dans une période gardée qui les contient."
        ]
    else:
        assert kept == [
            "X: counted — account day series (3 days): no views; dated periods (1): 9,000 views."
        ]
        assert aside[0].startswith("X (rennes): set aside — account day series (3 days): 3,800")


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {"platform": "x", "account": "a", "campaign": "", "item_key": None}
    return pd.DataFrame([{**base, **row} for row in rows])


def _add(con, name: str, rows: list[dict]) -> None:
    frame = _frame(rows)
    store.add_source(
        con,
        file_name=name,
        content_hash=name,
        campaign=None,
        tables=[
            {
                "table_name": name,
                "layout": "test",
                "platform": "x",
                "grain": frame["grain"].iloc[0],
                "rows": len(frame),
                "date_min": None,
                "date_max": None,
            }
        ],
        facts=[frame],
    )


@pytest.mark.parametrize("metric", list(METRICS))
def test_every_metric_goes_through_every_rule(con, metric):
    march = {"grain": "period", "period_start": date(2025, 3, 1), "period_end": date(2025, 3, 31)}
    _add(con, "month", [{**march, metric: 100}])
    day = {"grain": "day", "period_start": date(2025, 3, 2), "period_end": date(2025, 3, 2)}
    _add(con, "day", [{**day, metric: 7}])
    post = {"grain": "post", "period_start": date(2025, 3, 3), "period_end": date(2025, 3, 3)}
    _add(con, "post", [{**post, "item_key": "p", metric: 3}])
    # Rule 3: the month (100) stands; the day (7) and the post (3) inside it are set aside.
    totals = queries.run(con, "platform_totals", **Filters().params())
    assert float(totals[metric].iloc[0]) == 100
    aside = con.execute(
        f"SELECT kind, reason, {metric} FROM figures_set_aside ORDER BY kind"  # noqa: S608
    ).fetchall()
    assert [(kind, reason, float(value)) for kind, reason, value in aside] == [
        ("day", "inside_period", 7.0),
        ("post", "inside_period", 3.0),
    ]
    # Every day of March as a day series: the days replace the month, and the post of
    # 3 March gives way to the day series (rule 2).
    days = [
        {"grain": "day", "period_start": d, "period_end": d, metric: 1}
        for d in (date(2025, 3, 1) + timedelta(days=n) for n in range(31))
    ]
    _add(con, "days", days)
    totals = queries.run(con, "platform_totals", **Filters().params())
    assert float(totals[metric].iloc[0]) == (31 if METRICS[metric].aggregation == "sum" else 1)
    reasons = {row[0] for row in con.execute("SELECT reason FROM figures_set_aside").fetchall()}
    assert reasons == {"days_cover_period", "account_days"}
