"""A small reverse proxy with sticky sessions, for the scale benchmark (bench_scale.py).

    python bench/sticky_proxy.py --port 8080 --backend http://127.0.0.1:7861 --backend ...

Every request of one browser session reaches the same app process: the session is known by
Gradio's ``session_hash`` (in the query string of the event stream, in the JSON body of a
queue join), and a request without one (the page, its assets, the config) goes to the
process its client's cookie ``coach-backend`` names, set on the first answer. A new session
goes to the process with the fewest sessions. When a process stops answering (its
connection is refused), its sessions are moved to the next one that answers: the proxy's
failover, as nginx's ``proxy_next_upstream`` does.

One request per connection (``Connection: close``): simple, and enough on loopback. Only for
the benchmark and the tests; a deployment uses nginx or Caddy (README "Team deployment").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import urllib.parse

COOKIE = "coach-backend"
_SESSION_HASH = re.compile(rb'"session_hash"\s*:\s*"([^"]+)"')


class StickyProxy:
    """Which backend holds which session, and the forwarding itself."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = [urllib.parse.urlsplit(url) for url in backends]
        self.sessions: dict[str, int] = {}
        self.load = [0] * len(backends)

    def pick(self, key: str | None, cookie: int | None) -> int:
        if key is not None and key in self.sessions:
            return self.sessions[key]
        index = cookie if cookie is not None else self.load.index(min(self.load))
        if key is not None:
            self.sessions[key] = index
            self.load[index] += 1
        return index

    def move(self, key: str | None, dead: int) -> int:
        """The next backend after ``dead`` for this session (failover)."""
        index = (dead + 1) % len(self.backends)
        if key is not None:
            self.sessions[key] = index
        return index

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
            for _ in range(len(self.backends)):
                backend = self.backends[index]
                try:
                    upstream_reader, upstream_writer = await asyncio.open_connection(
                        backend.hostname, backend.port
                    )
                except OSError:
                    index = self.move(key, index)
                    continue
                upstream_writer.write(request)
                await upstream_writer.drain()
                await self._answer(upstream_reader, writer, index, method)
                upstream_writer.close()
                return
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            try:
                await writer.drain()
                writer.close()
            except ConnectionError:
                pass

    async def _answer(
        self,
        upstream: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        index: int,
        method: bytes,
    ) -> None:
        head = await upstream.readuntil(b"\r\n\r\n")
        status, _, rest = head.partition(b"\r\n")
        cookie = f"Set-Cookie: {COOKIE}={index}; Path=/; HttpOnly; SameSite=Lax\r\n".encode()
        writer.write(status + b"\r\n" + cookie + rest)
        while chunk := await upstream.read(65536):
            writer.write(chunk)
            await writer.drain()


async def serve(port: int, backends: list[str]) -> None:
    proxy = StickyProxy(backends)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", port, limit=1 << 20)
    print(json.dumps({"ready": f"http://127.0.0.1:{port}"}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", action="append", required=True)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.backend))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
