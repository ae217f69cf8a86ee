"""A small reverse proxy with sticky sessions, for the scale benchmark (bench_scale.py) and the
failover tests.

    python bench/sticky_proxy.py --port 8080 --backend http://127.0.0.1:7861 --backend ... \
        [--connect-timeout 3] [--read-timeout 15] [--fail-timeout 10]

Every request of one browser session reaches the same app process: the session is known by
Gradio's ``session_hash`` (in the query string of the event stream, in the JSON body of a
queue join), and a request without one (the page, its assets, the config) goes to the
process its client's cookie ``coach-backend`` names, set on the first answer. A new session
goes to the healthy process with the fewest sessions.

Failover, as nginx's ``proxy_next_upstream error timeout`` with ``max_fails=1``: a process
fails when its connection is refused, is not accepted within ``--connect-timeout`` seconds,
or when it accepted the request and sent no answer's head within ``--read-timeout`` seconds
(a hung process). A failed process is skipped for ``--fail-timeout`` seconds (then tried
again: it may be back), and its sessions move to the next healthy one. A request goes on to
the next process after a refused or timed-out connection (the failed one never saw it), and
after a read timeout or a connection closed unanswered only for GET and HEAD: a POST (a
queue join) may have been acted on, so it is answered 504 (or 502), as nginx does without
``non_idempotent``. Once an answer has begun it is streamed as long as it lasts (Gradio's
event streams are idle for up to 15 s between heartbeats). With every process failed, each
is tried in turn anyway.

One request per connection (``Connection: close``): simple, and enough on loopback. Only for
the benchmark and the tests; a deployment uses nginx or Caddy (README "Team deployment").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
import urllib.parse
from collections.abc import Callable

COOKIE = "coach-backend"
_SESSION_HASH = re.compile(rb'"session_hash"\s*:\s*"([^"]+)"')
_EMPTY_ANSWER = "HTTP/1.1 {} {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class StickyProxy:
    """Which backend holds which session, which backends failed lately, and the forwarding."""

    def __init__(
        self,
        backends: list[str],
        *,
        connect_timeout: float = 3.0,
        read_timeout: float = 15.0,
        fail_timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backends = [urllib.parse.urlsplit(url) for url in backends]
        self.sessions: dict[str, int] = {}
        self.load = [0] * len(backends)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.fail_timeout = fail_timeout
        self.clock = clock
        self.failed_at: dict[int, float] = {}  # backend -> when it last failed

    def healthy(self, index: int) -> bool:
        """False for ``fail_timeout`` seconds after the backend failed."""
        failed = self.failed_at.get(index)
        return failed is None or self.clock() - failed >= self.fail_timeout

    def fail(self, index: int, reason: BaseException) -> None:
        """Mark the backend failed now, and say so on stderr."""
        self.failed_at[index] = self.clock()
        what = "no answer in time" if isinstance(reason, TimeoutError) else repr(reason)
        print(
            f"backend {urllib.parse.urlunsplit(self.backends[index])} failed: {what}; "
            f"skipped for {self.fail_timeout:g} s",
            file=sys.stderr,
            flush=True,
        )

    def pick(self, key: str | None, cookie: int | None) -> int:
        """The process for a request: its session's, else its client's (the cookie), else,
        for a new client, the healthy process with the fewest clients. (Counting only
        sessions here sent every new client to the first process: a client's first request,
        the page or its config, carries no session, and its session then followed the
        cookie that request was given.)"""
        if key is not None and key in self.sessions:
            return self.sessions[key]
        if cookie is not None:
            index = cookie
        else:
            healthy = [i for i in range(len(self.backends)) if self.healthy(i)]
            index = min(healthy or range(len(self.backends)), key=lambda i: self.load[i])
            self.load[index] += 1
        if key is not None:
            self.sessions[key] = index
        return index

    def candidates(self, first: int) -> list[int]:
        """The backends to try, in order from ``first``: the healthy ones (all when none is)."""
        ordered = [(first + step) % len(self.backends) for step in range(len(self.backends))]
        return [i for i in ordered if self.healthy(i)] or ordered

    def stick(self, key: str | None, index: int) -> None:
        """Keep the session on ``index`` from now on (it moved there in a failover)."""
        if key is not None and self.sessions.get(key, index) != index:
            self.load[self.sessions[key]] -= 1
            self.load[index] += 1
            self.sessions[key] = index

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].split(b" ", 2)
            headers = [line for line in lines[1:] if line]
            length = 0
            cookie: int | None = None
            for line in headers:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
                if name.strip().lower() == b"cookie":
                    found = re.search(COOKIE.encode() + rb"=(\d+)", value)
                    if found and int(found.group(1)) < len(self.backends):
                        cookie = int(found.group(1))
            body = await reader.readexactly(length) if length else b""
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(target.decode()).query)
            key = query.get("session_hash", [None])[0]
            if key is None and body:
                match = _SESSION_HASH.search(body)
                key = match.group(1).decode() if match else None
            index = self.pick(key, cookie)
            kept = [
                h
                for h in headers
                if h.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")
            ]
            request = b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""]) + body
            await self._forward(request, method, key, index, writer)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            try:
                await writer.drain()
                writer.close()
            except ConnectionError:
                pass

    async def _forward(
        self,
        request: bytes,
        method: bytes,
        key: str | None,
        first: int,
        writer: asyncio.StreamWriter,
    ) -> None:
        """Send the request to the first backend that answers it (see the module's doc)."""
        for index in self.candidates(first):
            backend = self.backends[index]
            try:
                upstream_reader, upstream_writer = await asyncio.wait_for(
                    asyncio.open_connection(backend.hostname, backend.port), self.connect_timeout
                )
            except (OSError, TimeoutError) as exc:  # refused, unreachable, or not in time
                self.fail(index, exc)
                continue
            try:
                upstream_writer.write(request)
                await upstream_writer.drain()
                answer = await asyncio.wait_for(
                    upstream_reader.readuntil(b"\r\n\r\n"), self.read_timeout
                )
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                upstream_writer.close()
                self.fail(index, exc)
                if method not in (b"GET", b"HEAD"):  # it may have acted on it: no resend
                    timed_out = isinstance(exc, TimeoutError)
                    status = (504, "Gateway Timeout") if timed_out else (502, "Bad Gateway")
                    writer.write(_EMPTY_ANSWER.format(*status).encode())
                    return
                continue
            self.stick(key, index)
            await self._answer(answer, upstream_reader, writer, index)
            upstream_writer.close()
            return
        writer.write(_EMPTY_ANSWER.format(502, "Bad Gateway").encode())

    async def _answer(
        self,
        head: bytes,
        upstream: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        index: int,
    ) -> None:
        status, _, rest = head.partition(b"\r\n")
        cookie = f"Set-Cookie: {COOKIE}={index}; Path=/; HttpOnly; SameSite=Lax\r\n".encode()
        writer.write(status + b"\r\n" + cookie + rest)
        while chunk := await upstream.read(65536):
            writer.write(chunk)
            await writer.drain()


async def serve(port: int, backends: list[str], **timeouts: float) -> None:
    proxy = StickyProxy(backends, **timeouts)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", port, limit=1 << 20)
    print(json.dumps({"ready": f"http://127.0.0.1:{port}"}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=3.0,
        help="seconds for a backend to accept the connection (nginx: proxy_connect_timeout)",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=15.0,
        help="seconds for a backend to begin its answer (nginx: proxy_read_timeout)",
    )
    parser.add_argument(
        "--fail-timeout",
        type=float,
        default=10.0,
        help="seconds a failed backend is skipped (nginx: max_fails=1 fail_timeout=...)",
    )
    args = parser.parse_args()
    timeouts = {
        "connect_timeout": args.connect_timeout,
        "read_timeout": args.read_timeout,
        "fail_timeout": args.fail_timeout,
    }
    try:
        asyncio.run(serve(args.port, args.backend, **timeouts))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
