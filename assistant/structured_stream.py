"""One structured-output model request, streamed so that it can end early (issue #15, item 7).

A plan's tailoring and a scenario's draft each ask the model for one JSON answer, which on a
laptop takes tens of seconds to minutes. Asked with ``invoke``, the request runs to its end
even after the person has gone (holding Ollama's only slot). Streamed, the request is read a
chunk at a time, and it ends, deterministically, at the first chunk after ``cancelled`` is set
or as soon as the generator reading it is closed (what Gradio does to a cancelled event, and
the handlers do when their own generator is closed): closing the model's stream closes the
HTTP response, so Ollama stops generating. Each chunk also tells how far the answer has come,
which the page shows as progress.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

from assistant.errors import CoachError
from assistant.llm import to_coach_error

__all__ = ["RequestCancelled", "relay", "stream_json"]

T = TypeVar("T")
U = TypeVar("U")


class RequestCancelled(CoachError):
    """The request was ended because its event was cancelled."""

    def __init__(self) -> None:
        super().__init__(
            "request_cancelled",
            "Stopped: the request to the model was ended.",
            "Stoppet: forespørgslen til modellen blev afsluttet.",
        )


def _text(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    return content if isinstance(content, str) else str(content)


def _open(
    chat_model: Any, messages: list[Any], schema: dict[str, Any]
) -> tuple[Iterator[Any], Callable[[Any], str]]:
    """The answer's stream and how to read a piece's text.

    For ChatOllama, Ollama's own stream (the ``ollama`` client's generator, which holds the
    HTTP response in a ``with``): closing it closes the response then and there. Through
    langchain's ``stream`` the response is closed only when nested generators are collected,
    which a traceback or a callback holding the last exception can put off indefinitely.
    Other chat models (the tests' fakes) are streamed through langchain.
    """
    client = getattr(chat_model, "_client", None)
    params = getattr(chat_model, "_chat_params", None)
    if client is not None and callable(params):
        parts = client.chat(**params(messages, None, format=schema))
        return parts, lambda part: str(part.message.content or "")
    return iter(chat_model.bind(format=schema).stream(messages)), _text


def stream_json(
    chat_model: Any,
    messages: list[Any],
    schema: dict[str, Any],
    *,
    host: str,
    model_name: str,
    cancelled: threading.Event | None = None,
) -> Generator[int, None, str]:
    """Stream one answer in the JSON ``schema`` (Ollama's ``format``) from ``chat_model``,
    yielding how many characters have arrived after each chunk; returns the whole text.

    Raises ``RequestCancelled`` at the first chunk after ``cancelled`` is set, and
    ``CoachError`` for every client failure; the model's stream is closed in every case.
    """
    stream: Iterator[Any] | None = None
    raw = ""
    try:
        stream, text_of = _open(chat_model, messages, schema)
        for chunk in stream:
            if cancelled is not None and cancelled.is_set():
                raise RequestCancelled
            raw += text_of(chunk)
            yield len(raw)
    except CoachError:
        raise
    except Exception as exc:  # Ollama down, 404, timeout: one actionable message
        raise to_coach_error(exc, host=host, model=model_name) from exc
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # ends the HTTP response: the model stops generating
    return raw


def relay(
    steps: Generator[T, None, U], show: Callable[[T], Any], *, every: float = 0.25
) -> Generator[Any, None, U]:
    """Pass the steps of ``steps`` on as ``show(step)`` (the first at once, then at most one
    per ``every`` seconds: each update costs the page work) and return its result.

    Closing this generator (Gradio closes a cancelled event's generator when it next stops
    at an update, so within ``every`` seconds of a chunk) closes ``steps``, and with it
    its model request.
    """
    shown_at: float | None = None
    try:
        while True:
            try:
                step = next(steps)
            except StopIteration as done:
                return done.value
            now = time.monotonic()
            if shown_at is None or now - shown_at >= every:
                shown_at = now
                yield show(step)
    finally:
        steps.close()
