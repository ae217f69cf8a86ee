"""Sharing with sign-in: two users of one real `python app.py`, and neither sees the other.

Users are created with `coach user add --password-stdin`; the app runs against the Ollama double
(tests/fixtures/ollama_double.py, the only test double). Each user works through gradio_client
and through the page's own (hidden) endpoints over raw HTTP, the way the browser calls them;
then Chromium signs in as one user and looks for the other's goal on every tab.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from gradio_client import Client
from playwright.sync_api import expect

from tests.e2e.conftest import RunningApp, screenshot
from tests.fixtures.app_process import coach_user

PASSWORDS = {"ann": "ann-password-1", "bob": "bob-password-2"}
SECRETS = {
    name: {
        "message": f"{name.upper()}-MESSAGE-7f3a",
        "goal": f"{name.upper()}-GOAL-ask-for-feedback",
        "upload": f"{name.upper()}-UPLOAD-notes",
    }
    for name in PASSWORDS
}


def add_user(env: Mapping[str, str], name: str, password: str) -> None:
    """`coach user add NAME --password-stdin`, as an operator's script would run it, with
    ``env`` saying which data (``app_factory.env(data_dir)``: the data dir, and the database
    on PostgreSQL)."""
    coach_user("add", name, "--password-stdin", env=env, password=password)


@pytest.fixture
def shared_app(app_factory, double, tmp_path) -> RunningApp:
    data_dir = tmp_path / "data"
    for name, password in PASSWORDS.items():
        add_user(app_factory.env(data_dir), name, password)
    return app_factory(double.url, data_dir=data_dir)


class Browserless:
    """A signed-in HTTP session that calls the page's endpoints by name, hidden ones too,
    exactly as the browser does (queue/join, then the event stream)."""

    def __init__(self, url: str, name: str, password: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        signed_in = self.http.post("/login", data={"username": name, "password": password})
        assert signed_in.status_code == 200, signed_in.text
        self.config = self.http.get("/config").json()

    def call(self, api_name: str, *data: Any) -> list[Any]:
        dependency = next(d for d in self.config["dependencies"] if d["api_name"] == api_name)
        session_hash = uuid.uuid4().hex[:12]
        joined = self.http.post(
            "/gradio_api/queue/join",
            json={
                "data": list(data),
                "fn_index": dependency["id"],
                "session_hash": session_hash,
                "event_data": None,
                "trigger_id": dependency["targets"][0][0],
            },
        )
        assert joined.status_code == 200, joined.text
        with self.http.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": session_hash}
        ) as events:
            for line in events.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    assert message.get("success"), message
                    return list(message["output"]["data"])
        raise AssertionError(f"{api_name} never completed")

    def upload(self, name: str, text: str) -> dict[str, Any]:
        sent = self.http.post(
            "/gradio_api/upload", files={"files": (name, text.encode(), "text/markdown")}
        )
        assert sent.status_code == 200, sent.text
        return {"path": sent.json()[0], "orig_name": name, "meta": {"_type": "gradio.FileData"}}

    def download(self, file_data: dict[str, Any]) -> str:
        got = self.http.get(f"/gradio_api/file={file_data['path']}")
        assert got.status_code == 200, got.text
        return got.text


def flatten(value: Any) -> str:
    """Everything an endpoint returned, as one string to search."""
    return json.dumps(value, ensure_ascii=False, default=str)


def chat_text(chat: list[dict[str, Any]]) -> str:
    parts = []
    for message in chat:
        content = message["content"]
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content)
        parts.append(str(content))
    return "\n".join(parts)


def act_as(url: str, name: str, double) -> None:
    """One user's work: a Reflect session with a message, a goal, and an uploaded note."""
    secret = SECRETS[name]
    client = Client(url, auth=(name, PASSWORDS[name]), verbose=False)
    double.script(f"What would help, {name}?")
    chat = client.predict(secret["message"], "en", api_name="/send")[0]
    assert secret["message"] in chat_text(chat)
    added = client.predict(secret["goal"], "they ask me twice", "", "en", api_name="/add_goal")
    assert secret["goal"] in flatten(added)
    page = Browserless(url, name, PASSWORDS[name])
    stored = page.call("upload", page.upload(f"{name}-notes.md", secret["upload"]), "en")
    assert f"{name}-notes.md" in flatten(stored)


def everything_seen_by(url: str, name: str) -> str:
    """All a user can read back: sessions, history and its export, goals, uploads, progress."""
    client = Client(url, auth=(name, PASSWORDS[name]), verbose=False)
    seen = [flatten(client.predict("en", api_name="/on_load"))]
    seen.append(flatten(client.predict("en", api_name="/uploads_view")))
    page = Browserless(url, name, PASSWORDS[name])
    history = page.call("refresh_5", "", "", "en")  # the History tab's list
    seen.append(flatten(history))
    exported = page.call("export_all", "", "", "en")
    values = [item.get("value", item) if isinstance(item, dict) else item for item in exported]
    files = [value for value in values if isinstance(value, dict) and value.get("path")]
    assert files, f"export_all returned no file for {name}: {exported}"
    seen.extend(page.download(item) for item in files)
    seen.append(flatten(page.call("refresh_8", "en")))  # the Progress tab's charts
    seen.append(flatten(page.call("refresh_3", "en")))  # the Goals tab's list
    seen.append(flatten(page.call("knowledge_search", "notes", "upload", "en")))
    return "\n".join(seen)


def test_two_users_never_see_each_others_data_through_the_api(shared_app, double):
    for name in PASSWORDS:
        act_as(shared_app.url, name, double)
    for name, other in (("ann", "bob"), ("bob", "ann")):
        seen = everything_seen_by(shared_app.url, name)
        # Each sees their own things (so the search below is a real one) ...
        assert SECRETS[name]["message"] in seen and SECRETS[name]["goal"] in seen
        assert f"{name}-notes.md" in seen
        # ... and nothing of the other's.
        for secret in SECRETS[other].values():
            assert secret not in seen, f"{name} can see {other}'s {secret}"
        assert f"{other}-notes.md" not in seen


def test_unauthenticated_and_wrong_password_calls_are_refused(shared_app):
    with pytest.raises(Exception, match="credentials were not provided|login"):
        Client(shared_app.url, verbose=False)
    with pytest.raises(ValueError, match="Could not login"):
        Client(shared_app.url, auth=("ann", "not-the-password"), verbose=False)
    with pytest.raises(ValueError, match="Could not login"):
        Client(shared_app.url, auth=("mallory", PASSWORDS["ann"]), verbose=False)
    anonymous = httpx.Client(base_url=shared_app.url, timeout=30)
    assert anonymous.get("/config").status_code == 401
    joined = anonymous.post(
        "/gradio_api/queue/join",
        json={"data": ["en"], "fn_index": 0, "session_hash": "anonymous1", "trigger_id": 0},
    )
    assert joined.status_code == 401
    wrong = anonymous.post("/login", data={"username": "bob", "password": PASSWORDS["ann"]})
    assert wrong.status_code == 400
    assert anonymous.get("/config").status_code == 401


def test_the_browser_signs_in_and_shows_only_ones_own_goal(shared_app, double, page):
    for name in PASSWORDS:
        Client(shared_app.url, auth=(name, PASSWORDS[name]), verbose=False).predict(
            SECRETS[name]["goal"], "", "", "en", api_name="/add_goal"
        )
    page.goto(shared_app.url)
    # The sign-in page explains itself in both languages (Gradio's own form is English).
    expect(page.get_by_text("sign in with the name and password", exact=False)).to_be_visible()
    expect(page.get_by_text("log ind med det navn og den adgangskode", exact=False)).to_be_visible()
    page.get_by_label("username").fill("ann")
    page.get_by_label("password").fill(PASSWORDS["ann"])
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("tab", name="Goals")).to_be_visible()
    tabs = page.get_by_role("tab")
    names = [tabs.nth(i).inner_text() for i in range(tabs.count())]
    assert "Goals" in names and len(names) >= 8
    for tab_name in names:
        page.get_by_role("tab", name=tab_name).click()
        if tab_name == "Goals":
            mine = page.locator(f"text={SECRETS['ann']['goal']} >> visible=true")
            expect(mine.first).to_be_visible()
        assert SECRETS["bob"]["goal"] not in page.content(), f"bob's goal on {tab_name}"
    screenshot(page, "auth-signed-in-goals")
    assert SECRETS["bob"]["goal"] not in page.content()
