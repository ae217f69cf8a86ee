"""Warm-up: load the model and read a new session's fixed prefix before the user needs it.

While the person reads the scenario and types their first line, the model would otherwise sit
idle; the first reply then pays for the whole system prompt (about 10 s on a laptop CPU). A
warm-up sends the session's fixed prefix (system prompt and opening) to Ollama in the
background, so its KV cache holds it when the first real request comes, and that request reads
only the user's own line.

The request: ``/api/chat`` with the prefix as messages, ``num_predict: 1`` and the session's
own options (``num_ctx``, ``temperature``, ``keep_alive``: a different ``num_ctx`` would make
Ollama reload the model). An empty ``messages`` list only loads the model and reads nothing;
``num_predict: 0`` is not a documented "read only" in Ollama's API (its runners treat a
non-positive limit as no limit in some versions), so one generated token is the cheapest
request that fills the cache on every version. That token is never shown.

Rules (each tested against the Ollama double):

- one warm-up per prefix: a prefix being read, or read and still in the model's cache, is not
  sent again. A later request (real or warm-up) that does not start with it is taken to have
  replaced it (a runner slot keeps only the prompt it read last), so a scenario practised
  again after another conversation is read again;
- skipped while the model is busy with a real reply (it would only queue behind it);
- sent to the session's model only (the app's one chat model and its options);
- never in a real request's way: a real request whose prefix is the warm-up's (the same
  session's first reply) lets a warm-up already sent finish, because it is doing that
  request's own prefill (Ollama has one slot per model; the request then reuses what the
  warm-up read); a warm-up not sent yet is dropped, and any other real request abandons it;
- abandoned when its owner (the person) starts another session or leaves the page: its HTTP
  connection is shut at once, even mid-prefill, and Ollama stops reading it. An earlier
  warm-up whose prefix the new one starts with (a mode's prompt head, warmed when the page
  opened) is left to finish instead: it is doing the start of the new one's prefill.

When the app starts (`WarmUp.app_start`, called by ``coach serve`` and ``python app.py``
before the page is built), the model is loaded: the first page then finds it resident, and its
warm-ups read prompts instead of waiting for the load (on a laptop CPU a 4B model takes several
seconds to load, about as long as the app takes to start).

When a page opens (`WarmUp.page_open`), the model is loaded and the shown mode's prompt head
(the long, scenario-independent start of its system prompt) is read, so that a session's
start leaves only its scenario part to read while the person reads and types. A head read
before is read again only when the model was unloaded meanwhile (its cache went with it).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

Phase = Literal["loading", "reading", "ready", "skipped", "abandoned", "failed"]
# Phases in which the warm-up request is still running.
RUNNING: tuple[Phase, ...] = ("loading", "reading")

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


@dataclass(frozen=True)
class WarmUpProgress:
    """Where one person's latest warm-up is, for the page's loading notice."""

    phase: Phase
    started: float
    finished: float | None = None

    @property
    def running(self) -> bool:
        """True while the request is loading the model or reading the prefix."""
        return self.phase in RUNNING

    def seconds(self, now: float | None = None) -> float:
        """Seconds since it started (until it finished, once it has)."""
        end = self.finished if self.finished is not None else (now or time.monotonic())
        return max(0.0, end - self.started)


@dataclass
class _Run:
    key: str
    owner: int
    messages: list[dict[str, str]]
    phase: Phase
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    abandoned: threading.Event = field(default_factory=threading.Event)
    connection: http.client.HTTPConnection | None = None
    thread: threading.Thread | None = None
    sent: bool = False  # the chat request went out (before that, any real request wins)
    # Read before (a page reopened): send nothing if the model is still loaded.
    read_before: bool = False

    def progress(self) -> WarmUpProgress:
        return WarmUpProgress(self.phase, self.started, self.finished)


def ollama_messages(messages: Sequence[Any]) -> list[dict[str, str]]:
    """langchain messages (or Ollama dicts) as Ollama's role/content dicts, as ChatOllama
    sends them."""
    result = []
    for message in messages:
        if isinstance(message, dict):
            result.append({"role": str(message["role"]), "content": str(message["content"])})
            continue
        content = message.content if isinstance(message.content, str) else str(message.content)
        result.append({"role": _ROLES.get(message.type, message.type), "content": content})
    return result


def prefix_key(model: str, messages: list[dict[str, str]]) -> str:
    """One key per model and exact prefix."""
    digest = hashlib.sha256(model.encode())
    for message in messages:
        digest.update(b"\x00" + message["role"].encode() + b"\x01" + message["content"].encode())
    return digest.hexdigest()


def starts_with(messages: list[dict[str, str]], prefix: list[dict[str, str]]) -> bool:
    """True when ``messages`` begin with ``prefix``; the last prefix message may be the start
    of the matching message (a prompt head is the start of a session's system prompt, so the
    model's cache holds what it read as the start of the longer request)."""
    if not prefix or len(messages) < len(prefix):
        return False
    *whole, last = prefix
    match = messages[len(whole)]
    return (
        messages[: len(whole)] == whole
        and match["role"] == last["role"]
        and match["content"].startswith(last["content"])
    )


@dataclass
class WarmUp:
    """Warm-ups of session prefixes against one Ollama host and model.

    Args:
        host: Ollama's URL (settings.ollama_host).
        model: The chat model every session talks to (settings.model).
        options: The options the session's requests send (num_ctx, temperature).
        keep_alive: Ollama's keep_alive for the warm-up (the same as the real requests).
        busy: True while a real reply streams; a warm-up then is skipped.
        timeout: Seconds the warm-up may wait for Ollama (connect and first token).
        tokens: Tokens the warm-up asks for (1: the cheapest request that reads the prompt).
    """

    host: str
    model: str
    options: dict[str, Any]
    keep_alive: str | int | None
    busy: Callable[[], bool]
    timeout: float = 120.0
    tokens: int = 1
    # An open page asks Ollama to keep the model loaded this often (see keep_resident).
    resident_every: float = 600.0
    _last_kept: float = field(default_factory=time.monotonic, repr=False)
    _runs: dict[int, _Run] = field(default_factory=dict, repr=False)
    # Each owner's earlier warm-ups still running that their latest one starts with.
    _leading: dict[int, list[_Run]] = field(default_factory=dict, repr=False)
    # The prefixes read into the cache (by key), until a request that does not start with
    # them replaces them.
    _read: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def begin(self, messages: Sequence[Any], owner: int, *, recheck: bool = False) -> bool:
        """Start reading ``messages`` (a session's fixed prefix) in the background for
        ``owner`` (the person); True when a warm-up started. Abandons the owner's earlier
        warm-up (they started another session) unless this prefix starts with its prefix.
        ``recheck``: a prefix read before is read again if the model was unloaded since."""
        prefix = ollama_messages(messages)
        key = prefix_key(self.model, prefix)
        with self._lock:
            if any(starts_with(run.messages, prefix) for run in self._running()):
                return False  # being read now, itself or as the start of a longer prefix
            read_before = key in self._read
            if read_before and not recheck:
                return False
            if self.busy():
                skipped = _Run(key, owner, prefix, "skipped", finished=time.monotonic())
                self._runs[owner] = skipped
                return False
            run = _Run(key, owner, prefix, "reading", read_before=read_before)
            earlier = [r for r in self._owned(owner) if r.phase in RUNNING]
            leading = [r for r in earlier if starts_with(prefix, r.messages)]
            self._leading[owner] = leading
            self._runs[owner] = run
            self._replaced_by(prefix)
            self._read[key] = prefix
        for other in earlier:
            if other not in leading:
                self._abandon(other)
        run.thread = threading.Thread(target=self._send, args=(run,), daemon=True)
        run.thread.start()
        return True

    def page_open(self, owner: int, head: Sequence[Any] | None = None) -> bool:
        """A page opened (or showed another mode's tab): load the model and read ``head``
        (the mode's prompt head as messages) unless it is in the cache already; with no
        head, only load the model when it is not loaded. Never while a real reply runs.
        True when a warm-up started."""
        if head:
            return self.begin(head, owner, recheck=True)
        if self.busy():
            return False
        threading.Thread(target=self._load, args=(True,), daemon=True).start()
        return True

    def app_start(self) -> threading.Thread:
        """The app is starting: load the model in the background unless Ollama has it loaded
        already (one request with no messages: it reads nothing, so no prefix counts as read).
        Ollama not running or the model missing is left for the page to report."""
        thread = threading.Thread(target=self._load, args=(True,), name="model-load", daemon=True)
        thread.start()
        return thread

    def _owned(self, owner: int) -> list[_Run]:
        latest = self._runs.get(owner)
        return [*self._leading.get(owner, []), *([latest] if latest is not None else [])]

    def _running(self) -> list[_Run]:
        owners = set(self._runs) | set(self._leading)
        return [run for o in owners for run in self._owned(o) if run.phase in RUNNING]

    def real_request(self, messages: Sequence[Any]) -> None:
        """A real request is about to be sent: abandon every running warm-up that is not
        reading this request's own prefix (it would only keep the request waiting)."""
        request = ollama_messages(messages)
        with self._lock:
            self._replaced_by(request)
            others = [
                run
                for run in self._running()
                if not (run.sent and starts_with(request, run.messages))
            ]
            for run in others:
                run.abandoned.set()  # one not sent yet never will be: the request reads it
        for run in others:
            self._abandon(run)

    def abandon(self, owner: int) -> None:
        """The person left: close their running warm-up (Ollama stops reading it)."""
        with self._lock:
            runs = self._owned(owner)
        for run in runs:
            self._abandon(run)

    def progress(self, owner: int) -> WarmUpProgress | None:
        """The person's warm-up: the first one still running (a head read before the
        session's prefix), else the latest (None when there was none)."""
        with self._lock:
            runs = self._owned(owner)
            running = [run for run in runs if run.phase in RUNNING]
            chosen = running[0] if running else (runs[-1] if runs else None)
            return chosen.progress() if chosen is not None else None

    def wait(self, owner: int, timeout: float | None = None) -> WarmUpProgress | None:
        """Until the person's warm-ups have ended (for the CLI and tests)."""
        with self._lock:
            runs = self._owned(owner)
        for run in runs:
            if run.thread is not None:
                run.thread.join(timeout)
        with self._lock:
            latest = self._runs.get(owner)
            return latest.progress() if latest is not None else None

    def close(self) -> None:
        """Abandon every running warm-up (the app is shutting down)."""
        with self._lock:
            runs = [run for owner in list(self._runs) for run in self._owned(owner)]
        for run in runs:
            self._abandon(run)

    def keep_resident(self, now: float | None = None) -> bool:
        """Called while a page is open (every tick of its notice): at most once every
        ``resident_every`` seconds, ask Ollama to keep the model loaded for another
        ``keep_alive`` (a request with no messages loads the model and reads nothing). Not
        while a reply streams (it renews keep_alive itself). True when one was sent."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now - self._last_kept < self.resident_every or self.busy():
                return False
            self._last_kept = now
        threading.Thread(target=self._load, daemon=True).start()
        return True

    def _load(self, unless_resident: bool = False) -> None:
        body: dict[str, Any] = {"model": self.model, "messages": [], "options": self.options}
        if self.keep_alive is not None:
            body["keep_alive"] = self.keep_alive
        try:
            connection = self._connect()
            try:
                if unless_resident and self._resident(connection):
                    return
                if unless_resident:
                    self._forget_reads()
                connection.request(
                    "POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"}
                )
                connection.getresponse().read()
            finally:
                connection.close()
        except (OSError, http.client.HTTPException):
            pass  # the next tick tries again; a real request would load the model anyway

    # --- the request ------------------------------------------------------------------------

    def _abandon(self, run: _Run) -> None:
        run.abandoned.set()
        connection = run.connection
        sock = connection.sock if connection is not None else None
        if sock is not None:
            # shutdown (not close) wakes the thread blocked reading the answer at once.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _send(self, run: _Run) -> None:
        phase: Phase = "failed"
        try:
            connection = self._connect()
            run.connection = connection
            resident = not run.abandoned.is_set() and self._resident(connection)
            if not run.abandoned.is_set() and not resident:
                run.phase = "loading"
                if run.read_before:
                    self._forget_reads()  # the model was unloaded: its cache went with it
            if run.read_before and resident:
                phase = "ready"  # still loaded and read before: nothing to send
            elif not run.abandoned.is_set():
                self._read_prefix(connection, run)
                phase = "ready"
        except (OSError, http.client.HTTPException, ValueError):
            phase = "failed"
        finally:
            if run.abandoned.is_set():
                phase = "abandoned"
            if phase != "ready":
                with self._lock:
                    self._read.pop(run.key, None)  # not in the cache: a later start may retry
            run.phase, run.finished = phase, time.monotonic()
            if run.connection is not None:
                run.connection.close()

    def _forget_reads(self) -> None:
        """The model is not loaded: no prefix is cached any more, except those being read."""
        with self._lock:
            self._read = {run.key: run.messages for run in self._running()}

    def _replaced_by(self, messages: list[dict[str, str]]) -> None:
        """``messages`` are about to be read: forget the prefixes read before that they do not
        start with (the cache will hold this request instead). Called with the lock held."""
        self._read = {k: m for k, m in self._read.items() if starts_with(messages, m)}

    def _connect(self) -> http.client.HTTPConnection:
        url = urlsplit(self.host)
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        connection = kind(url.hostname or "127.0.0.1", url.port, timeout=self.timeout)
        connection.connect()
        return connection

    def _resident(self, connection: http.client.HTTPConnection) -> bool:
        """True when Ollama already has the model loaded (``/api/ps``)."""
        connection.request("GET", "/api/ps")
        response = connection.getresponse()
        data = json.loads(response.read() or b"{}")
        names = {str(m.get("name") or m.get("model") or "") for m in data.get("models") or []}
        return self.model in names or f"{self.model}:latest" in names

    def _read_prefix(self, connection: http.client.HTTPConnection, run: _Run) -> None:
        body = {
            "model": self.model,
            "messages": run.messages,
            "stream": True,
            "options": {**self.options, "num_predict": self.tokens},
        }
        if self.keep_alive is not None:
            body["keep_alive"] = self.keep_alive
        with self._lock:
            if run.abandoned.is_set():
                return
            run.sent = True
        connection.request(
            "POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        if response.status != 200:
            raise ValueError(f"warm-up answered {response.status}")
        while not run.abandoned.is_set():
            line = response.readline()
            if not line or json.loads(line).get("done"):
                return


def warm_up_for(settings: Any, busy: Callable[[], bool]) -> WarmUp | None:
    """The app's warm-up from settings (None when COACH_WARM_UP is off, or when OLLAMA_HOST is
    a pool: the pool picks a session's server at its first real request, and a warm-up sent to
    another server would fill the wrong cache and hold a slot for nothing)."""
    if not settings.warm_up or len(settings.ollama_hosts) > 1:
        return None
    return WarmUp(
        host=settings.ollama_host,
        model=settings.model,
        options={"num_ctx": settings.num_ctx, "temperature": settings.temperature},
        keep_alive=settings.keep_alive,
        busy=busy,
        timeout=max(settings.first_token_timeout, settings.connect_timeout),
    )


def warm_mode_head(warm_up: WarmUp | None, mode: Any, lang: str, owner: int) -> bool:
    """A page opened on ``mode``'s tab (or the person selected it): load the model and read
    the mode's prompt head (``mode.prompt_head(lang)``; only the load for a mode without
    one). True when a warm-up started."""
    if warm_up is None:
        return False
    head = getattr(mode, "prompt_head", None)
    text = head(lang) if head is not None else ""
    return warm_up.page_open(owner, [{"role": "system", "content": text}] if text else None)


def warm_tailoring(warm_up: WarmUp | None, request: Sequence[Any], owner: int) -> bool:
    """The Plan tab's inputs are filled: read the plan's tailoring request (``plan_messages``:
    the fixed instructions, the relationship, the topic and the questions) before the person
    asks for it, so the click pays only for the answer. One warm-up per request (a topic
    typed on abandons the earlier one); skipped while a real reply streams."""
    if warm_up is None:
        return False
    return warm_up.begin(request, owner)


def warm_drafting(warm_up: WarmUp | None, prefix: Sequence[Any], owner: int) -> bool:
    """The scenario builder opened: read the drafting request's fixed prefix (its system
    prompt; ``draft_messages`` without a description) while the person describes the
    situation. Same rules as every warm-up."""
    if warm_up is None:
        return False
    return warm_up.begin(prefix, owner)
