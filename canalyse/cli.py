"""The `canalyse` command: import files or public posts into a workspace and print a report, for people and scripts."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from canalyse import store
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.formatting import fmt_int, fmt_money, fmt_percent, fmt_period
from canalyse.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from canalyse.importing.fetch import NETWORKS, Progress, fetch_account
from canalyse.importing.pipeline import ANY_NETWORK, FileReport, ImportAnswers, import_files
from canalyse.platforms import label, normalise_platform

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", help="workspace file (default: $CANALYSE_DB or data/workspace.duckdb)"
    )
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="message language"
    )
    parser = argparse.ArgumentParser(
        prog="canalyse", description="Canalyse: views, cost and staff time per social network."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", parents=[common], help="import exported files")
    importing.add_argument("files", nargs="+", metavar="FILE", help="CSV, XLSX, XLS or ZIP files")
    importing.add_argument("--campaign", help="tag these imports with a campaign name")
    importing.add_argument(
        "--year",
        type=int,
        help="year of dates written without one (TikTok), if the file name lacks it",
    )
    importing.add_argument(
        "--platform",
        choices=("facebook", "instagram"),
        help="network of Meta daily files that do not say theirs (Views.csv, Reach.csv…)",
    )
    _answer_options(importing)
    fetching = commands.add_parser(
        "fetch",
        parents=[common],
        help="read an account's public posts and followers (Bluesky, Mastodon) and import them",
    )
    fetching.add_argument("network", choices=NETWORKS, help="the network")
    fetching.add_argument(
        "handle", metavar="HANDLE", help="name.bsky.social (Bluesky) or @name@server (Mastodon)"
    )
    fetching.add_argument(
        "--since", type=_day, help="only posts from this day on, YYYY-MM-DD (default: all)"
    )
    fetching.add_argument("--campaign", help="tag this import with a campaign name")
    _answer_options(fetching)
    reporting = commands.add_parser(
        "report", parents=[common], help="print views, share and return on investment per platform"
    )
    reporting.add_argument(
        "--hourly-cost",
        type=float,
        help="loaded cost of a staff hour in € (default: workspace setting)",
    )
    reporting.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    reporting.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    reporting.add_argument("--campaign", help="only this campaign (tag or saved date range)")
    reporting.add_argument(
        "--platform", action="append", dest="platforms", help="only this platform (repeatable)"
    )
    deck = commands.add_parser(
        "deck", parents=[common], help="write a PowerPoint deck with editable charts"
    )
    deck.add_argument("--out", required=True, help="the .pptx file to write")
    deck.add_argument("--campaign", help="only this campaign (tag or saved date range)")
    deck.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    deck.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    deck.add_argument(
        "--hourly-cost",
        type=float,
        help="loaded cost of a staff hour in € (default: workspace setting)",
    )
    return parser


def _deck(con, args) -> int:
    # Heavy modules (python-pptx, Plotly) only for the command that needs them: start-up counts.
    from canalyse.decision import saved_scorecard
    from canalyse.deck import build_deck

    filters = Filters(start=args.start, end=args.end, campaign=args.campaign)
    scorecard = saved_scorecard(con, filters, args.lang, args.hourly_cost)
    data = build_deck(con, filters, args.lang, args.hourly_cost, scorecard=scorecard)
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(
            t("cli.error.cannot_write", args.lang, path=str(out), detail=exc.strerror),
            file=sys.stderr,
        )
        return EXIT_FAILED
    if args.json:
        print(json.dumps({"file": str(out), "bytes": len(data)}))
    else:
        print(t("cli.deck.written", args.lang, path=str(out)))
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    try:
        con = store.connect(store.resolve_db_path(args.db))
    except CanalyseError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_FAILED
    try:
        if args.command == "import":
            return _import(con, args)
        if args.command == "fetch":
            return _fetch(con, args)
        if args.command == "deck":
            return _deck(con, args)
        return _report(con, args)
    finally:
        con.close()


def _import(con, args) -> int:
    readable: list[tuple[str, bytes]] = []
    unreadable: dict[int, FileReport] = {}
    for number, name in enumerate(args.files):
        path = Path(name)
        try:
            readable.append((path.name, path.read_bytes()))
        except OSError:
            message = t("cli.error.cannot_read", args.lang, file=name)
            unreadable[number] = FileReport(path.name, "error", message)
    imported = iter(
        import_files(
            con,
            readable,
            campaign=args.campaign,
            lang=args.lang,
            year=args.year,
            answers=_answers(args),
        )
    )
    reports = [unreadable.get(number) or next(imported) for number in range(len(args.files))]
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        _print_reports(reports, args.lang)
    return EXIT_FAILED if any(r.status in ("error", "question") for r in reports) else EXIT_OK


def _fetch(con, args) -> int:
    def show(progress: Progress) -> None:
        print(progress.message(args.lang), file=sys.stderr)

    report = fetch_account(
        con,
        args.network,
        args.handle,
        since=args.since,
        campaign=args.campaign,
        lang=args.lang,
        on_progress=None if args.json else show,
        answers=_answers(args),
    )
    if args.json:
        # The same shape as `import --json`; a failed fetch still names its network.
        found = report.to_json()
        found["platform"] = found["platform"] or args.network
        print(json.dumps([found], ensure_ascii=False, indent=2))
    else:
        _print_reports([report], args.lang)
    return EXIT_FAILED if report.status in ("error", "question") else EXIT_OK


def _print_reports(reports: list[FileReport], lang: str) -> None:
    for report in reports:
        stream = sys.stderr if report.status in ("error", "question") else sys.stdout
        print(report.message, file=stream)
        for question in report.questions:
            print(f"  ? {question.message}", file=stream)
            print(f"    {t(f'cli.answer.{question.kind}', lang)}", file=stream)
        for table in report.tables:
            period = fmt_period(table.date_min, table.date_max, lang) or t("period.undated", lang)
            print(f"  · {table.name} — {table.layout_label} — {period}")
            for note in table.notes:
                print(f"    {note}")


def _answer_options(command: argparse.ArgumentParser) -> None:
    """The options that answer the questions an import may ask before it is stored."""
    command.add_argument(
        "--repeated",
        choices=("replace", "keep"),
        help="when a file repeats the figures of an earlier import: replace it, or keep both",
    )
    accounts = command.add_mutually_exclusive_group()
    accounts.add_argument(
        "--account",
        help="figures without an account (in the file, or already imported for the same "
        "network and days) are this account's",
    )
    accounts.add_argument(
        "--separate-account",
        action="store_true",
        help="figures without an account are another account's: count them apart",
    )


def _answers(args) -> ImportAnswers:
    """The answers given on the command line to the questions an import may ask."""
    if args.account:
        accounts = {ANY_NETWORK: args.account.strip()}
    elif args.separate_account:
        accounts = {ANY_NETWORK: ""}
    else:
        accounts = {}
    return ImportAnswers(
        repeated=args.repeated, accounts=accounts, platform=getattr(args, "platform", None)
    )


def _report(con, args) -> int:
    from canalyse.report import build_report

    if args.hourly_cost is not None and args.hourly_cost < 0:
        print(t("cli.error.negative_cost", args.lang), file=sys.stderr)
        return EXIT_USAGE
    filters = Filters(
        start=args.start,
        end=args.end,
        campaign=args.campaign,
        platforms=tuple(normalise_platform(p) or p for p in args.platforms or ()) or None,
    )
    report = build_report(con, filters, args.hourly_cost)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    lang = args.lang
    if not report["platforms"]:
        print(t("cli.report.empty", lang))
        return EXIT_OK
    days = [date.fromisoformat(d) if d else None for d in (report["date_min"], report["date_max"])]
    period = fmt_period(*days, lang) or t("period.undated", lang)
    print(t("cli.report.header", lang, views=fmt_int(report["total_views"], lang), period=period))
    print(
        f"  {'':<12} {t('cli.report.views', lang):>20} {t('cli.report.share', lang):>9}"
        f" {t('cli.report.per_hour', lang):>14} {t('cli.report.per_1000', lang):>16}"
    )
    for row in report["platforms"]:
        views = fmt_int(row["views"], lang) if row["views"] is not None else t("views.none", lang)
        share = fmt_percent(row["share_of_views"], lang)
        per_hour = fmt_int(row["views_per_staff_hour"], lang)
        per_1000 = fmt_money(row["cost_per_1000_views"], lang)
        print(
            f"  {label(row['platform']):<12} {views:>20} {share:>9} {per_hour:>14} {per_1000:>16}"
        )
    print(t("cli.report.cost_note", lang, cost=fmt_money(report["hourly_cost"], lang)))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
