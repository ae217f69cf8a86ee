"""The HTTP guard (assistant/ui/guard.py) around a small ASGI app, through httpx's ASGI
transport: which requests reach the app, which headers every answer carries, and when a body
is refused before it is read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from assistant.ui.guard import Guard, SignIns, normalize_origin, request_source

APP = "http://127.0.0.1:7860"
LIMIT = 64 * 1024


class Recorder:
    """An ASGI app that reads the whole body, answers with Gradio's kind of CORS grant, and
    remembers what reached it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        self.calls.append((scope["method"], scope["path"], size))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"access-control-allow-origin", b"http://127.0.0.1:9999"),
                    (b"access-control-allow-credentials", b"true"),
                    (b"content-type", b"text/plain"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"secret"})


def sign_ins(required: bool = False) -> SignIns:
    return SignIns(
        tokens=dict, cookie_id=lambda: "c", required=lambda: required, fingerprint=lambda _: None
    )


def call(guard: Guard, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=guard)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url=APP) as client:
            return await client.request(method, path, **kwargs)

    # In a thread of its own: Playwright's sync API may hold this thread's event loop when
    # the browser tests run in the same session.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture
def inner() -> Recorder:
    return Recorder()


@pytest.fixture
def guard(inner) -> Guard:
    return Guard(
        inner,
        allowed_origins=frozenset({"https://intranet.example"}),
        max_body=LIMIT,
        sign_ins=sign_ins(),
    )


def test_no_cors_grant_ever_leaves_except_for_a_listed_origin(guard, inner):
    own = call(guard, "GET", "/config", headers={"Origin": APP})
    assert own.status_code == 200 and own.text == "secret"
    assert not [h for h in own.headers if h.startswith("access-control-")]
    listed = call(guard, "GET", "/config", headers={"Origin": "https://intranet.example"})
    assert listed.headers["access-control-allow-origin"] == "https://intranet.example"
    for origin in ("http://127.0.0.1:9999", "http://localhost:7861", "null"):
        refused = call(guard, "GET", "/gradio_api/token", headers={"Origin": origin})
        assert refused.status_code == 403 and "secret" not in refused.text
        assert "access-control-allow-origin" not in refused.headers
    assert [path for _, path, _ in inner.calls] == ["/config", "/config"]


def test_preflights_are_answered_by_the_guard_and_granted_only_to_listed_origins(guard, inner):
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-a"}
    foreign = call(
        guard, "OPTIONS", "/gradio_api/queue/join", headers={**ask, "Origin": "http://localhost:1"}
    )
    assert foreign.status_code == 403 and "access-control-allow-origin" not in foreign.headers
    listed = call(
        guard,
        "OPTIONS",
        "/gradio_api/queue/join",
        headers={**ask, "Origin": "https://intranet.example"},
    )
    assert listed.status_code == 204
    assert listed.headers["access-control-allow-origin"] == "https://intranet.example"
    assert inner.calls == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9999"},
        {"Sec-Fetch-Site": "same-site"},  # another port of 127.0.0.1 is the same "site"
        {"Sec-Fetch-Site": "cross-site"},
        {"Referer": "http://evil.example/page"},
        {"Origin": "http://127.0.0.1:7860.evil.example"},
    ],
)
def test_writes_from_other_pages_never_reach_the_app(guard, inner, headers):
    for method, path in (("POST", "/login"), ("POST", "/gradio_api/queue/join"), ("DELETE", "/x")):
        assert call(guard, method, path, headers=headers, content=b"{}").status_code == 403
    assert call(guard, "GET", "/gradio_api/queue/data", headers=headers).status_code == 403
    assert (
        call(guard, "GET", "/logout", headers={**headers, "Sec-Fetch-Mode": "navigate"}).status_code
        == 403
    )
    assert inner.calls == []


def test_the_own_page_non_browsers_and_links_from_elsewhere_get_through(guard, inner):
    assert call(guard, "POST", "/gradio_api/queue/join", headers={"Origin": APP}).status_code == 200
    assert call(guard, "POST", "/x", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert call(guard, "POST", "/x", headers={"Referer": APP + "/?x=1"}).status_code == 200
    assert call(guard, "POST", "/x").status_code == 200  # curl, gradio_client
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert call(guard, "GET", "/", headers=link).status_code == 200
    assert call(guard, "GET", "/logout", headers={"Sec-Fetch-Site": "none"}).status_code == 200
    assert len(inner.calls) == 6


def test_behind_a_proxy_the_origin_is_the_host_the_browser_used(guard, inner):
    proxied = {"Host": "127.0.0.1:7860", "X-Forwarded-Host": "coach.corp.test"}
    ok = call(
        guard,
        "POST",
        "/x",
        headers={**proxied, "X-Forwarded-Proto": "https", "Origin": "https://coach.corp.test"},
    )
    assert ok.status_code == 200
    wrong_scheme = {**proxied, "X-Forwarded-Proto": "https", "Origin": "http://coach.corp.test"}
    assert call(guard, "POST", "/x", headers=wrong_scheme).status_code == 403
    other = {**proxied, "Origin": "https://intranet.corp.test"}
    assert call(guard, "POST", "/x", headers=other).status_code == 403
    # A proxy that passes Host: the app is reached by that name.
    assert (
        call(
            guard,
            "POST",
            "/x",
            headers={"Host": "coach.corp.test", "Origin": "https://coach.corp.test:443"},
        ).status_code
        == 200
    )


def test_every_answer_carries_the_security_headers(guard):
    for answer in (call(guard, "GET", "/"), call(guard, "POST", "/x", headers={"Origin": "null"})):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "img-src 'self' data: blob:" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"


def test_a_declared_oversized_body_is_refused_unread(guard, inner):
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(400):
            sent += 1024 * 1024
            yield b"x" * (1024 * 1024)

    declared = {"Content-Length": str(400 * 1024 * 1024)}
    refused = call(guard, "POST", "/gradio_api/queue/join", headers=declared, content=body())
    assert refused.status_code == 413 and "limit" in refused.text
    assert inner.calls == [] and sent <= 1024 * 1024  # at most the chunk in flight


def test_a_chunked_oversized_body_is_cut_off_at_the_limit(guard, inner):
    sent = 0

    async def body() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        nonlocal sent
        for _ in range(400 * 16):
            sent += 64 * 1024
            yield b"x" * (64 * 1024)

    refused = call(guard, "POST", "/gradio_api/queue/join", content=body())
    assert refused.status_code == 413
    assert inner.calls == []  # the app saw the client go, never a whole body
    assert sent <= LIMIT + 64 * 1024
    small = call(guard, "POST", "/gradio_api/queue/join", content=b"x" * LIMIT)
    assert small.status_code == 200 and inner.calls[-1][2] == LIMIT


def test_a_chunked_upload_must_say_its_size(guard, inner):
    async def body() -> AsyncIterator[bytes]:
        yield b"x"

    assert call(guard, "POST", "/gradio_api/upload", content=body()).status_code == 411
    assert inner.calls == []


def test_an_app_without_sign_in_on_loopback_answers_only_to_loopback_names(inner):
    guard = Guard(
        inner, allowed_origins=frozenset(), max_body=LIMIT, sign_ins=sign_ins(), local_only=True
    )
    assert call(guard, "GET", "/config").status_code == 200
    assert call(guard, "GET", "/config", headers={"Host": "localhost:7860"}).status_code == 200
    rebound = call(guard, "GET", "/config", headers={"Host": "attacker.example:7860"})
    assert rebound.status_code == 403 and "secret" not in rebound.text


def test_origins_are_compared_in_one_form():
    assert normalize_origin("HTTP://Coach.Corp.Test:80/") == "http://coach.corp.test"
    assert normalize_origin("https://coach.corp.test:443") == "https://coach.corp.test"
    assert normalize_origin("null") is None and normalize_origin("file:///x") is None
    headers = {"host": "[::1]:7860", "origin": "http://[::1]:7860"}
    assert request_source(headers, frozenset()) == "own"
