"""A team server in a real browser: sign-in through a local OpenID provider, viewers and editors,
one workspace per organisation, imports from the command line while pages are open, two imports
at once, a damaged workspace restored from the page.

The OpenID provider is `oidc-provider-mock`, started here on a free local port; its sign-in form
takes any address. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from canalyse import store
from canalyse.importing.pipeline import import_file
from tests.browsing import (
    assert_no_exception,
    free_port,
    new_tab,
    open_page,
    rerun,
    save,
    serve,
    settle,
    stop,
    text,
    wait_for,
)
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser

DAILY = FIXTURES / "handmade" / "daily_en.csv"
MONTHLY = FIXTURES / "handmade" / "mensuel_bom.csv"
SUMMARY = FIXTURES / "handmade" / "bilan_cp1252.csv"


def _app(tmp_path: Path, env: dict, secrets: str | None = None):
    """Start the app on a free port with `env` (and the sign-in `secrets`); yields its address."""
    port = free_port()
    arguments: tuple[str, ...] = ()
    if secrets is not None:
        path = tmp_path / "secrets.toml"
        path.write_text(secrets.replace("{app_port}", str(port)), encoding="utf-8")
        arguments = ("--secrets.files", str(path))
    env = {"CANALYSE_WRITE_WAIT": "20", **env}
    yield from serve(tmp_path / f"server-{port}.log", env, arguments, port=port)


@pytest.fixture
def user_tab(browser):
    """Makes a tab in a new browser profile (its own cookies: its own signed-in user); the profiles
    are closed when the test ends."""
    made = []

    def make():
        made.append(new_tab(browser, height=1000))
        return made[-1]

    yield make
    for tab in made:
        tab.context.close()


@pytest.fixture
def second_tab(module_tab):
    """Another tab beside the module's (the same browser profile: the app keeps nothing there, and
    without sign-in both are the same user), closed when the test ends."""
    tab = module_tab.context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """A local OpenID Connect provider (oidc-provider-mock) on a free port."""
    tmp_path = tmp_path_factory.mktemp("oidc")
    port = free_port()
    log_path = tmp_path / "oidc.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/.well-known/openid-configuration", process, log_path)
    yield url
    stop(process)
    log.close()


def _secrets(provider: str) -> str:
    return f"""
[auth]
redirect_uri = "http://127.0.0.1:{{app_port}}/oauth2callback"
cookie_secret = "tests-only-cookie-secret-0123456789abcdef0123456789"
client_id = "canalyse"
client_secret = "tests-only-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
"""


def _workspace(folder: Path, name: str, members: dict[str, str], *files: Path) -> Path:
    path = folder / f"{name}.duckdb"
    with store.writing(path, actor="admin", program="pytest") as con:
        for email, role in members.items():
            store.set_member(con, email, role)
        for file in files:
            assert import_file(con, file.name, file.read_bytes()).status == "imported"
    return path


@pytest.fixture(scope="module")
def team(tmp_path_factory, provider):
    """A server with sign-in and two organisations' workspaces (Rennes and Nantes). Shared by the
    tests that only read them: each signs in from a browser profile of its own."""
    tmp_path = tmp_path_factory.mktemp("team")
    folder = tmp_path / "srv"
    _workspace(
        folder,
        "rennes",
        {"cheffe@rennes.fr": "editor", "lecteur@rennes.fr": "viewer", "com@agence.fr": "editor"},
        SUMMARY,
    )
    _workspace(folder, "nantes", {"agent@nantes.fr": "editor", "com@agence.fr": "viewer"}, DAILY)
    yield from _app(tmp_path, {"CANALYSE_WORKSPACES": str(folder)}, _secrets(provider))


def _offered_for_deletion(tab) -> str:
    """The imports listed in the history's delete choice (the table itself is drawn on a canvas)."""
    choice = tab.locator('[class*="st-key-delete_choice"]')
    choice.wait_for()
    values = " ".join(choice.locator("input").evaluate_all("els => els.map(e => e.value)"))
    return text(choice) + " " + values


def _sign_in(tab, url: str, email: str) -> None:
    open_page(tab, url)
    tab.get_by_role("button", name="Se connecter").click()
    tab.locator('input[name="sub"]').fill(email)
    tab.get_by_role("button", name="Authorize").click()
    tab.wait_for_url(f"{url}/**")
    settle(tab, 0)


def test_sign_in_is_required_and_a_viewer_cannot_delete(user_tab, team):
    tab = user_tab()
    open_page(tab, team)
    main = tab.locator('[data-testid="stMain"]')
    # The sign-in page is drawn once the session has asked for the user: wait for it, not a delay.
    main.get_by_text("Connexion requise").first.wait_for()
    assert "Connexion requise" in text(main)
    assert tab.locator('[data-testid="stPlotlyChart"]').count() == 0
    save(tab, "team_sign_in_fr.png")
    open_page(tab, f"{team}/import_data")
    main.get_by_text("Connexion requise").first.wait_for()
    assert "Connexion requise" in text(tab.locator('[data-testid="stMain"]'))
    assert "bilan_cp1252" not in text(tab.locator("body"))

    _sign_in(tab, team, "Lecteur@Rennes.fr")
    tab.get_by_text("Connecté : lecteur@rennes.fr (lecture)").wait_for()
    open_page(tab, f"{team}/import_data")
    tab.get_by_text("en lecture seule").wait_for()
    assert tab.get_by_role("button", name="Supprimer").is_disabled()
    assert tab.get_by_role("button", name="Importer", exact=True).is_disabled()
    assert_no_exception(tab)
    save(tab, "team_viewer_import_fr.png")


def test_two_users_in_two_workspaces_see_only_their_own(user_tab, team):
    rennes, nantes = user_tab(), user_tab()
    _sign_in(rennes, team, "cheffe@rennes.fr")
    _sign_in(nantes, team, "agent@nantes.fr")
    for tab, mine, theirs, file in (
        (rennes, "rennes", "nantes", "bilan_cp1252.csv"),
        (nantes, "nantes", "rennes", "daily_en.csv"),
    ):
        open_page(tab, f"{team}/import_data")
        sidebar = text(tab.locator('[data-testid="stSidebar"]'))
        assert mine in sidebar and theirs not in sidebar
        offered = _offered_for_deletion(tab)
        assert file in offered
        other = "daily_en.csv" if file == "bilan_cp1252.csv" else "bilan_cp1252.csv"
        assert other not in offered
        assert not tab.get_by_role("button", name="Supprimer").is_disabled()
        assert_no_exception(tab)
    save(rennes, "team_editor_rennes_fr.png")


def test_someone_in_two_workspaces_switches_in_the_sidebar(user_tab, team):
    tab = user_tab()
    _sign_in(tab, team, "com@agence.fr")
    open_page(tab, f"{team}/import_data")
    # Nantes first (by name), where this user only reads.
    assert "daily_en.csv" in _offered_for_deletion(tab)
    tab.get_by_text("Connecté : com@agence.fr (lecture)").wait_for()
    assert tab.get_by_role("button", name="Supprimer").is_disabled()
    with rerun(tab):
        tab.locator(".st-key-workspace").click()
        tab.get_by_role("option", name="rennes").click()
    tab.get_by_text("Connecté : com@agence.fr (édition)").wait_for()
    assert "bilan_cp1252.csv" in _offered_for_deletion(tab)
    assert not tab.get_by_role("button", name="Supprimer").is_disabled()
    assert_no_exception(tab)
    save(tab, "team_switch_fr.png")


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    """A server without sign-in on one workspace file, and that file's folder."""
    tmp_path = tmp_path_factory.mktemp("local")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for url in _app(tmp_path, {"CANALYSE_DB": str(workspace / "workspace.duckdb")}):
        yield url, workspace


@pytest.fixture
def local_db(local_server) -> Path:
    """The local server's workspace, made anew for each test with only the Rennes summary (its
    journal and backups removed too: the app holds no connection between two runs of a page)."""
    workspace = local_server[1]
    shutil.rmtree(workspace)
    workspace.mkdir()
    db = workspace / "workspace.duckdb"
    with store.writing(db, actor="admin", program="pytest") as con:
        assert import_file(con, SUMMARY.name, SUMMARY.read_bytes()).status == "imported"
    return db


@pytest.fixture
def local(local_server, local_db) -> str:
    """The address of the local server, over a workspace holding the Rennes summary."""
    return local_server[0]


def test_a_command_line_import_lands_while_a_page_is_open(page, local, local_db):
    tab = page
    open_page(tab, local)
    chart = tab.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".main-svg").first.wait_for()
    before = text(tab.locator('[data-testid="stMain"]'))

    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "canalyse.cli",
            "import",
            str(DAILY),
            "--db",
            str(local_db),
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CANALYSE_WRITE_WAIT": "10"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"status": "imported"' in result.stdout
    assert time.monotonic() - started < 60

    # The open page's next rerun shows the new figures; the history names the file and who.
    tab.locator("h1").first.click()
    tab.keyboard.press("r")
    tab.get_by_text("447 800").first.wait_for()  # 446 000 + the 1 800 views of the new file
    assert "446 000" in before
    save(tab, "team_cli_import_overview_fr.png")
    open_page(tab, f"{local}/import_data")
    assert "daily_en.csv" in _offered_for_deletion(tab)
    assert_no_exception(tab)
    save(tab, "team_cli_import_history_fr.png")


def test_two_imports_from_two_pages_at_once_both_land(page, second_tab, local, local_db):
    first, second = page, second_tab
    for tab, file in ((first, DAILY), (second, MONTHLY)):
        open_page(tab, f"{local}/import_data")
        tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
        tab.locator('[data-testid="stFileChip"]').first.wait_for()
    first.get_by_role("button", name="Importer", exact=True).click()
    second.get_by_role("button", name="Importer", exact=True).click()
    for n, (tab, file) in enumerate(((first, DAILY), (second, MONTHLY))):
        # The import's message, or the refusal of a writer that waited too long (20 s here).
        done = tab.get_by_text(f"« {file.name} » importé")
        done.or_(tab.locator('[data-testid="stAlertContentError"]')).first.wait_for(timeout=60_000)
        if not done.is_visible():
            save(tab, f"two_imports_tab{n}.png")
            alerts = tab.locator('[data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(f"tab {n} never said « {file.name} » importé; alerts: {alerts}")
    with store.reading(local_db) as con:
        names = sorted(store.list_sources(con)["file_name"])
    assert names == ["bilan_cp1252.csv", "daily_en.csv", "mensuel_bom.csv"]
    assert_no_exception(first)
    assert_no_exception(second)


def test_a_damaged_workspace_is_refused_on_the_page_and_restored(page, local, local_db):
    db = local_db
    store.make_backup(db, actor="admin", program="pytest")
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    damaged = db.read_bytes()
    tab = page
    open_page(tab, f"{local}/import_data")
    error = tab.locator('[data-testid="stAlertContentError"]')
    error.wait_for()
    assert "incomplet" in text(error) and "rien écrit" in text(error)
    assert "Traceback" not in text(tab.locator("body"))
    assert db.read_bytes() == damaged
    save(tab, "team_damaged_fr.png")

    with rerun(tab):
        tab.get_by_role("button", name="Restaurer la dernière sauvegarde").click()
    tab.get_by_text("remise en place").wait_for()
    # The history is drawn after the notice: on a loaded machine, a moment later.
    deadline = time.monotonic() + 15
    while "bilan_cp1252.csv" not in _offered_for_deletion(tab) and time.monotonic() < deadline:
        tab.wait_for_timeout(200)
    assert "bilan_cp1252.csv" in _offered_for_deletion(tab)
    assert_no_exception(tab)
    save(tab, "team_restored_fr.png")
