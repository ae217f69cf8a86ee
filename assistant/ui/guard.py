"""The HTTP layer around Gradio: who may call the app, how big a request may be, which headers
every answer carries, and how sign-in attempts are counted.

``Guard`` is one pure ASGI middleware (streamed answers such as the event stream pass through
unbuffered) that sits outside everything Gradio adds, so it also decides CORS: Gradio's own
middleware grants ``localhost`` origins, and any origin with credentials when the app is
reached by another name; the guard removes every grant and adds one only for the origins an
operator listed (``COACH_ALLOWED_ORIGINS``).

A request comes from the app's own page when its ``Origin`` (or, without one,
``Sec-Fetch-Site`` or ``Referer``) names the host the browser used (``Host``, or
``X-Forwarded-Host`` from a reverse proxy). A request with none of these is not from a
browser (curl, gradio_client) and carries no one else's cookies. A request from another page
may only be a plain top-level navigation (a link to the app); anything else is refused with
403: a POST, a queue join or event stream, an image or script include, a logout.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.ui.i18n import t
from assistant.ui.origins import Source, normalize_origin, own_origins, request_source
from assistant.ui.user_files import UserFiles, file_route_path, recording_uploads
from assistant.users import SignInThrottle, is_local_address

__all__ = ["Guard", "SignIns", "Source", "normalize_origin", "own_origins", "request_source"]

log = logging.getLogger("assistant.http")

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# GETs that act on a browser session (the queue's event stream, its heartbeat, signing out).
ACTING_GETS = ("/gradio_api/queue/data", "/gradio_api/heartbeat/", "/logout")
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")
LOGIN_PATHS = ("/login", "/login/")
PAGE_PATHS = ("/",)
MAX_LOGIN_BODY = 64 * 1024
_NOT_ISSUED = object()  # a token the guard has no credential fingerprint for

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # Gradio's page starts from inline scripts that carry its configuration, and turns
        # the page's event snippets (``js=``) into functions with eval: no remote scripts.
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        # No remote images: a reply or a pasted message cannot make the browser fetch a URL.
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
CLOSE = ("connection", "close")
EMPTY_API_INFO = b'window.gradio_api_info = {"named_endpoints":{},"unnamed_endpoints":{}};'
_API_INFO = re.compile(rb"window\.gradio_api_info = .*?;(?=</script>)", re.DOTALL)


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        name = key.decode("latin-1").lower()
        if name not in found:  # the first of repeated headers, as a browser sends one
            found[name] = value.decode("latin-1")
    return found


def _cookies(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            cookies.setdefault(name, value)
    return cookies


@dataclass(frozen=True)
class Refusal:
    """An answer the guard gives instead of the app: a status and the reason in both
    languages (the page's strings, assistant/ui/i18n.py)."""

    status: int
    en: str
    da: str


STATUS = {
    "http_cross_origin": 403,
    "http_local_only": 403,
    "http_too_large": 413,
    "http_length_required": 411,
    "http_bad_length": 400,
    "http_sign_in_wait": 429,
    "http_not_your_file": 403,
}


def _says(key: str, **values: object) -> Refusal:
    return Refusal(STATUS[key], t("en", key, **values), t("da", key, **values))


async def _respond(send: Send, refusal: Refusal, headers: Iterable[tuple[str, str]] = ()) -> None:
    body = json.dumps({"detail": refusal.en, "detail_da": refusal.da}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers]
    await send({"type": "http.response.start", "status": refusal.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    """The sign-in form grew past its limit while it was being read."""


@dataclass
class SignIns:
    """What the guard needs to know about Gradio's sign-in: its tokens (cookie value -> user
    name), the cookie names, whether sign-in is on, and a user's credential fingerprint now.

    ``tokens`` and ``issued`` are Gradio's dict and one of the guard's own in a single process;
    with logins kept in the store (assistant/ui/logins.py) both are views of its table, so
    every process sees a login, a logout and an ended sign-in at once."""

    tokens: Callable[[], MutableMapping[str, str]]
    cookie_id: Callable[[], str]
    required: Callable[[], bool]
    fingerprint: Callable[[str], str | None]
    throttle: SignInThrottle = field(default_factory=SignInThrottle)
    # The credential fingerprint each token was issued with.
    issued: MutableMapping[str, str | None] = field(default_factory=dict)
    in_flight: set[str] = field(default_factory=set)

    def cookie_names(self) -> tuple[str, str]:
        """Gradio's two cookies: the secure one and the one for plain http."""
        cookie_id = self.cookie_id()
        return f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"

    def signed_in(self, headers: dict[str, str]) -> str | None:
        """The user a request's cookie signs in, after ending the sign-in when the user's
        password was changed or removed since (by `coach user ...` in another process)."""
        cookies = _cookies(headers.get("cookie", ""))
        tokens = self.tokens()
        for cookie in self.cookie_names():
            token = cookies.get(cookie)
            # One read of each (with stored logins, each read is a query).
            name = tokens.get(token) if token is not None else None
            if token is None or name is None:
                continue
            issued = self.issued.get(token, _NOT_ISSUED)
            if issued is not _NOT_ISSUED and issued == self.fingerprint(name):
                return name
            tokens.pop(token, None)
            self.issued.pop(token, None)
            log.warning("Sign-in of %r ended: the password was changed or removed.", name[:64])
        return None

    def forget_ended(self) -> None:
        """Drop fingerprints of tokens Gradio no longer knows (signed out)."""
        if not isinstance(self.issued, dict):
            return  # stored logins: a token and its fingerprint are one row, ended together
        tokens = self.tokens()
        for token in [token for token in self.issued if token not in tokens]:
            del self.issued[token]


@dataclass
class Guard:
    """The ASGI middleware described in the module docstring."""

    app: ASGIApp
    allowed_origins: frozenset[str]
    max_body: int
    sign_ins: SignIns
    local_only: bool = False  # bound to a loopback address: only loopback host names
    files: UserFiles | None = None  # whose cached files are whose (assistant/ui/user_files.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        method = scope.get("method", "GET")
        path = scope.get("path", "/")
        source = request_source(headers, self.allowed_origins)
        refusal = self._refusal(scope, headers, method, path, source)
        if refusal is not None:
            log.warning("Refused %s %s from %s: %s", method, path, _client(scope), refusal.en)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            # Close the connection: the server would otherwise read (and drop) the rest of
            # a body nobody wants before the next request.
            await _respond(send, refusal, [*SECURITY_HEADERS.items(), CLOSE])
            return
        # Ends a sign-in whose password changed, before anything (a websocket too) uses it.
        user = self.sign_ins.signed_in(headers) if self.sign_ins.required() else None
        if user is not None and self.files is not None:
            asked = file_route_path(path)
            if asked is not None and not self.files.may_read(user, asked):
                log.warning("Refused %s %s to %r: another user's file.", method, path, user[:64])
                await _respond(send, _says("http_not_your_file"), SECURITY_HEADERS.items())
                return
            if method == "POST" and path.startswith(UPLOAD_PATHS):
                send = recording_uploads(self.files, user, send)
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        if method == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(send, headers, source)
            return
        grant = headers["origin"] if source == "allowed" and "origin" in headers else None
        send = self._with_headers(send, grant)
        if method == "POST" and path in LOGIN_PATHS and self.sign_ins.required():
            await self._login(scope, receive, send, headers)
            return
        if method == "GET" and path in PAGE_PATHS and self.sign_ins.required() and user is None:
            await self._page_without_api(scope, receive, send)
            return
        await self._limited(scope, receive, send)

    def _refusal(
        self, scope: Scope, headers: dict[str, str], method: str, path: str, source: Source
    ) -> Refusal | None:
        if self.local_only and not self.sign_ins.required():
            host = urllib.parse.urlsplit("//" + headers.get("host", "")).hostname or ""
            allowed_hosts = {urllib.parse.urlsplit(o).hostname for o in self.allowed_origins}
            if not is_local_address(host) and host not in allowed_hosts:
                # Another name for this machine (DNS rebinding) must not reach an app
                # that has no sign-in.
                return _says("http_local_only", host=host)
        if source == "foreign":
            navigation = (
                method in ("GET", "HEAD")
                and headers.get("sec-fetch-mode") == "navigate"
                and not path.startswith(ACTING_GETS)
            )
            if not navigation:
                return _says("http_cross_origin")
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _says("http_bad_length")
            if int(length) > self.max_body:
                return self._too_large_text()
        elif (
            method in UNSAFE_METHODS
            and path.startswith(UPLOAD_PATHS)
            and "chunked" in headers.get("transfer-encoding", "").lower()
        ):
            return _says("http_length_required")
        return None

    def _too_large_text(self) -> Refusal:
        return _says("http_too_large", mb=f"{self.max_body / 1_048_576:g}")

    async def _too_large(self, send: Send) -> None:
        await _respond(send, self._too_large_text(), [*SECURITY_HEADERS.items(), CLOSE])

    async def _preflight(self, send: Send, headers: dict[str, str], source: Source) -> None:
        if source != "allowed":
            await _respond(send, _says("http_cross_origin"), SECURITY_HEADERS.items())
            return
        grant = [
            ("access-control-allow-origin", headers["origin"]),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS"),
            ("access-control-max-age", "600"),
            ("vary", "Origin"),
        ]
        requested = headers.get("access-control-request-headers")
        if requested:
            grant.append(("access-control-allow-headers", requested))
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [(k.encode(), v.encode()) for k, v in grant],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    def _with_headers(self, send: Send, grant: str | None) -> Send:
        """Every answer: no CORS grant but ours, and the security headers."""

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (key, value)
                    for key, value in message.get("headers", [])
                    if not key.lower().startswith(b"access-control-")
                ]
                present = {key.lower() for key, _ in kept}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        kept.append((name.encode(), value.encode()))
                if grant is not None:
                    kept += [
                        (b"access-control-allow-origin", grant.encode()),
                        (b"access-control-allow-credentials", b"true"),
                        (b"vary", b"Origin"),
                    ]
                message = {**message, "headers": kept}
            await send(message)

        return sending

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a ``receive`` that counts the body's bytes (a chunked body says
        no size up front): past the limit the guard answers 413 itself, tells the app the
        client has gone, and drops whatever the app still sends."""
        seen = 0
        refused = started = False

        async def receiving() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body and not started:
                    refused = True
                    await self._too_large(send)
                    return {"type": "http.disconnect"}
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, receiving, sending)
        except Exception:
            if not refused:
                raise
            log.warning("Refused a request body over %d bytes from %s.", seen, _client(scope))

    async def _read_body(self, receive: Receive, limit: int) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _login(self, scope: Scope, receive: Receive, send: Send, headers: dict) -> None:
        """Count sign-in attempts per name and client; remember each new token's credential."""
        try:
            body = await self._read_body(receive, min(MAX_LOGIN_BODY, self.max_body))
        except _TooLarge:
            await self._too_large(send)
            return
        name = await _form_name(scope, body)
        client = _client(scope)
        throttle = self.sign_ins.throttle
        wait = throttle.retry_after(name, client)
        if wait > 0 or client in self.sign_ins.in_flight:
            wait = max(wait, 1.0)
            log.warning(
                "Sign-in as %r from %s refused: too many failed attempts; retry in %.0f s.",
                name[:64],
                client,
                wait,
            )
            seconds = max(1, round(wait))
            await _respond(
                send,
                _says("http_sign_in_wait", seconds=seconds),
                [("retry-after", str(seconds))],
            )
            return
        before = self.sign_ins.fingerprint(name) if name else None
        status = 0
        token: str | None = None
        cookie = self.sign_ins.cookie_names()[0] + "="

        async def watching(message: Message) -> None:
            nonlocal status, token
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    text = value.decode("latin-1")
                    if key.lower() == b"set-cookie" and text.startswith(cookie):
                        token = text[len(cookie) :].split(";")[0].strip('"')
            await send(message)

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        self.sign_ins.in_flight.add(client)
        try:
            await self.app(scope, replay, watching)
        finally:
            self.sign_ins.in_flight.discard(client)
        if status == 200 and token:
            self.sign_ins.forget_ended()
            signed_in_as = self.sign_ins.tokens().get(token, name)
            if signed_in_as != name:  # the form was read differently: check the user now
                name, before = signed_in_as, self.sign_ins.fingerprint(signed_in_as)
            # The credential as it was before the check: a password changed meanwhile ends
            # this sign-in at its first request.
            self.sign_ins.issued[token] = before
            throttle.succeeded(name, client)
            log.info("Signed in: %r from %s.", name[:64], client)
        elif status in (400, 401):
            wait = throttle.failed(name, client)
            log.warning(
                "Failed sign-in as %r from %s; next attempt possible in %.0f s.",
                name[:64],
                client,
                wait,
            )

    async def _page_without_api(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The sign-in page, without the description of every endpoint Gradio embeds."""
        scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"],
        }
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffering(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = _API_INFO.sub(EMPTY_API_INFO, b"".join(chunks), count=1)
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffering)


async def _form_name(scope: Scope, body: bytes) -> str:
    """The user name of a sign-in form, urlencoded or multipart (Gradio's page sends that)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(scope, replay).form() as form:
            name = form.get("username")
    except Exception:  # a malformed form: Gradio answers it; nothing to count by name
        return ""
    return name.strip() if isinstance(name, str) else ""


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
