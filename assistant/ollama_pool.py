"""A pool of Ollama servers behind one chat model (``OLLAMA_HOST=http://a:11434,http://b:11434``).

Which server answers a request:

- a conversation keeps to one server while that server is healthy, so its prompt prefix
  stays in that server's KV cache (the prefix rule in the design notes is worth an order of
  magnitude in time to first token). A conversation is known by its first message: a
  session's system prompt is rendered once at its start and never changes;
- a new conversation goes to the least busy healthy server (fewest requests in flight, then
  fewest conversations given to it);
- a server that cannot be reached (or answers 5xx) is skipped for ``retry_after`` seconds,
  with a warning in the log naming it; after that one request tries it again and, if it
  answers, it is healthy again. A request that failed before its first token is sent to the
  next server at once; one that fails after text arrived ends with the usual error (the
  partial reply is stored as interrupted), and the retry goes to a healthy server.

Imported on first use of the chat model (it subclasses langchain-core's ``BaseChatModel``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, SkipValidation

log = logging.getLogger(__name__)

# Conversations remembered for affinity; the oldest are forgotten first.
MAX_CONVERSATIONS = 4096


def conversation_key(messages: Sequence[BaseMessage]) -> str:
    """What identifies a conversation for affinity: a digest of its first message."""
    first = messages[0].content if messages else ""
    return hashlib.sha1(str(first).encode("utf-8", "replace")).hexdigest()


def is_server_failure(exc: BaseException) -> bool:
    """True when the server itself failed (unreachable, timed out, 5xx), not the request."""
    import httpx
    import ollama

    if isinstance(exc, ollama.ResponseError):
        return int(getattr(exc, "status_code", 0) or 0) >= 500
    return isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError)


@dataclass
class OllamaServer:
    """One server of the pool, its chat model and how it is doing."""

    host: str
    chat_model: BaseChatModel
    in_flight: int = 0
    conversations: int = 0
    failed_at: float | None = None
    last_error: str = ""

    def healthy(self, now: float, retry_after: float) -> bool:
        """True unless it failed less than ``retry_after`` seconds ago."""
        return self.failed_at is None or now - self.failed_at >= retry_after


@dataclass
class OllamaPool:
    """The servers and which conversation each one holds; safe to share between threads."""

    servers: list[OllamaServer]
    retry_after: float = 15.0
    clock: Callable[[], float] = time.monotonic
    _affinity: OrderedDict[str, OllamaServer] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def hosts(self) -> str:
        """Every server, comma-separated (for messages)."""
        return ",".join(server.host for server in self.servers)

    def choose(
        self, messages: Sequence[BaseMessage], *, exclude: Sequence[OllamaServer] = ()
    ) -> OllamaServer | None:
        """The server for this request, counted as busy until ``release``; None when every
        server was tried (``exclude``)."""
        key = conversation_key(messages)
        with self._lock:
            now = self.clock()
            candidates = [s for s in self.servers if not any(s is e for e in exclude)]
            if not candidates:
                return None
            kept = self._affinity.get(key)
            if kept in candidates and kept.healthy(now, self.retry_after):
                self._affinity.move_to_end(key)
                chosen = kept
            else:
                healthy = [s for s in candidates if s.healthy(now, self.retry_after)]
                # With none healthy, try the one that failed longest ago: it may be back.
                chosen = (
                    min(healthy, key=lambda s: (s.in_flight, s.conversations))
                    if healthy
                    else min(candidates, key=lambda s: s.failed_at or 0.0)
                )
                chosen.conversations += 1
                self._affinity[key] = chosen
                while len(self._affinity) > MAX_CONVERSATIONS:
                    self._affinity.popitem(last=False)
            chosen.in_flight += 1
            return chosen

    def release(self, server: OllamaServer, error: BaseException | None = None) -> None:
        """The request on ``server`` ended; ``error`` is set when the server failed."""
        with self._lock:
            server.in_flight -= 1
            if error is None:
                if server.failed_at is not None:
                    log.warning("Ollama at %s answers again; it is back in the pool", server.host)
                server.failed_at, server.last_error = None, ""
                return
            first_failure = server.failed_at is None
            server.failed_at, server.last_error = self.clock(), f"{type(error).__name__}: {error}"
        if first_failure:
            log.warning(
                "Ollama at %s failed (%s); skipping it for %.0f s, until it answers again",
                server.host,
                server.last_error,
                self.retry_after,
            )


class PooledChatModel(BaseChatModel):
    """A chat model that sends each request to one server of an ``OllamaPool``.

    Calls (``stream``, ``invoke``, ``bind(format=...)``) reach the chosen server's own
    ``ChatOllama`` with their options unchanged.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pool: SkipValidation[OllamaPool]
    model: str = ""

    @property
    def _llm_type(self) -> str:
        return "ollama-pool"

    def _servers(
        self, messages: list[BaseMessage]
    ) -> Iterator[tuple[OllamaServer, Callable[[BaseException | None], None]]]:
        """Servers to try in turn for one request, each with the call that releases it."""
        tried: list[OllamaServer] = []
        while (server := self.pool.choose(messages, exclude=tried)) is not None:
            tried.append(server)
            released = False

            def release(error: BaseException | None, server: OllamaServer = server) -> None:
                nonlocal released
                if not released:
                    released = True
                    self.pool.release(server, error)

            try:
                yield server, release
            finally:
                release(None) if not released else None

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        failure: BaseException | None = None
        for server, release in self._servers(messages):
            try:
                result = server.chat_model._generate(messages, stop, run_manager, **kwargs)
            except Exception as exc:
                if not is_server_failure(exc):
                    release(None)
                    raise
                release(exc)
                failure = exc
                continue
            release(None)
            return result
        assert failure is not None
        raise failure

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        failure: BaseException | None = None
        for server, release in self._servers(messages):
            started = False
            try:
                for chunk in server.chat_model._stream(messages, stop, run_manager, **kwargs):
                    started = True
                    yield chunk
            except Exception as exc:
                if not is_server_failure(exc):
                    release(None)
                    raise
                release(exc)
                if started:  # text already went to the user: the reply ends here
                    raise
                failure = exc
                continue
            release(None)
            return
        assert failure is not None
        raise failure


def pooled_chat_model(
    hosts: Sequence[str], build: Callable[[str], BaseChatModel], *, model: str, retry_after: float
) -> PooledChatModel:
    """One chat model over several Ollama servers; ``build(host)`` makes each one's model."""
    pool = OllamaPool([OllamaServer(host, build(host)) for host in hosts], retry_after=retry_after)
    return PooledChatModel(pool=pool, model=model)
