"""Two `python app.py` processes on one PostgreSQL database and one shared data folder, as
the README's "Team deployment" runs them: a sign-in made on one is honoured on the other, a
logout on either ends it on both, and `coach user passwd` (a third process) ends it on both.
Uploads through one are served by the other to their uploader only. The app runs against
the Ollama double (tests/fixtures/ollama_double.py, the only test double)."""

from __future__ import annotations

import httpx
import pytest

from assistant.store.postgres_store import PostgresStore
from assistant.users import Accounts
from tests.fixtures.app_process import coach_user

PASSWORD = "ann-password-1"


@pytest.fixture
def two_processes(app_factory, double, postgres, tmp_path):
    with postgres.schema() as url:
        store = PostgresStore(url)
        store.migrate()
        Accounts(store).add("ann", PASSWORD)
        Accounts(store).add("bob", PASSWORD)
        store.close()
        env = {"COACH_DATABASE_URL": url, "GRADIO_TEMP_DIR": str(tmp_path / "gradio")}
        shared = tmp_path / "data"  # one COACH_DATA_DIR for both
        first = app_factory(double.url, data_dir=shared, **env)
        second = app_factory(double.url, data_dir=shared, **env)
        yield first.url, second.url, url
        first.stop()
        second.stop()


def _sign_in(url: str, name: str) -> httpx.Cookies:
    answer = httpx.post(f"{url}/login", data={"username": name, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.cookies


def _status(url: str, cookies: httpx.Cookies) -> int:
    return httpx.get(f"{url}/config", cookies=cookies, timeout=30).status_code


def test_sign_in_upload_logout_and_passwd_hold_across_two_app_processes(two_processes):
    first, second, database_url = two_processes
    ann = _sign_in(first, "ann")
    assert _status(second, ann) == 200
    assert httpx.get(f"{second}/gradio_api/user", cookies=ann, timeout=30).json() == "ann"

    bob = _sign_in(second, "bob")
    uploaded = httpx.post(
        f"{first}/gradio_api/upload",
        cookies=ann,
        files={"files": ("notes.md", b"ANN-NOTES")},
        timeout=30,
    )
    assert uploaded.status_code == 200, uploaded.text
    path = uploaded.json()[0]
    assert httpx.get(f"{second}/gradio_api/file={path}", cookies=ann, timeout=30).text == (
        "ANN-NOTES"
    )
    assert httpx.get(f"{second}/gradio_api/file={path}", cookies=bob, timeout=30).status_code == 403

    httpx.get(f"{second}/logout", cookies=ann, timeout=30)
    assert _status(first, ann) == 401 and _status(second, ann) == 401

    ann = _sign_in(second, "ann")
    assert _status(first, ann) == 200
    env = {"COACH_DATABASE_URL": database_url}
    coach_user("passwd", "ann", "--password-stdin", env=env, password="a-new-password-2")
    assert _status(first, ann) == 401 and _status(second, ann) == 401
    assert _status(first, bob) == 200 and _status(second, bob) == 200
