"""Two Gradio apps (as two app processes would be) over one store: a sign-in made on one is
honoured on the other and ends on both at logout, password change and removal; an upload
made through one is its uploader's on the other too. Each app is the real Gradio server with
the real guard, on its own port; the store is SQLite or PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import httpx
import pytest

from assistant.config import Settings
from assistant.store import Store
from assistant.ui import launch
from assistant.ui.user_files import UserFiles
from assistant.users import Accounts, auth_callable, credential_fingerprint
from tests.fixtures.app_process import free_port

PASSWORD = "correct horse battery"


@pytest.fixture
def shared_store(tmp_path, database_url) -> Iterator[Store]:
    if database_url is None:
        store = Store(tmp_path / "coach.sqlite3")
    else:
        from assistant.store.postgres_store import PostgresStore

        store = PostgresStore(database_url)
    store.migrate()
    accounts = Accounts(store)
    accounts.add("ann", PASSWORD)
    accounts.add("bob", PASSWORD)
    yield store
    if database_url is not None:
        store.close()


def _serve(store: Store, cache_dir: Path) -> tuple[str, gr.Blocks]:
    with gr.Blocks() as demo:
        gr.Textbox("hello")
    settings = Settings(host="127.0.0.1", port=free_port())

    def fingerprint(name: str) -> str | None:
        return credential_fingerprint(store.credential(name))

    launch(
        demo,
        settings,
        block=False,
        auth=auth_callable(Accounts(store)),
        fingerprint=fingerprint,
        files=UserFiles(cache_dir, owners=store),
        logins=store,
    )
    return f"http://127.0.0.1:{settings.port}", demo


@pytest.fixture
def two_apps(shared_store, tmp_path, monkeypatch) -> Iterator[tuple[str, str]]:
    cache_dir = tmp_path / "shared-cache"  # one GRADIO_TEMP_DIR for both, as the README says
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(cache_dir))
    first, demo_a = _serve(shared_store, cache_dir)
    second, demo_b = _serve(shared_store, cache_dir)
    yield first, second
    demo_a.close()
    demo_b.close()


def _sign_in(url: str, name: str) -> httpx.Cookies:
    answer = httpx.post(f"{url}/login", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    assert answer.cookies, "no sign-in cookie was set"
    return answer.cookies


def _config_status(url: str, cookies: httpx.Cookies) -> int:
    return httpx.get(f"{url}/config", cookies=cookies).status_code


def test_a_sign_in_on_one_app_is_honoured_on_the_other_and_a_logout_there_ends_it(
    two_apps, shared_store
):
    first, second = two_apps
    cookies = _sign_in(first, "ann")
    assert _config_status(second, cookies) == 200
    assert httpx.get(f"{second}/gradio_api/user", cookies=cookies).json() == "ann"
    # The store keeps a hash of the token, never the token itself.
    token = next(iter(cookies.values()))
    assert token not in shared_store.login_hashes() and len(shared_store.login_hashes()) == 1
    logout = httpx.get(f"{second}/logout", cookies=cookies)
    assert logout.status_code in (200, 302), logout.text
    assert _config_status(first, cookies) == 401
    assert _config_status(second, cookies) == 401


def test_a_changed_password_or_a_removed_user_ends_the_sign_in_on_both(two_apps, shared_store):
    first, second = two_apps
    ann = _sign_in(first, "ann")
    bob = _sign_in(second, "bob")
    assert _config_status(second, ann) == 200 and _config_status(first, bob) == 200
    Accounts(shared_store).change_password("ann", "another long password")  # `coach user passwd`
    assert _config_status(first, ann) == 401 and _config_status(second, ann) == 401
    assert _config_status(first, bob) == 200
    Accounts(shared_store).remove("bob")  # `coach user remove`
    assert _config_status(first, bob) == 401 and _config_status(second, bob) == 401


def test_a_password_changed_behind_the_apps_back_ends_the_sign_in_on_both(two_apps, shared_store):
    # A credential replaced without ending the logins (an older `coach` on the same store):
    # the fingerprint each login was issued with no longer matches, on either app.
    from assistant.users import hash_password

    first, second = two_apps
    ann = _sign_in(second, "ann")
    assert _config_status(first, ann) == 200
    user_id = shared_store.find_user("ann")
    assert user_id is not None
    shared_store.set_credential(user_id, hash_password("yet another password"))
    assert _config_status(first, ann) == 401 and _config_status(second, ann) == 401
    assert shared_store.login_hashes() == []


def test_an_upload_through_one_app_is_its_uploaders_on_the_other(two_apps):
    first, second = two_apps
    ann, bob = _sign_in(first, "ann"), _sign_in(second, "bob")
    uploaded = httpx.post(
        f"{first}/gradio_api/upload", cookies=ann, files={"files": ("notes.md", b"ANN-NOTES")}
    )
    assert uploaded.status_code == 200, uploaded.text
    path = uploaded.json()[0]
    on_second = httpx.get(f"{second}/gradio_api/file={path}", cookies=ann)
    assert on_second.status_code == 200 and on_second.text == "ANN-NOTES"
    refused = httpx.get(f"{second}/gradio_api/file={path}", cookies=bob)
    assert refused.status_code == 403 and "ANN" not in refused.text
    refused = httpx.get(f"{first}/gradio_api/file={path}", cookies=bob)
    assert refused.status_code == 403


def test_an_export_written_by_one_app_is_served_to_its_user_by_the_other(two_apps, tmp_path):
    first, second = two_apps
    ann, bob = _sign_in(first, "ann"), _sign_in(second, "bob")
    # Written as the first app writes a download (its UserFiles over the shared cache).
    export = UserFiles(tmp_path / "shared-cache").write_text("ann", "ann.json", "ANN-EXPORT")
    served = httpx.get(f"{second}/gradio_api/file={export}", cookies=ann)
    assert served.status_code == 200 and served.text == "ANN-EXPORT"
    refused = httpx.get(f"{second}/gradio_api/file={export}", cookies=bob)
    assert refused.status_code == 403 and "ANN" not in refused.text
