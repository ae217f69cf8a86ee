"""bench/sticky_proxy.py (the failover tests' and the scale benchmark's proxy) in front of
backends that fail: one that refuses connections, one that accepts and never answers (a hung
process), and one that comes back after the fail timeout. The proxy runs as its own process,
with its command-line options; the backends are small real HTTP servers in this process that
answer with their own name, so every answer says which backend served it. No Ollama is
involved, so no double either.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Far longer than any answer here takes; reaching one means the proxy never answered.
CLIENT_TIMEOUT = 60


class NamedBackend(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 answering every GET and POST with its name. Created
    bound but not listening: connections to it are refused until ``start``."""

    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), _SayName, bind_and_activate=False)
        self.name = name
        self.server_bind()  # the port is this server's from now on: refused, not taken
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> NamedBackend:
        self.server_activate()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self) -> None:
        if self.thread is not None:
            self.shutdown()
        self.server_close()


class _SayName(http.server.BaseHTTPRequestHandler):
    def _say(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _say

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


class HungBackend:
    """A port that accepts connections (the kernel completes them from the listen queue)
    and never reads or answers anything: a process stuck in a loop or a lock."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def close(self) -> None:
        self.socket.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def proxy_for() -> Iterator[Callable[..., str]]:
    """Start `bench/sticky_proxy.py` with backends and options; returns its URL once it
    says it is ready. Stopped at the end of the test."""
    started: list[subprocess.Popen[str]] = []

    def start(backends: list[str], *options: str) -> str:
        command = [sys.executable, str(ROOT / "bench" / "sticky_proxy.py")]
        command += ["--port", str(free_port()), *options]
        for backend in backends:
            command += ["--backend", backend]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout is not None
        return str(json.loads(process.stdout.readline())["ready"])

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def backends() -> Iterator[dict[str, NamedBackend]]:
    servers = {name: NamedBackend(name) for name in ("a", "b")}
    yield servers
    for server in servers.values():
        server.close()


def get(url: str, session: str | None = None) -> httpx.Response:
    """A GET through the proxy, for one browser session (Gradio's session_hash) or none."""
    params = {"session_hash": session} if session else None
    return httpx.get(url + "/", params=params, timeout=CLIENT_TIMEOUT)


def test_a_refused_backend_fails_over_and_is_skipped_for_the_fail_timeout(proxy_for, backends):
    backends["b"].start()  # a refuses: nothing listens on its port yet
    proxy = proxy_for([backends["a"].url, backends["b"].url], "--fail-timeout", "600")
    assert get(proxy, "s1").text == "b"  # s1 was put on a (no sessions yet), moved to b

    backends["a"].start()  # a is back, within its fail timeout
    # New sessions are not given to a failed backend, however few sessions it has.
    assert [get(proxy, f"s{n}").text for n in range(2, 6)] == ["b"] * 4
    assert get(proxy).text == "b"
    assert get(proxy, "s1").text == "b"


def test_a_hung_backend_fails_over_after_the_read_timeout(proxy_for, backends):
    hung = HungBackend()
    try:
        backends["b"].start()
        proxy = proxy_for(
            [hung.url, backends["b"].url], "--read-timeout", "2", "--fail-timeout", "600"
        )
        assert get(proxy, "s1").text == "b"  # sent to the hung one first, then to b
        assert get(proxy, "s1").text == "b"  # the session stays there

        # A request whose cookie names the hung backend goes to a healthy one meanwhile.
        joined = httpx.post(
            proxy + "/gradio_api/queue/join",
            json={"session_hash": "s3"},
            cookies={"coach-backend": "0"},  # stuck to the hung one by its cookie
            timeout=CLIENT_TIMEOUT,
        )
        assert joined.status_code == 200 and joined.text == "b"  # hung one skipped now
    finally:
        hung.close()


def test_a_post_to_a_hung_backend_is_answered_504_not_sent_twice(proxy_for, backends):
    hung = HungBackend()
    try:
        backends["b"].start()
        proxy = proxy_for([hung.url, backends["b"].url], "--read-timeout", "2")
        joined = httpx.post(
            proxy + "/gradio_api/queue/join",
            json={"session_hash": "s1"},
            timeout=CLIENT_TIMEOUT,
        )
        assert joined.status_code == 504
        assert get(proxy, "s2").text == "b"  # the hung one is skipped from now on
    finally:
        hung.close()


def test_a_failed_backend_gets_new_sessions_again_after_the_fail_timeout(proxy_for, backends):
    backends["b"].start()
    proxy = proxy_for([backends["a"].url, backends["b"].url], "--fail-timeout", "1")
    assert get(proxy, "s1").text == "b"  # a refused: failed
    backends["a"].start()

    # Each new session goes to the healthy backend with the fewest sessions; once a's fail
    # timeout has passed that is a again. Ask until it is (a state), within a limit.
    deadline = time.monotonic() + 30
    answer, tries = "b", 0
    while answer != "a" and time.monotonic() < deadline:
        tries += 1
        answer = get(proxy, f"new-{tries}").text
    assert answer == "a"
    assert get(proxy, "s1").text == "b"  # a moved session stays where it went
    assert get(proxy, f"new-{tries}").text == "a"
