"""Reading public posts from Bluesky and Mastodon, against a local server replaying recorded answers.

No test reaches the internet: `api` is an HTTP server on 127.0.0.1 that answers from
tests/fixtures/fetch/ (see its README.md for where each shape comes from) and records every request
it gets. The totals in the comments can be added up from those files.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import canalyse.importing.fetch as fetch_module
from canalyse import queries, store
from canalyse.cli import main
from canalyse.filters import Filters
from canalyse.importing.fetch import FetchSettings, fetch_account
from canalyse.importing.fetch.bluesky import normalise_handle
from canalyse.importing.fetch.http import (
    USER_AGENT,
    Answer,
    BadHandle,
    FetchFailed,
    PoliteClient,
    Refused,
    retry_wait,
)
from canalyse.importing.fetch.mastodon import parse_handle, plain_text
from canalyse.importing.pipeline import FileReport, ImportAnswers, import_file
from tests.conftest import FIXTURES, ROOT, fixture_bytes

FETCH = FIXTURES / "fetch"
HANDLE = "villederennes.bsky.social"
DID = "did:plc:w4xbfzo7kqfes5zb7r6qv3rw"
PROFILE = "/xrpc/app.bsky.actor.getProfile"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
FEED_QUERY = {"actor": DID, "filter": "posts_and_author_threads", "limit": "100"}
CURSORS = ("2025-06-01T07:30:00.000Z", "2025-04-01T07:30:00.000Z", "2025-03-10T08:00:00.000Z")
MASTODON = "@villederennes@mastodon.social"
LOOKUP = "/api/v1/accounts/lookup"
STATUSES = "/api/v1/accounts/109300000000000001/statuses"
STATUSES_QUERY = {"limit": "40", "exclude_reblogs": "true", "exclude_replies": "true"}
DAY = date(2025, 6, 5)
JSON = "application/json; charset=utf-8"


# ---- A local server replaying recorded answers ----------------------------------------------------
@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def answer(relative: str, status: int = 200, **headers: str) -> Reply:
    """A recorded answer from tests/fixtures/fetch/, with its content type."""
    path = FETCH / relative
    kind = "text/html; charset=utf-8" if path.suffix == ".html" else JSON
    return Reply(status, path.read_bytes(), {"Content-Type": kind, **headers})


def answer_json(content: object, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(content).encode(), {"Content-Type": JSON, **headers})


def recorded(relative: str) -> object:
    return json.loads((FETCH / relative).read_text(encoding="utf-8"))


class ReplayServer:
    """Routes by path and query; a route given several replies plays them in turn, then the last."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, tuple], list[Reply]] = {}
        self.requests: list[Seen] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10  # a connection that never sends its request cannot hold the closing

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                replay.requests.append(Seen(parts.path, query, dict(self.headers)))
                replies = replay.routes.get((parts.path, tuple(sorted(query.items()))))
                if not replies:
                    reply = answer_json({"error": "NotRouted", "message": self.path}, 404)
                else:
                    reply = replies.pop(0) if len(replies) > 1 else replies[0]
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            # A test closes the server only once every reply is written (a reply slower than the
            # client's timeout would otherwise fail later, inside another test's output).
            daemon_threads = False

            def handle_error(self, request, client_address) -> None:
                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)
                # else: the client gave up waiting (the timeout case): nothing to report.

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, query: dict[str, str], *replies: Reply) -> None:
        self.routes[(path, tuple(sorted(query.items())))] = list(replies)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]


@pytest.fixture
def api(monkeypatch):
    """The replaying server, with the settings of every fetch (and of the CLI and page) pointed at it."""
    server = ReplayServer()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    monkeypatch.setenv("CANALYSE_BLUESKY_API", server.base)
    monkeypatch.setenv("CANALYSE_MASTODON_BASE", server.base)
    monkeypatch.setenv("CANALYSE_FETCH_PAUSE", "0")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def settings(api: ReplayServer, **changes) -> FetchSettings:
    values = {"bluesky_api": api.base, "mastodon_base": api.base, "pause": 0.0, "timeout": 5.0}
    return FetchSettings(**{**values, **changes})


def bluesky_account(api: ReplayServer, *, profile: Reply | None = None, page1: Reply | None = None):
    """The recorded Bluesky account: a profile, then four feed pages linked by their cursors."""
    api.route(PROFILE, {"actor": HANDLE}, profile or answer("bluesky/profile.json"))
    api.route(FEED, FEED_QUERY, page1 or answer("bluesky/feed_page1.json"))
    for number, cursor in enumerate(CURSORS, start=2):
        api.route(FEED, {**FEED_QUERY, "cursor": cursor}, answer(f"bluesky/feed_page{number}.json"))


def statuses_link(api: ReplayServer, max_id: str, min_id: str) -> str:
    query = "limit=40&exclude_reblogs=true&exclude_replies=true"
    return (
        f'<{api.base}{STATUSES}?{query}&max_id={max_id}>; rel="next", '
        f'<{api.base}{STATUSES}?{query}&min_id={min_id}>; rel="prev"'
    )


def mastodon_account(api: ReplayServer, *, lookup: Reply | None = None):
    """The recorded Mastodon account: a lookup, then three pages linked by their Link headers."""
    api.route(LOOKUP, {"acct": "villederennes"}, lookup or answer("mastodon/lookup.json"))
    link1 = statuses_link(api, "114600000000000003", "114620000000000001")
    link2 = statuses_link(api, "114290000000000005", "114300000000000004")
    api.route(STATUSES, STATUSES_QUERY, answer("mastodon/statuses_page1.json", Link=link1))
    api.route(
        STATUSES,
        {**STATUSES_QUERY, "max_id": "114600000000000003"},
        answer("mastodon/statuses_page2.json", Link=link2),
    )
    api.route(
        STATUSES,
        {**STATUSES_QUERY, "max_id": "114290000000000005"},
        answer("mastodon/statuses_page3.json"),
    )


def totals(con, platform: str) -> dict:
    rows = queries.run(con, "platform_totals", **Filters(platforms=(platform,)).params())
    return rows.iloc[0].to_dict()


def post_count(con, platform: str) -> int:
    kinds = queries.run(con, "figures_by_grain", **Filters(platforms=(platform,)).params())
    return int(kinds.loc[kinds["source_kind"] == "post", "rows"].sum())


def follower_points(con, platform: str) -> list[tuple[date, float]]:
    points = queries.run(
        con, "followers_by_day", granularity="day", **Filters(platforms=(platform,)).params()
    )
    return [
        (d.date(), v)
        for d, v in zip(points["period_start"], points["followers_total"], strict=True)
    ]


def snapshot(con) -> dict[str, list]:
    """Every row of every table of the workspace."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    # The names come from the catalog, not from a user: quoting them is enough.
    return {
        name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()  # noqa: S608
        for (name,) in names
    }


# ---- Bluesky -----------------------------------------------------------------------------------------
def test_bluesky_imports_the_accounts_own_posts_and_the_follower_count_of_the_day(con, api):
    bluesky_account(api)
    report = fetch_account(
        con, "bluesky", "@VilleDeRennes.bsky.social", today=DAY, settings=settings(api)
    )
    assert report.status == "imported", report.message
    assert report.file == "Bluesky villederennes.bsky.social"
    posts, followers = report.tables
    # Six posts of its own: P0 (pinned, listed twice, counted once), P1, P2, P3 (a reply in its own
    # thread), P4, P5; the repost of @bretagne is not one of them.
    assert (posts.grain, posts.rows, followers.grain, followers.rows) == ("post", 6, "day", 1)
    assert (posts.date_min, posts.date_max) == (date(2025, 3, 10), date(2025, 6, 3))
    # Likes 40 + 12 + 7 + 3 + 9 + 9 = 80; replies 4 + 2 + 0 + 1 + 2 + 1 = 10;
    # shares = reposts (8 + 3 + 1 + 0 + 1 + 2 = 15) + quotes (2 + 1 + 0 + 0 + 0 + 0 = 3) = 18;
    # bookmarks 3 + 0 + 1 + 0 + 1 + 0 = 5; engagements = 80 + 15 + 10 + 3 = 108. No views.
    assert posts.totals == {
        "reactions": 80,
        "comments": 10,
        "shares": 18,
        "saves": 5,
        "engagements": 108,
    }
    assert followers.totals == {"followers_total": 1250}
    assert (followers.date_min, followers.date_max) == (DAY, DAY)
    assert any("1 republication" in note for note in posts.notes)
    stored = totals(con, "bluesky")
    assert (stored["reactions"], stored["engagements"], stored["followers_total"]) == (
        80,
        108,
        1250,
    )
    assert stored["views"] is None or stored["views"] != stored["views"]  # NULL: none published
    assert post_count(con, "bluesky") == 6
    accounts = con.execute("SELECT DISTINCT account FROM facts").fetchall()
    assert accounts == [(HANDLE,)]
    (source,) = store.list_sources(con).itertuples()
    assert (source.file_name, source.kind) == ("Bluesky villederennes.bsky.social", "fetch")


def test_bluesky_asks_only_the_two_documented_methods_politely(con, api):
    bluesky_account(api)
    fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    assert api.paths() == [PROFILE, FEED, FEED, FEED, FEED]
    profile, *pages = api.requests
    assert profile.query == {"actor": HANDLE}
    assert [page.query.get("cursor") for page in pages] == [None, *CURSORS]
    assert all(page.query["limit"] == "100" for page in pages)  # the documented maximum
    assert all(page.query["filter"] == "posts_and_author_threads" for page in pages)
    for seen in api.requests:
        assert seen.headers["User-Agent"] == USER_AGENT
        assert seen.headers["User-Agent"].startswith("Canalyse/")


def test_since_stops_the_reading_at_older_posts_but_not_at_an_old_pinned_post_or_repost(con, api):
    bluesky_account(api)
    report = fetch_account(
        con, "bluesky", HANDLE, since=date(2025, 5, 1), today=DAY, settings=settings(api)
    )
    assert report.status == "imported", report.message
    # Page 1 opens with P0, pinned and from March, and holds a repost of an April post: neither
    # ends the reading. Page 2 reaches P4 (1 April): pages 3 and 4 are never asked for.
    assert api.paths() == [PROFILE, FEED, FEED]
    posts = report.tables[0]
    # P1, P2, P3, P5: likes 12 + 7 + 3 + 9 = 31; engagements = likes 31 + reposts (3 + 1 + 0 + 2)
    # + replies (2 + 0 + 1 + 1) + quotes (1 + 0 + 0 + 0) = 42.
    assert posts.rows == 4
    assert posts.totals["reactions"] == 31
    assert posts.totals["engagements"] == 42
    assert posts.date_min == date(2025, 5, 28)


def test_a_second_fetch_updates_the_counts_and_adds_a_follower_point(con, api):
    bluesky_account(api)
    first = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    assert first.status == "imported"
    # A month later P1 has 20 likes instead of 12 and the account 1 300 followers.
    page1 = recorded("bluesky/feed_page1.json")
    page1["feed"][1]["post"]["likeCount"] = 20
    profile = {**recorded("bluesky/profile.json"), "followersCount": 1300}
    bluesky_account(api, profile=answer_json(profile), page1=answer_json(page1))
    later = date(2025, 7, 5)
    second = fetch_account(con, "bluesky", HANDLE, today=later, settings=settings(api))
    assert second.status == "imported", second.message
    assert post_count(con, "bluesky") == 6  # the same six posts, not twelve
    assert totals(con, "bluesky")["reactions"] == 88  # 80 - 12 + 20
    assert follower_points(con, "bluesky") == [(DAY, 1250), (later, 1300)]


def test_fetching_again_the_same_day_with_the_same_counts_changes_nothing(con, api):
    bluesky_account(api)
    fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    before = snapshot(con)
    again = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    assert again.status == "unchanged", again.message
    assert snapshot(con) == before


def test_a_fetched_post_and_the_same_post_from_an_exporter_table_count_once(con, api):
    exported = import_file(con, *fixture_bytes("exports/fediverse/bluesky_author_feed.csv"))
    assert exported.status == "imported"
    bluesky_account(api)
    fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    # The exporter's 2 posts and the 6 fetched share P4: 7 posts. P4's 7 likes become 9 (the
    # fetch is the most recent import); the exporter's other post adds its 3: 80 + 3 = 83.
    assert post_count(con, "bluesky") == 7
    assert totals(con, "bluesky")["reactions"] == 83


def test_a_fetch_that_needs_an_answer_first_stores_nothing_until_answered(con, api):
    # A hand-made table already holds Bluesky figures without an account on the same days.
    table = "Réseau;Date;Réactions\nBluesky;01/06/2025;5\nBluesky;02/06/2025;6\n"
    import_file(con, "bilan.csv", table.encode("utf-8"))
    before = snapshot(con)
    bluesky_account(api)
    asked = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    assert asked.status == "question", asked.message
    assert [question.kind for question in asked.questions] == ["account"]
    assert snapshot(con) == before
    answers = ImportAnswers(accounts={"bluesky": ""})  # another account: keep them apart
    stored = fetch_account(
        con, "bluesky", HANDLE, today=DAY, settings=settings(api), answers=answers
    )
    assert stored.status == "imported", stored.message


# ---- Mastodon -----------------------------------------------------------------------------------------
def test_mastodon_imports_the_accounts_own_posts_and_the_follower_count_of_the_day(con, api):
    mastodon_account(api)
    report = fetch_account(
        con, "mastodon", "villederennes@Mastodon.Social", today=DAY, settings=settings(api)
    )
    assert report.status == "imported", report.message
    assert report.file == f"Mastodon {MASTODON}"
    posts, followers = report.tables
    # S1, S2, S3 (its own thread), S4; the boost S5 is not one of its posts.
    assert posts.rows == 4
    # Favourites 10 + 6 + 2 + 3 = 21; replies 2 + 0 + 0 + 1 = 3; shares = boosts (4 + 2 + 0 + 1 =
    # 7) + quotes (1 + none + 0 + 0 = 1) = 8; engagements = 21 + 7 + 3 + 1 = 32.
    assert posts.totals == {"reactions": 21, "comments": 3, "shares": 8, "engagements": 32}
    assert followers.totals == {"followers_total": 860}
    assert any("1 republication" in note for note in posts.notes)
    titles = dict(con.execute("SELECT item_key, title FROM facts WHERE grain = 'post'").fetchall())
    assert titles["https://mastodon.social/@villederennes/114620000000000001"] == (
        "Crue de la Vilaine : point de situation à 18 h. Tout est sur https://metropole.rennes.fr/crue"
    )
    assert titles["https://mastodon.social/@villederennes/114610000000000002"] == (
        "Fermeture des berges & parcs jusqu'à nouvel ordre."
    )
    accounts = con.execute("SELECT DISTINCT account FROM facts").fetchall()
    assert accounts == [(MASTODON,)]  # spelled as the exporters' tables spell it


def test_mastodon_asks_for_no_boosts_and_follows_the_link_header(con, api):
    mastodon_account(api)
    fetch_account(con, "mastodon", MASTODON, today=DAY, settings=settings(api))
    assert api.paths() == [LOOKUP, STATUSES, STATUSES, STATUSES]
    lookup, *pages = api.requests
    assert lookup.query == {"acct": "villederennes"}
    for page in pages:
        assert page.query["limit"] == "40"  # the documented maximum
        assert page.query["exclude_reblogs"] == "true"
        assert page.query["exclude_replies"] == "true"
    assert [page.query.get("max_id") for page in pages] == [
        None,
        "114600000000000003",
        "114290000000000005",
    ]
    assert {seen.headers["User-Agent"] for seen in api.requests} == {USER_AGENT}


def test_mastodon_since_stops_the_reading_at_older_posts(con, api):
    mastodon_account(api)
    report = fetch_account(
        con, "mastodon", MASTODON, since=date(2025, 5, 1), today=DAY, settings=settings(api)
    )
    assert api.paths() == [LOOKUP, STATUSES, STATUSES]  # page 2 reaches S4 (12 April)
    assert report.tables[0].rows == 3  # S1, S2, S3
    assert report.tables[0].totals["reactions"] == 18  # 10 + 6 + 2


# ---- Good citizen ---------------------------------------------------------------------------------------
def test_a_429_is_waited_out_as_long_as_the_server_asks_then_the_reading_goes_on(con, api):
    bluesky_account(api)
    limited = answer("bluesky/error_rate_limited.json", 429, **{"Retry-After": "2"})
    api.route(
        FEED, {**FEED_QUERY, "cursor": CURSORS[0]}, limited, answer("bluesky/feed_page2.json")
    )
    waits: list[float] = []
    client = PoliteClient(pause=0, sleep=waits.append)
    report = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api), client=client)
    assert report.status == "imported", report.message
    assert waits == [2.0]
    assert report.tables[0].rows == 6
    assert api.paths() == [PROFILE, FEED, FEED, FEED, FEED, FEED]  # page 2 asked twice


def test_the_client_pauses_between_requests(con, api):
    mastodon_account(api)
    waits: list[float] = []
    client = PoliteClient(pause=1.5, sleep=waits.append)
    fetch_account(con, "mastodon", MASTODON, today=DAY, settings=settings(api), client=client)
    assert waits == [1.5, 1.5, 1.5]  # four requests, a pause before each but the first


def test_the_number_of_pages_is_bounded_and_the_report_says_so(con, api):
    bluesky_account(api)
    report = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api, max_pages=2))
    assert report.status == "imported", report.message
    assert api.paths() == [PROFILE, FEED, FEED]
    assert report.tables[0].rows == 6  # P0 (pinned), P1, P2, then P3, P5, P4
    assert any("2 pages" in note and "01/04/2025" in note for note in report.tables[0].notes)


def test_progress_is_reported_page_by_page(con, api):
    bluesky_account(api)
    seen = []
    fetch_account(
        con, "bluesky", HANDLE, today=DAY, settings=settings(api), on_progress=seen.append
    )
    assert [(p.page, p.posts, p.oldest) for p in seen] == [
        (1, 3, date(2025, 6, 1)),
        (2, 6, date(2025, 4, 1)),
        (3, 6, date(2025, 3, 10)),
        (4, 6, date(2025, 3, 10)),
    ]
    assert seen[1].message("fr") == (
        "Page 2 lue : 6 publications de villederennes.bsky.social, jusqu'au 01/04/2025."
    )
    assert seen[1].message("en") == (
        "Page 2 read: 6 posts by villederennes.bsky.social, back to 1 Apr 2025."
    )


# ---- Failures: a plain message, the workspace unchanged --------------------------------------------
def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unknown_bluesky(api):
    api.route(
        PROFILE,
        {"actor": "personne.bsky.social"},
        answer("bluesky/error_profile_not_found.json", 400),
    )
    return "bluesky", "personne.bsky.social", {}


def _unknown_mastodon(api):
    api.route(LOOKUP, {"acct": "personne"}, answer("mastodon/error_record_not_found.json", 404))
    return "mastodon", "@personne@mastodon.social", {}


def _taken_down(api):
    api.route(PROFILE, {"actor": HANDLE}, answer("bluesky/error_takedown.json", 400))
    return "bluesky", HANDLE, {}


def _suspended(api):
    mastodon_account(api, lookup=answer("mastodon/lookup_suspended.json"))
    return "mastodon", MASTODON, {}


def _logged_in_only_bluesky(api):
    bluesky_account(api, profile=answer("bluesky/profile_no_unauthenticated.json"))
    return "bluesky", HANDLE, {}


def _logged_in_only_server(api):
    mastodon_account(api)
    api.route(STATUSES, STATUSES_QUERY, answer("mastodon/error_unauthenticated.json", 401))
    return "mastodon", MASTODON, {}


def _server_error_on_page_2(api):
    bluesky_account(api)
    api.route(
        FEED, {**FEED_QUERY, "cursor": CURSORS[0]}, answer("bluesky/error_internal.json", 500)
    )
    return "bluesky", HANDLE, {}


def _malformed_json(api):
    bluesky_account(api, page1=answer("garbage/truncated.json"))
    return "bluesky", HANDLE, {}


def _html_page(api):
    api.route(LOOKUP, {"acct": "villederennes"}, answer("garbage/maintenance.html"))
    return "mastodon", MASTODON, {}


def _server_down(api):
    return "bluesky", HANDLE, {"bluesky_api": f"http://127.0.0.1:{_refused_port()}"}


def _too_slow(api):
    bluesky_account(api)
    slow = answer("bluesky/feed_page1.json")
    slow.delay = 1.0
    api.route(FEED, FEED_QUERY, slow)
    return "bluesky", HANDLE, {"timeout": 0.2}


def _waits_too_long(api):
    bluesky_account(api)
    hour = answer("bluesky/error_rate_limited.json", 429, **{"Retry-After": "3600"})
    api.route(FEED, FEED_QUERY, hour)
    return "bluesky", HANDLE, {}


def _redirected_elsewhere(api):
    elsewhere = Reply(302, b"", {"Location": "http://127.0.0.2:9/api/v1/accounts/lookup"})
    api.route(LOOKUP, {"acct": "villederennes"}, elsewhere)
    return "mastodon", MASTODON, {}


def _no_server_in_handle(api):
    return "mastodon", "villederennes", {}


FAILURES = {
    "unknown Bluesky handle": (_unknown_bluesky, "fetch.error.not_found", "personne.bsky.social"),
    "unknown Mastodon handle": (_unknown_mastodon, "fetch.error.not_found", "@personne@"),
    "Bluesky account taken down": (_taken_down, "fetch.error.suspended", HANDLE),
    "Mastodon account suspended": (_suspended, "fetch.error.suspended", MASTODON),
    "Bluesky account for logged-in people": (
        _logged_in_only_bluesky,
        "fetch.error.not_public",
        HANDLE,
    ),
    "Mastodon server for logged-in people": (
        _logged_in_only_server,
        "fetch.error.not_public",
        MASTODON,
    ),
    "HTTP 500 on page 2": (_server_error_on_page_2, "fetch.error.server", "500"),
    "malformed JSON": (_malformed_json, "fetch.error.malformed", "127.0.0.1"),
    "an HTML page": (_html_page, "fetch.error.not_json", "127.0.0.1"),
    "server down": (_server_down, "fetch.error.unreachable", "127.0.0.1"),
    "timeout": (_too_slow, "fetch.error.timeout", "0.2"),
    "429 asking for an hour": (_waits_too_long, "fetch.error.rate_limited", "60"),
    "redirect to another server": (_redirected_elsewhere, "fetch.error.redirected", "127.0.0.2"),
    "handle without a server": (
        _no_server_in_handle,
        "fetch.error.bad_handle.mastodon",
        "villederennes",
    ),
}
NOTHING_IMPORTED = {"fr": "Rien n'a été importé.", "en": "Nothing was imported."}


def _days(con) -> None:
    import_file(con, *fixture_bytes("handmade/daily_en.csv"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("case", list(FAILURES))
def test_every_failure_gives_its_message_and_leaves_the_workspace_unchanged(
    prepared, api, case, lang
):
    con = prepared("days", _days)
    before = snapshot(con)
    scenario, key, detail = FAILURES[case]
    network, handle, changes = scenario(api)
    report = fetch_account(
        con, network, handle, lang=lang, today=DAY, settings=settings(api, **changes)
    )
    assert report.status == "error"
    assert report.error_key == key, report.message
    assert detail in report.message
    assert NOTHING_IMPORTED[lang] in report.message
    assert snapshot(con) == before
    assert all(seen.headers["User-Agent"] == USER_AGENT for seen in api.requests)


def test_a_month_without_posts_still_adds_the_follower_point(con, api):
    bluesky_account(api)
    report = fetch_account(
        con, "bluesky", HANDLE, since=date(2025, 7, 1), today=DAY, settings=settings(api)
    )
    assert report.status == "imported", report.message
    (followers,) = report.tables
    assert (followers.grain, followers.totals) == ("day", {"followers_total": 1250})
    assert "0 publication(s) du compte depuis le 01/07/2025" in followers.notes[0]


def test_an_unexpected_answer_is_an_error_report_not_a_crash(con, api, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("did")

    monkeypatch.setitem(fetch_module._READERS, "bluesky", broken)
    report = fetch_account(con, "bluesky", HANDLE, today=DAY, settings=settings(api))
    assert (report.status, report.error_key) == ("error", "fetch.error.unexpected")
    assert "KeyError" in report.message


def test_every_fetch_error_has_its_message_in_both_languages():
    errors = [
        BadHandle("bluesky", "x y"),
        BadHandle("mastodon", "x"),
        Refused("127.0.0.1", 418, "I'm a teapot"),
        FetchFailed("fetch.error.nothing", account=HANDLE),
        FetchFailed("fetch.error.unexpected", account=HANDLE, detail="KeyError"),
    ]
    for error in errors:
        french, english = error.message("fr"), error.message("en")
        assert french and english and french != english


def test_a_bad_handle_asks_nothing_of_any_server(con, api):
    fetch_account(con, "bluesky", "pas un identifiant !", today=DAY, settings=settings(api))
    fetch_account(con, "mastodon", "@ville@serveur/chemin", today=DAY, settings=settings(api))
    assert api.requests == []


# ---- The pure parts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "handle"),
    [
        ("villederennes.bsky.social", HANDLE),
        ("@VilleDeRennes.bsky.social ", HANDLE),
        ("https://bsky.app/profile/villederennes.bsky.social", HANDLE),
        ("villederennes", HANDLE),
        ("rennes.fr", "rennes.fr"),
        (DID, DID),
    ],
)
def test_bluesky_handles_are_normalised(typed, handle):
    assert normalise_handle(typed) == handle


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("@villederennes@mastodon.social", ("villederennes", "mastodon.social")),
        ("villederennes@Mastodon.Social", ("villederennes", "mastodon.social")),
        ("https://mastodon.social/@villederennes", ("villederennes", "mastodon.social")),
        (
            "https://mastodon.social/@villederennes/114620000000000001",
            ("villederennes", "mastodon.social"),
        ),
    ],
)
def test_mastodon_handles_are_split_into_name_and_server(typed, parts):
    assert parse_handle(typed) == parts


def test_mastodon_html_becomes_plain_text():
    html = '<p>Un &amp; deux<br/>trois</p><p><a href="x"><span class="invisible">https://</span>a.fr</a></p><script>x()</script>'
    assert plain_text(html) == "Un & deux trois https://a.fr"


def test_the_wait_a_429_asks_for_is_read_from_any_documented_header():
    now = 1_750_000_000.0
    assert retry_wait({"Retry-After": "7"}, now) == 7
    assert retry_wait({"Retry-After": "Sun, 15 Jun 2025 15:06:50 GMT"}, now) == pytest.approx(10)
    assert retry_wait({"ratelimit-reset": str(int(now) + 30)}, now) == 30  # Bluesky
    assert retry_wait({"X-RateLimit-Reset": "2025-06-15T15:07:20.000Z"}, now) == 40  # Mastodon
    assert retry_wait({}, now) is None


def test_a_next_link_to_another_server_is_not_followed():
    here = "http://127.0.0.1:8000/api/v1/accounts/1/statuses?limit=40"
    same = Answer(here, 200, {"Link": '<http://127.0.0.1:8000/next?max_id=1>; rel="next"'}, b"[]")
    other = Answer(here, 200, {"Link": '<https://elsewhere.example/next>; rel="next"'}, b"[]")
    assert same.next_link() == "http://127.0.0.1:8000/next?max_id=1"
    assert other.next_link() is None


def test_settings_come_from_the_environment():
    found = FetchSettings.from_env(
        {"CANALYSE_BLUESKY_API": "http://127.0.0.1:1234/", "CANALYSE_FETCH_PAUSE": "0"}
    )
    assert found.bluesky_api == "http://127.0.0.1:1234"
    assert found.mastodon_base is None and found.pause == 0
    assert FetchSettings.from_env({}).bluesky_api == "https://public.api.bsky.app"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CANALYSE_FETCH_PAUSE", "vite"),
        ("CANALYSE_FETCH_MAX_PAGES", "0"),
        ("CANALYSE_BLUESKY_API", "bsky"),
    ],
)
def test_a_bad_setting_is_named_in_the_error(name, value):
    with pytest.raises(FetchFailed) as raised:
        FetchSettings.from_env({name: value})
    assert raised.value.key == "fetch.error.setting"
    assert name in raised.value.message("fr") and value in raised.value.message("en")


def test_the_readme_says_exactly_what_is_called_and_how_politely():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert USER_AGENT in readme
    for called in (
        "https://public.api.bsky.app/xrpc/app.bsky.actor.getProfile?actor=HANDLE",
        "app.bsky.feed.getAuthorFeed?actor=DID&filter=posts_and_author_threads&limit=100",
        "https://SERVER/api/v1/accounts/lookup?acct=USER",
        "statuses?limit=40&exclude_reblogs=true&exclude_replies=true",
    ):
        assert called in readme
    defaults = FetchSettings()
    assert (defaults.pause, defaults.max_pages, defaults.timeout) == (1.0, 50, 20.0)
    assert "pauses 1 s" in readme and "at most 50 pages" in readme and "after 20 s" in readme
    for name in ("BLUESKY_API", "MASTODON_BASE", "FETCH_PAUSE", "FETCH_MAX_PAGES", "FETCH_TIMEOUT"):
        assert f"CANALYSE_{name}" in readme


# ---- The command line ---------------------------------------------------------------------------------------
def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_fetch_json_prints_the_import_report_then_unchanged(capsys, db_path, api):
    bluesky_account(api)
    code, out, err = run_cli(capsys, "fetch", "bluesky", HANDLE, "--db", str(db_path), "--json")
    assert code == 0 and err == ""
    (report,) = json.loads(out)
    assert set(report) == set(FileReport("x", "imported", "").to_json())  # as `import --json`
    assert (report["status"], report["platform"]) == ("imported", "bluesky")
    assert [t["rows"] for t in report["tables"]] == [6, 1]
    assert report["tables"][0]["totals"]["engagements"] == 108
    code, out, _ = run_cli(capsys, "fetch", "bluesky", HANDLE, "--db", str(db_path), "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "unchanged"


def test_cli_fetch_shows_progress_on_stderr_for_people(capsys, db_path, api):
    mastodon_account(api)
    args = ["fetch", "mastodon", MASTODON, "--db", str(db_path), "--since", "2025-05-01"]
    code, out, err = run_cli(capsys, *args, "--campaign", "Crue 2025")
    assert code == 0
    assert "Page 1 lue : 3 publications" in err and "Page 2 lue" in err
    assert f"« Mastodon {MASTODON} » importé" in out
    con = store.connect(db_path)
    try:
        assert con.execute("SELECT DISTINCT campaign FROM facts").fetchall() == [("Crue 2025",)]
    finally:
        con.close()


def test_cli_fetch_failure_prints_its_json_and_exits_1(capsys, db_path, api):
    _unknown_bluesky(api)
    args = [
        "fetch",
        "bluesky",
        "personne.bsky.social",
        "--db",
        str(db_path),
        "--json",
        "--lang",
        "en",
    ]
    code, out, err = run_cli(capsys, *args)
    assert code == 1 and err == ""
    (report,) = json.loads(out)
    assert (report["status"], report["platform"], report["tables"]) == ("error", "bluesky", [])
    assert report["message"].startswith("No account “personne.bsky.social”")


def test_cli_fetch_asks_like_import_and_takes_the_same_answers(capsys, db_path, api):
    con = store.connect(db_path)
    import_file(con, "bilan.csv", "Réseau;Date;Réactions\nBluesky;01/06/2025;5\n".encode())
    con.close()
    bluesky_account(api)
    args = ["fetch", "bluesky", HANDLE, "--db", str(db_path)]
    code, _, err = run_cli(capsys, *args)
    assert code == 1 and "une réponse est nécessaire" in err
    code, out, _ = run_cli(capsys, *args, "--separate-account")
    assert code == 0 and "importé" in out


def test_cli_fetch_usage_errors_exit_2(capsys, db_path):
    assert main(["fetch", "bluesky"]) == 2
    assert main(["fetch", "twitter", "ville"]) == 2
    assert main(["fetch", "bluesky", HANDLE, "--since", "01/05/2025", "--db", str(db_path)]) == 2


# ---- The Import page ---------------------------------------------------------------------------------------
def _import_page(monkeypatch, db_path) -> AppTest:
    monkeypatch.setenv("CANALYSE_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=30).run()
    return at.switch_page("pages/import_data.py").run()


def test_the_import_page_reads_an_account_and_shows_what_it_imported(monkeypatch, db_path, api):
    bluesky_account(api)
    at = _import_page(monkeypatch, db_path)
    at.radio(key="fetch_network").set_value("bluesky")
    at.text_input(key="fetch_handle").input(HANDLE)
    at.button(key="fetch_submit").click().run()
    assert not at.exception
    assert "importé" in at.success[0].value
    assert at.status[0].label.startswith("Lecture terminée")
    lines = [line.value for line in at.status[0].markdown]
    assert len(lines) == 4 and lines[0].startswith("Page 1 lue")  # one line per page read
    assert any(e.label.startswith("Publications publiques de") for e in at.expander)
    con = store.connect(db_path)
    try:
        assert post_count(con, "bluesky") == 6
        assert follower_points(con, "bluesky")[0][1] == 1250
    finally:
        con.close()


def test_the_import_page_shows_the_question_a_fetch_asks(monkeypatch, db_path, api):
    con = store.connect(db_path)
    import_file(con, "bilan.csv", "Réseau;Date;Réactions\nBluesky;01/06/2025;5\n".encode())
    con.close()
    bluesky_account(api)
    at = _import_page(monkeypatch, db_path)
    at.text_input(key="fetch_handle").input(HANDLE)
    at.button(key="fetch_submit").click().run()
    assert not at.exception
    assert "une réponse est nécessaire" in at.warning[0].value
    # The hand-made figures are another account's: the account is read again and imported.
    at.radio(key="answer_account_0_0").set_value("")
    at.button(key="answer_submit_0").click().run()
    assert not at.exception
    assert "importé" in at.success[0].value
    assert api.paths().count(PROFILE) == 2


def test_the_import_page_shows_a_failure_in_english_and_imports_nothing(monkeypatch, db_path, api):
    _unknown_mastodon(api)
    at = _import_page(monkeypatch, db_path)
    at.segmented_control(key="language").set_value("en").run()
    at.radio(key="fetch_network").set_value("mastodon")
    at.text_input(key="fetch_handle").input("@personne@mastodon.social")
    at.button(key="fetch_submit").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("No account")
    con = store.connect(db_path)
    try:
        assert store.is_empty(con)
    finally:
        con.close()
