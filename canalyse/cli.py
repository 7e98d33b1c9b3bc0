"""The `canalyse` command: import files or public posts into a workspace and print a report, for people and scripts."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from canalyse import logs, store
from canalyse.errors import CanalyseError
from canalyse.filters import Filters
from canalyse.formatting import fmt_int, fmt_money, fmt_percent, fmt_period
from canalyse.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from canalyse.platforms import FETCHABLE, label, normalise_platform
from canalyse.store import workspaces

if TYPE_CHECKING:
    from canalyse.importing.pipeline import FileReport, ImportAnswers

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument(
        "--db", help="workspace file (default: $CANALYSE_DB or data/workspace.duckdb)"
    )
    where.add_argument(
        "--workspace", metavar="NAME", help="the workspace NAME in the folder $CANALYSE_WORKSPACES"
    )
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="message language"
    )
    common.add_argument(
        "--verbose",
        action="store_true",
        help=f"log what happens, tracebacks included, on stderr (or set ${logs.LEVEL_VARIABLE})",
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
    fetching.add_argument("network", choices=FETCHABLE, help="the network")
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
    commands.add_parser(
        "backup", parents=[common], help="copy the workspace to the backups/ folder beside it"
    )
    restoring = commands.add_parser(
        "restore",
        parents=[common],
        help="put a backup back in place of the workspace (the current file is kept in backups/)",
    )
    restoring.add_argument(
        "backup", nargs="?", metavar="BACKUP", help="the copy to restore (default: the latest)"
    )
    commands.add_parser(
        "upgrade", parents=[common], help="bring the workspace up to this version of Canalyse"
    )
    members = commands.add_parser(
        "members",
        parents=[common],
        help="list, add or remove who may open the workspace on a team server with sign-in",
    )
    change = members.add_mutually_exclusive_group()
    change.add_argument("--add", metavar="EMAIL", help="give EMAIL the --role in this workspace")
    change.add_argument("--remove", metavar="EMAIL", help="take EMAIL out of this workspace")
    members.add_argument(
        "--role", choices=store.ROLES, default="viewer", help="viewer (read) or editor (change)"
    )
    return parser


def _deck(con, args) -> int:
    # Heavy modules (python-pptx, Plotly) only for the command that needs them: start-up counts.
    from canalyse.analysis.decision import saved_scorecard
    from canalyse.output.deck import build_deck

    filters = Filters(start=args.start, end=args.end, campaign=args.campaign)
    scorecard = saved_scorecard(con, filters, args.lang, args.hourly_cost)
    data = build_deck(con, filters, args.lang, args.hourly_cost, scorecard=scorecard)
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        error = CanalyseError("cli.error.cannot_write", path=str(out), detail=exc.strerror)
        return _fail(args, error)
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
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            args = _parser().parse_args(argv)
    except SystemExit as exc:
        print(said.getvalue(), end="", file=sys.stderr)
        if exc.code in (0, None):
            return EXIT_OK
        if "--json" in (sys.argv[1:] if argv is None else argv):
            # Scripts get the documented JSON even when the command line itself is wrong.
            lines = said.getvalue().strip().splitlines() or ["usage"]
            print(json.dumps({"error": {"code": "usage", "message": lines[-1], "backup": None}}))
        return EXIT_USAGE
    level = logs.requested_level(args.verbose)
    if level:
        logs.configure(level)
    try:
        return _run(args)
    except CanalyseError as exc:
        return _fail(args, exc)
    except duckdb.Error as exc:
        # Last resort, so that no traceback reaches the user: the store words its own errors.
        logger.exception("canalyse %s failed", args.command)
        detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        return _fail(args, CanalyseError("store.error.unexpected", detail=detail))


def _workspace_path(args) -> Path:
    """The workspace file: --workspace NAME in $CANALYSE_WORKSPACES, else --db, $CANALYSE_DB…"""
    if args.workspace:
        where = workspaces.folder()
        if where is None:
            raise CanalyseError("cli.error.no_workspaces_dir")
        return workspaces.path_of(where, args.workspace)
    return store.resolve_db_path(args.db)


def _run(args) -> int:
    path = _workspace_path(args)
    actor = store.system_actor("cli")
    program = f"canalyse {args.command}"
    if args.command in ("report", "deck"):
        if args.hourly_cost is not None and args.hourly_cost < 0:
            _fail(args, CanalyseError("cli.error.negative_cost"))
            return EXIT_USAGE
        with store.reading(path) as con:
            return _report(con, args) if args.command == "report" else _deck(con, args)
    if args.command == "backup":
        copy = store.make_backup(path, actor=actor, program=program)
        return _done(args, {"backup": str(copy)}, t("cli.backup.written", args.lang, path=copy))
    if args.command == "restore":
        result = store.restore(path, args.backup, actor=actor, program=program)
        message = t("store.restored", args.lang, backup=result["restored"], kept=result["kept"])
        return _done(args, result, message)
    if args.command == "fetch":
        # The network is read before the workspace is opened: a slow server never holds the lock.
        return _fetch(lambda: store.writing(path, actor=actor, program=program), args)
    with store.writing(path, actor=actor, program=program) as con:
        if args.command == "import":
            return _import(con, args)
        if args.command == "members":
            return _members(con, args)
        version = store.schema_version(con)
    message = t("cli.upgrade.done", args.lang, path=path, version=version)
    return _done(args, {"workspace": str(path), "schema_version": version}, message)


def _done(args, content: dict, message: str) -> int:
    print(json.dumps(content, ensure_ascii=False) if args.json else message)
    return EXIT_OK


def _fail(args, error: CanalyseError) -> int:
    """Say why the command failed: in words on stderr, or as the documented JSON with --json."""
    message = error.message(args.lang)
    backup = None
    if isinstance(error, store.WorkspaceDamaged):
        backup = str(error.backup) if error.backup else None
        hint = (
            t("store.restore_hint", args.lang, backup=backup)
            if backup
            else t("store.no_backup_hint", args.lang)
        )
        message = f"{message}\n{hint}"
    if args.json and args.command == "import":
        from canalyse.importing.pipeline import FileReport

        reports = [FileReport(Path(name).name, "error", message) for name in args.files]
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    elif args.json:
        failure = {"code": error.key, "message": message, "backup": backup}
        print(json.dumps({"error": failure}, ensure_ascii=False, indent=2))
    else:
        print(message, file=sys.stderr)
    return EXIT_FAILED


def _members(con, args) -> int:
    if args.add:
        store.set_member(con, args.add, args.role)
    elif args.remove:
        store.set_member(con, args.remove, None)
    listed = store.members(con)
    if args.json:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    elif not listed:
        print(t("cli.members.none", args.lang))
    for email, role in listed.items() if not args.json else ():
        print(t("cli.members.line", args.lang, email=email, role=t(f"role.{role}", args.lang)))
    return EXIT_OK


def _import(con, args) -> int:
    # The importers load only for the commands that import: a report or a deck starts faster.
    from canalyse.importing.pipeline import FileReport, import_files

    # Each file is read when its turn comes, from the disk (a big text file is never held in
    # memory): only whether it can be opened is checked first.
    readable: list[tuple[str, Path]] = []
    unreadable: dict[int, FileReport] = {}
    for number, name in enumerate(args.files):
        path = Path(name)
        try:
            with path.open("rb"):
                readable.append((path.name, path))
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


def _fetch(writer, args) -> int:
    from canalyse.importing.fetch import Progress, fetch_account

    def show(progress: Progress) -> None:
        print(progress.message(args.lang), file=sys.stderr)

    report = fetch_account(
        writer,
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
    from canalyse.importing.pipeline import ANY_NETWORK, ImportAnswers

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
    from canalyse.analysis.findings import uneven_periods
    from canalyse.output.report import build_report, platform_totals

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
    # The share column compares what each network's figures cover, as the Overview's chart says.
    uneven = uneven_periods(platform_totals(con, filters), lang)
    if uneven:
        print(uneven)
        print(t("cli.report.uneven_hint", lang))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
