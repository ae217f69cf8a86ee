"""Issue #15, server side, against a real `python app.py` with two users (ann, bob): another
page on this machine cannot read or write through the signed-in browser (Chromium), sign-ins
end when a password changes, failed sign-ins are throttled and logged, oversized bodies are
refused before they are read, and the page carries its security headers.

The attacker's page is served from another port of 127.0.0.1 by a plain http.server: to the
browser it is the "same site" as the app (ports do not count), so the browser sends the app's
cookies along and only the app's answers decide what the page may read.
"""

from __future__ import annotations

import http.server
import json
import socket
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningApp, free_port
from tests.e2e.test_auth import PASSWORDS, Browserless, add_user
from tests.fixtures.app_process import coach_user as run_coach_user

ATTACK = """
async function probe(app) {
  const results = {};
  async function read(name, path, init) {
    try {
      const answer = await fetch(app + path, {credentials: "include", ...init});
      results[name] = answer.status + " " + (await answer.text()).slice(0, 200);
    } catch (error) {
      results[name] = "blocked: " + error;
    }
  }
  await read("token", "/gradio_api/token");
  await read("config", "/config");
  await read("join", "/gradio_api/queue/join", {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({data: ["", "", "en"], fn_index: window.historyIndex,
                          session_hash: "attacker01", trigger_id: null}),
  });
  await read("data", "/gradio_api/queue/data?session_hash=attacker01");
  await read("simple_post", "/gradio_api/queue/join", {
    method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: "{}"});
  return results;
}
"""


class AttackerSite:
    """An http.server on another port of 127.0.0.1 serving one page."""

    def __init__(self, html: str) -> None:
        body = html.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> AttackerSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gradio_cache(tmp_path) -> Path:
    return tmp_path / "gradio-cache"


@pytest.fixture
def shared_app(app_factory, double, tmp_path, gradio_cache) -> RunningApp:
    data_dir = tmp_path / "data"
    for name, password in PASSWORDS.items():
        add_user(app_factory.env(data_dir), name, password)
    return app_factory(
        double.url, data_dir=data_dir, COACH_MAX_REQUEST_MB="1", GRADIO_TEMP_DIR=str(gradio_cache)
    )


def coach_user(app: RunningApp, *args: str, password: str | None = None) -> str:
    return run_coach_user(*args, env=app.env(), password=password)


def sign_in_on_the_page(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("tab", name="Goals")).to_be_visible()


def test_another_page_on_this_machine_can_neither_read_nor_write(shared_app, double, page):
    ann = Browserless(shared_app.url, "ann", PASSWORDS["ann"])
    double.script("What would help, ann?")
    Client(shared_app.url, auth=("ann", PASSWORDS["ann"]), verbose=False).predict(
        "ANN-TRANSCRIPT-9c1", "en", api_name="/send"
    )
    history = next(d for d in ann.config["dependencies"] if d["api_name"] == "refresh_5")
    assert "ANN-TRANSCRIPT-9c1" in json.dumps(ann.call("refresh_5", "", "", "en"))

    sign_in_on_the_page(page, shared_app.url, "ann")  # the browser holds ann's cookie
    with AttackerSite(f"<html><body><script>{ATTACK}</script></body></html>") as site:
        page.goto(site.url)
        page.evaluate(f"window.historyIndex = {history['id']}")
        results = page.evaluate("app => probe(app)", shared_app.url)
    for name in ("token", "config", "join", "data"):
        assert results[name].startswith("blocked"), (name, results[name])
    assert results["simple_post"].startswith("0 ")  # opaque: sent, but refused (below)
    log = shared_app.output()
    assert "Refused POST /gradio_api/queue/join" in log  # the no-cors POST never got in

    # The app's own page still works with its cookie, CSP and all.
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(shared_app.url)
    expect(page.get_by_role("tab", name="Goals")).to_be_visible()
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_role("gridcell", name="ANN-TRANSCRIPT-9c1")).to_be_visible()
    assert violations == []


def test_a_form_on_another_page_cannot_sign_the_browser_in_or_out(shared_app, page):
    form = (
        f'<form id="f" method="post" action="{shared_app.url}/login">'
        '<input name="username" value="bob"><input name="password" value="bob-password-2">'
        "</form>"
    )
    with AttackerSite(f"<html><body>{form}</body></html>") as site:
        page.goto(site.url)
        with page.expect_navigation():
            page.evaluate("document.getElementById('f').submit()")
        assert "came from another web page" in page.content()
        page.goto(shared_app.url)
        expect(page.get_by_label("username")).to_be_visible()  # not signed in as bob

        sign_in_on_the_page(page, shared_app.url, "ann")
        link = f'<a id="out" href="{shared_app.url}/logout">win a prize</a>'
        page.set_content(link)  # a page that is not the app, linking to its logout
        page.goto(site.url)
        page.evaluate(f"document.body.innerHTML = {json.dumps(link)}")
        with page.expect_navigation():
            page.click("#out")
        assert "came from another web page" in page.content()
        page.goto(shared_app.url)
        expect(page.get_by_role("tab", name="Goals")).to_be_visible()  # still signed in
        # Typing the address signs out (the browser says no page sent it there).
        page.goto(shared_app.url + "/logout")
        expect(page.get_by_label("username")).to_be_visible()


def test_changing_or_removing_a_password_ends_open_sign_ins(shared_app):
    ann = Browserless(shared_app.url, "ann", PASSWORDS["ann"])
    bob = Browserless(shared_app.url, "bob", PASSWORDS["bob"])
    note = ann.upload("ann-notes.md", "ANN-NOTE")
    assert ann.http.get("/config").status_code == 200
    assert bob.http.get("/config").status_code == 200

    said = coach_user(shared_app, "passwd", "ann", "--password-stdin", password="new-ann-pw-3")
    assert "open sign-ins end" in said
    assert ann.http.get("/config").status_code == 401
    assert ann.http.get(f"/gradio_api/file={note['path']}").status_code in (401, 403)
    sent = ann.http.post("/gradio_api/upload", files={"files": ("x.md", b"x", "text/markdown")})
    assert sent.status_code == 401
    assert bob.http.get("/config").status_code == 200  # others stay signed in
    assert "Sign-in of 'ann' ended" in shared_app.output()

    coach_user(shared_app, "remove", "bob")
    assert bob.http.get("/config").status_code == 401
    again = Browserless(shared_app.url, "ann", "new-ann-pw-3")  # the new password works
    assert again.http.get("/config").status_code == 200


def test_a_flood_of_wrong_passwords_is_throttled_logged_and_holds_nobody_else_up(shared_app):
    attacker = {"X-Forwarded-For": "10.6.6.6"}  # uvicorn trusts it from 127.0.0.1 (a proxy)

    def guess(i: int) -> int:
        answer = httpx.post(
            shared_app.url + "/login",
            data={"username": "ann", "password": f"guess-{i}-SECRET"},
            headers=attacker,
            timeout=60,
        )
        if answer.status_code == 429:
            assert int(answer.headers["retry-after"]) >= 1
        return answer.status_code

    with ThreadPoolExecutor(8) as pool:
        flood = list(pool.map(guess, range(40)))
    assert flood.count(429) >= 30, flood  # refused without hashing, at once
    assert set(flood) <= {400, 429}
    # (At most 3 free failures, then each failure doubles the wait: a flood of any length
    # gets only a handful of password checks.)
    # Another user, from another client, signs in during and after the flood.
    with ThreadPoolExecutor(8) as pool:
        more = [pool.submit(guess, i) for i in range(40, 80)]
        bob = httpx.post(
            shared_app.url + "/login",
            data={"username": "bob", "password": PASSWORDS["bob"]},
            headers={"X-Forwarded-For": "10.0.0.2"},
            timeout=60,
        )
        assert bob.status_code == 200
        assert all(f.result() in (400, 429) for f in more)
    log = shared_app.output()
    assert "Failed sign-in as 'ann' from 10.6.6.6" in log
    assert "refused: too many failed attempts" in log
    assert "SECRET" not in log and PASSWORDS["bob"] not in log


def test_oversized_bodies_are_refused_before_they_are_read(shared_app, gradio_cache):
    sent = 0

    def body() -> Iterator[bytes]:  # a 400 MB body sent chunked: no size given up front
        nonlocal sent
        chunk = b"x" * (256 * 1024)
        for _ in range(1600):
            sent += len(chunk)
            yield chunk

    anonymous = httpx.Client(base_url=shared_app.url, timeout=120)
    refused = anonymous.post(
        "/gradio_api/queue/join", content=body(), headers={"Content-Type": "application/json"}
    )
    assert refused.status_code == 413 and "limit of 1 MB" in refused.text
    # The server stopped reading after about 1 MB; what was sent beyond sits in socket buffers.
    assert sent < 64 * 1024 * 1024, sent
    # A body that announces 400 MB: the answer comes before any of it is sent.
    host, port = shared_app.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as raw:
        raw.sendall(
            b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: "
            + f"{host}:{port}".encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: 419430400\r\n\r\n"
        )
        answer = raw.makefile("rb").readline()
    assert answer.startswith(b"HTTP/1.1 413"), answer

    ann = Browserless(shared_app.url, "ann", PASSWORDS["ann"])
    before = sorted(p for p in gradio_cache.rglob("*") if p.is_file())
    big = ann.http.post(
        "/gradio_api/upload", files={"files": ("big.md", b"x" * (2 * 1024 * 1024), "text/markdown")}
    )
    assert big.status_code == 413
    assert sorted(p for p in gradio_cache.rglob("*") if p.is_file()) == before
    small = ann.upload("small.md", "SMALL")  # a normal upload still lands
    assert Path(small["path"]).exists()


def test_headers_the_sign_in_page_and_private_files(shared_app, gradio_cache):
    anonymous = httpx.get(shared_app.url + "/")
    assert anonymous.status_code == 200
    assert "frame-ancestors 'none'" in anonymous.headers["content-security-policy"]
    assert anonymous.headers["x-frame-options"] == "DENY"
    assert anonymous.headers["x-content-type-options"] == "nosniff"
    assert anonymous.headers["referrer-policy"] == "same-origin"
    assert '"/send"' not in anonymous.text and "add_goal" not in anonymous.text
    ann = Browserless(shared_app.url, "ann", PASSWORDS["ann"])
    signed_in = ann.http.get("/")
    assert '"/send"' in signed_in.text  # the signed-in page still gets its API description
    uploaded = ann.upload("private.md", "PRIVATE")
    ann.call("upload", uploaded, "en")
    exported = ann.call("export_all", "", "", "en")
    assert exported
    checked = [shared_app.data_dir, *shared_app.data_dir.rglob("*"), *gradio_cache.rglob("*")]
    checked = [p for p in checked if not p.is_symlink()]
    if shared_app.backend == "sqlite":  # on PostgreSQL the server keeps the database
        assert any(p.name == "coach.sqlite3" for p in checked)
    assert any(p.name == "private.md" for p in checked)
    opened = [p for p in checked if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert opened == [], [(str(p), oct(p.stat().st_mode)) for p in opened]
