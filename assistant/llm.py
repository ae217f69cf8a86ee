"""The model layer: the chat-model factory, Ollama health, model list and pull, and error mapping.

Every failure of the Ollama client reaches the rest of the app as one ``CoachError`` with a
short, actionable message in Danish and English; nothing above this module catches httpx or
ollama exceptions.

The ``ollama`` client and ``langchain_ollama`` (which brings langchain-core's model layer and
langsmith, about a second at start on a small machine) are imported on first use, not when the
app starts: serving the page needs neither.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from assistant.config import Settings
from assistant.errors import CoachError

if TYPE_CHECKING:
    import ollama
    from langchain_core.language_models import BaseChatModel

__all__ = [
    "CoachError",
    "DeferredChatModel",
    "OllamaService",
    "OllamaStatus",
    "PullProgress",
    "build_chat_model",
    "client_timeout",
    "to_coach_error",
    "warm_up",
]


def client_timeout(settings: Settings) -> httpx.Timeout:
    """Timeouts for every Ollama request; the client's own default is to wait forever.

    httpx's read timeout is the longest silence between two reads, so it bounds both the wait
    for the first token (which includes loading the model) and a stream that stalls later.
    """
    return httpx.Timeout(
        connect=settings.connect_timeout,
        read=max(settings.first_token_timeout, settings.idle_timeout),
        write=settings.connect_timeout,
        pool=settings.connect_timeout,
    )


def build_chat_model(
    settings: Settings, *, model: str | None = None, host: str | None = None
) -> BaseChatModel:
    """The chat model every mode talks to, configured from settings.

    With several servers in OLLAMA_HOST, a pool of them (``assistant/ollama_pool.py``).
    """
    from langchain_ollama import ChatOllama

    if host is None and len(settings.ollama_hosts) > 1:
        from assistant.ollama_pool import pooled_chat_model

        return pooled_chat_model(
            settings.ollama_hosts,
            lambda one: build_chat_model(settings, model=model, host=one),
            model=model or settings.model,
            retry_after=settings.ollama_retry_after,
        )
    return ChatOllama(
        model=model or settings.model,
        base_url=host or settings.ollama_host,
        num_ctx=settings.num_ctx,
        temperature=settings.temperature,
        keep_alive=settings.keep_alive,
        client_kwargs={"timeout": client_timeout(settings)},
    )


class DeferredChatModel:
    """The app's chat model (``ChatOllama`` from :func:`build_chat_model`), built on first use.

    Every attribute and call (``stream``, ``invoke``, ``bind``, ``model``, ``base_url``, ...)
    goes to that one real chat model; only its import and construction wait until a turn, a
    plan or a debrief first needs it (or :func:`warm_up` builds it after the first page view).
    Safe to share between threads: ``build`` runs once.
    """

    _OWN = frozenset({"_build", "_chat_model", "_build_lock"})

    def __init__(self, build: Callable[[], BaseChatModel]) -> None:
        self._build = build
        self._chat_model: BaseChatModel | None = None
        self._build_lock = threading.Lock()

    def built(self) -> BaseChatModel:
        """The real chat model, built now if it was not yet."""
        with self._build_lock:
            if self._chat_model is None:
                self._chat_model = self._build()
            return self._chat_model

    def __getattr__(self, name: str) -> Any:
        # Only called for names this object does not have itself. Its own fields (missing only
        # while it is being created or copied) and special names (copy and pickle protocols)
        # are never forwarded, so they cannot build the model.
        if name in DeferredChatModel._OWN or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.built(), name)

    def __repr__(self) -> str:
        built = self._chat_model
        return (
            f"DeferredChatModel({built!r})"
            if built is not None
            else "DeferredChatModel(not built yet)"
        )


def warm_up(chat_model: object) -> None:
    """Build a :class:`DeferredChatModel` now (imports langchain); nothing for any other model."""
    if isinstance(chat_model, DeferredChatModel):
        chat_model.built()


def to_coach_error(exc: BaseException, *, host: str, model: str) -> CoachError:
    """Map any Ollama client failure to a ``CoachError`` with a hint on what to do."""
    if isinstance(exc, CoachError):
        return exc
    import ollama  # already imported when the failure came from it

    if isinstance(exc, ollama.ResponseError):
        if exc.status_code == 404:
            return CoachError(
                "model_missing",
                f"The model '{model}' is not installed in Ollama at {host}. "
                f"Download it with the button above or run `ollama pull {model}`.",
                f"Modellen '{model}' er ikke installeret i Ollama på {host}. "
                f"Hent den med knappen ovenfor eller kør `ollama pull {model}`.",
            )
        return CoachError(
            "ollama_error",
            f"Ollama at {host} answered with an error: {exc.error}. "
            "Check the Ollama log, then press Retry.",
            f"Ollama på {host} svarede med en fejl: {exc.error}. "
            "Se Ollamas log, og tryk så på Prøv igen.",
        )
    if isinstance(exc, httpx.TimeoutException):
        return CoachError(
            "timeout",
            f"Ollama at {host} did not answer in time. The model may still be loading or the "
            "machine is busy; press Retry in a moment.",
            f"Ollama på {host} svarede ikke i tide. Modellen er måske ved at blive indlæst, "
            "eller maskinen har travlt; tryk på Prøv igen om lidt.",
        )
    if isinstance(exc, ConnectionError | httpx.ConnectError):
        return _unreachable(host)
    if isinstance(exc, httpx.TransportError | json.JSONDecodeError):
        return CoachError(
            "stream_broken",
            f"The connection to Ollama at {host} broke off mid-reply. What arrived is saved; "
            "press Retry when Ollama is running again.",
            f"Forbindelsen til Ollama på {host} blev afbrudt midt i svaret. Det modtagne er "
            "gemt; tryk på Prøv igen, når Ollama kører igen.",
        )
    return CoachError(
        "unexpected",
        f"Talking to Ollama at {host} failed: {exc}.",
        f"Kontakten til Ollama på {host} mislykkedes: {exc}.",
    )


def _unreachable(host: str) -> CoachError:
    return CoachError(
        "ollama_unreachable",
        f"Ollama is not reachable at {host} (OLLAMA_HOST). Start it with `ollama serve` "
        "and check again.",
        f"Ollama kan ikke nås på {host} (OLLAMA_HOST). Start den med `ollama serve`, og tjek igen.",
    )


@dataclass(frozen=True)
class OllamaStatus:
    """What the app needs to know before a chat can run."""

    host: str
    model: str
    reachable: bool
    version: str | None = None
    installed_models: tuple[str, ...] = ()
    error: CoachError | None = None

    @property
    def model_installed(self) -> bool:
        """True when the configured model (with or without the ':latest' tag) is installed."""
        return _same_model(self.model, self.installed_models)

    @property
    def ready(self) -> bool:
        """True when a chat can start right now."""
        return self.reachable and self.model_installed


def _same_model(wanted: str, installed: tuple[str, ...]) -> bool:
    candidates = {wanted, f"{wanted}:latest"} if ":" not in wanted else {wanted}
    return any(name in candidates for name in installed)


@dataclass(frozen=True)
class PullProgress:
    """One step of a model download: a status line and bytes done out of total."""

    status: str
    completed: int = 0
    total: int = 0
    done: bool = False

    @property
    def fraction(self) -> float:
        """Share of the current layer downloaded, 0.0-1.0 (1.0 once the pull succeeded)."""
        if self.done:
            return 1.0
        return self.completed / self.total if self.total else 0.0


@dataclass
class OllamaService:
    """Health, model list and pull against one Ollama host, with bounded timeouts."""

    settings: Settings
    _client: ollama.Client | None = field(default=None, init=False, repr=False)

    @property
    def client(self) -> ollama.Client:
        """The ollama client, created on first use (never at import time)."""
        if self._client is None:
            import ollama

            self._client = ollama.Client(
                host=self.settings.ollama_host, timeout=client_timeout(self.settings)
            )
        return self._client

    def status(self) -> OllamaStatus:
        """Ask Ollama for its version and models; never raises."""
        host, model = self.settings.ollama_host, self.settings.model
        try:
            version = self._version()
            names = tuple(m.model or "" for m in self.client.list().models)
        except Exception as exc:  # any failure means "not ready"; keep the reason
            return OllamaStatus(host, model, reachable=False, error=self._error(exc))
        return OllamaStatus(host, model, True, version, names)

    def _version(self) -> str | None:
        # The ollama client has no version call; /api/version is part of Ollama's REST API.
        response = self.client._client.get("/api/version", timeout=self.settings.connect_timeout)
        response.raise_for_status()
        version = response.json().get("version")
        return str(version) if version is not None else None

    def pull(self, model: str | None = None) -> Iterator[PullProgress]:
        """Download a model through Ollama, yielding progress; raises ``CoachError``."""
        import ollama

        name = model or self.settings.model
        try:
            for part in self.client.pull(name, stream=True):
                status = part.status or ""
                yield PullProgress(
                    status=status,
                    completed=part.completed or 0,
                    total=part.total or 0,
                    done=status == "success",
                )
        except ollama.ResponseError as exc:
            if "does not exist" in str(exc.error) or "not found" in str(exc.error):
                raise CoachError(
                    "model_unknown",
                    f"Ollama cannot find a model called '{name}' to download. Check the name "
                    "(e.g. gemma3:4b) and set COACH_MODEL.",
                    f"Ollama kan ikke finde en model ved navn '{name}' at hente. Tjek navnet "
                    "(fx gemma3:4b), og sæt COACH_MODEL.",
                ) from exc
            raise self._error(exc, model=name) from exc
        except Exception as exc:
            raise self._error(exc, model=name) from exc

    def _error(self, exc: BaseException, *, model: str | None = None) -> CoachError:
        return to_coach_error(
            exc, host=self.settings.ollama_host, model=model or self.settings.model
        )


def stream_text(
    chat_model: BaseChatModel, messages: list[Any], *, host: str, model: str
) -> Generator[tuple[str, dict[str, int]], None, None]:
    """Stream a reply as (text piece, usage) pairs; usage is filled on the final chunk
    (with ``"cut": 1`` when the reply stopped at its token cap).

    Raises ``CoachError`` for every client failure, after the pieces that did arrive.
    """
    try:
        for chunk in chat_model.stream(messages):
            usage: dict[str, int] = {}
            metadata = getattr(chunk, "usage_metadata", None)
            if metadata:
                usage = {
                    "prompt_tokens": int(metadata.get("input_tokens", 0)),
                    "completion_tokens": int(metadata.get("output_tokens", 0)),
                }
            if (getattr(chunk, "response_metadata", None) or {}).get("done_reason") == "length":
                usage["cut"] = 1  # generation stopped at the request's num_predict
            text = chunk.content if isinstance(chunk.content, str) else str(chunk.content)
            yield text, usage
    except Exception as exc:
        raise to_coach_error(exc, host=host, model=model) from exc
