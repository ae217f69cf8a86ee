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

import json
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.errors import CoachError
from assistant.llm import to_coach_error

__all__ = [
    "Arrived",
    "Member",
    "MemberReader",
    "RequestCancelled",
    "relay",
    "stream_members",
]

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


def _pieces(
    chat_model: Any,
    messages: list[Any],
    schema: dict[str, Any],
    *,
    host: str,
    model_name: str,
    cancelled: threading.Event | None,
) -> Generator[str, None, None]:
    """The answer's text, piece by piece; the model's stream is closed in every case."""
    stream: Iterator[Any] | None = None
    try:
        stream, text_of = _open(chat_model, messages, schema)
        for chunk in stream:
            if cancelled is not None and cancelled.is_set():
                raise RequestCancelled
            yield text_of(chunk)
    except CoachError:
        raise
    except Exception as exc:  # Ollama down, 404, timeout: one actionable message
        raise to_coach_error(exc, host=host, model=model_name) from exc
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # ends the HTTP response: the model stops generating


@dataclass(frozen=True)
class Member:
    """One finished member of the answer's top-level object: its name and its value, or
    ``error`` (and ``value`` None) when the value's text is not JSON."""

    name: str
    value: Any
    error: str | None = None


@dataclass(frozen=True)
class Arrived:
    """One chunk of a streamed answer: the characters so far and the members it finished."""

    chars: int
    members: tuple[Member, ...]


class MemberReader:
    """Reads a JSON object as it streams and hands out each top-level member as soon as its
    value's closing token has arrived (``feed``), so a page can show it before the rest is
    generated. A member whose value is not JSON comes out with its ``error``; text that is
    not a JSON object at all sets ``broken`` and yields nothing more. ``closed`` tells that
    the object's closing brace arrived.
    """

    _SPACE = " \t\r\n"

    def __init__(self) -> None:
        self._state = "start"
        self._name = ""
        self._value: list[str] = []
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self.closed = False
        self.broken = False

    def feed(self, text: str) -> list[Member]:
        """The members that ``text`` (the next piece of the answer) finished, in order."""
        done: list[Member] = []
        for char in text:
            member = self._step(char)
            if member is not None:
                done.append(member)
        return done

    def _step(self, char: str) -> Member | None:
        state = self._state
        if state in ("end", "broken"):
            return None
        if state == "value":
            return self._value_step(char)
        if state == "name":
            self._name += char
            if self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                self._state = "colon"
            return None
        if char in self._SPACE:
            return None
        if state == "start" and char == "{":
            self._state = "name_or_end"
        elif state == "name_or_end" and char == '"':
            self._name, self._state = '"', "name"
        elif state == "name_or_end" and char == "}":
            self._state, self.closed = "end", True
        elif state == "colon" and char == ":":
            self._value, self._depth, self._state = [], 0, "value"
        else:
            self._state, self.broken = "broken", True
        return None

    def _value_step(self, char: str) -> Member | None:
        if self._in_string:
            self._value.append(char)
            if self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                self._in_string = False
            return None
        if self._depth == 0 and char in ",}":
            member = self._finish()
            self._state = "name_or_end"
            if char == "}":
                self._state, self.closed = "end", True
            return member
        if char == '"':
            self._in_string = True
        elif char in "{[":
            self._depth += 1
        elif char in "}]":
            self._depth -= 1
        self._value.append(char)
        return None

    def _finish(self) -> Member:
        try:
            name = json.loads(self._name)
        except ValueError:
            name = self._name.strip('"')
        text = "".join(self._value).strip()
        try:
            return Member(str(name), json.loads(text))
        except ValueError as exc:
            return Member(str(name), None, f"not JSON: {exc}")


def stream_members(
    chat_model: Any,
    messages: list[Any],
    schema: dict[str, Any],
    *,
    host: str,
    model_name: str,
    cancelled: threading.Event | None = None,
) -> Generator[Arrived, None, tuple[str, MemberReader]]:
    """Stream one answer in the JSON ``schema`` (Ollama's ``format``) from ``chat_model``,
    read member by member (``MemberReader``): yields an ``Arrived`` per chunk, with the
    top-level members that chunk finished; returns the whole text and the reader
    (``closed`` / ``broken`` tell whether the object was whole).

    Raises ``RequestCancelled`` at the first chunk after ``cancelled`` is set, and
    ``CoachError`` for every client failure; the model's stream is closed in every case.
    """
    raw, reader = "", MemberReader()
    pieces = _pieces(
        chat_model, messages, schema, host=host, model_name=model_name, cancelled=cancelled
    )
    try:
        for piece in pieces:
            raw += piece
            yield Arrived(len(raw), tuple(reader.feed(piece)))
    finally:
        pieces.close()
    return raw, reader


def relay(
    steps: Generator[T, None, U],
    show: Callable[[T], Any],
    *,
    every: float = 0.25,
    news: Callable[[T], bool] | None = None,
) -> Generator[Any, None, U]:
    """Pass the steps of ``steps`` on as ``show(step)`` (the first at once, then at most one
    per ``every`` seconds: each update costs the page work) and return its result. A step
    for which ``news(step)`` is true (a question or field just finished) is always shown at
    once: the model may be slow to send the next chunk.

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
            if shown_at is None or now - shown_at >= every or (news is not None and news(step)):
                shown_at = now
                yield show(step)
    finally:
        steps.close()
