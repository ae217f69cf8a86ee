"""EarlyReply: the reply starts before the page asks for it, the page gets the newest text,
errors reach the page's thread, and a page that stops listening stops the reply."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator

import pytest

from assistant.errors import CoachError
from assistant.ui.early_reply import EarlyReply, early_reply

WAIT = 10  # seconds; only a safety net against a hang, never a timing assertion


def test_the_reply_starts_before_the_page_iterates() -> None:
    started = threading.Event()

    def replies() -> Iterator[str]:
        started.set()  # e.g. storing the user's turn and sending the request
        yield "Hello"

    reply = early_reply(replies())
    assert started.wait(WAIT), "the reply did not start until iterated"
    assert list(reply) == ["Hello"]


def test_the_page_gets_the_newest_snapshot_and_always_the_last() -> None:
    snapshots = [("word " * n).strip() for n in range(1, 201)]
    gate = threading.Event()

    def replies() -> Iterator[str]:
        yield snapshots[0]
        gate.wait(WAIT)  # the rest arrives while the page is still busy with the first
        yield from snapshots[1:]

    reply = EarlyReply(replies(), min_interval=WAIT)
    seen = []
    for snapshot in reply:
        seen.append(snapshot)
        gate.set()
    assert seen == [snapshots[0], snapshots[-1]]  # nothing in between was queued up


def test_every_snapshot_is_passed_on_when_the_page_keeps_up() -> None:
    step = threading.Semaphore(0)

    def replies() -> Iterator[str]:
        for text in ("a", "a b", "a b c"):
            step.acquire(timeout=WAIT)
            yield text

    reply = EarlyReply(replies(), min_interval=0)
    seen = []
    step.release()
    for snapshot in reply:
        seen.append(snapshot)
        step.release()
    assert seen == ["a", "a b", "a b c"]


def test_an_error_reaches_the_page_after_the_text_before_it() -> None:
    def replies() -> Iterator[str]:
        yield "Partial"
        raise CoachError("ollama_down", "Ollama stopped.", "Ollama stoppede.")

    seen = []
    with pytest.raises(CoachError) as caught:
        for snapshot in early_reply(replies()):
            seen.append(snapshot)
    assert caught.value.code == "ollama_down"
    assert seen == ["Partial"]


def test_an_error_before_the_first_snapshot_is_raised_on_iteration() -> None:
    def replies() -> Iterator[str]:
        raise CoachError("busy", "Busy.", "Optaget.")
        yield "never"  # pragma: no cover

    reply = early_reply(replies())
    with pytest.raises(CoachError, match="Busy"):
        next(iter(reply))


def test_a_page_that_stops_listening_stops_and_closes_the_reply() -> None:
    closed = threading.Event()
    produced = []

    def replies() -> Iterator[str]:
        try:
            for n in range(1, 10_000):
                produced.append(n)
                yield "x" * n
                threading.Event().wait(0.001)
        finally:
            closed.set()  # the mode saves the partial reply and marks it interrupted here

    reply = EarlyReply(replies(), min_interval=0)
    consumer = iter(reply)
    next(consumer)
    consumer.close()  # what Gradio does on Stop or a closed tab
    assert closed.wait(WAIT), "the reply was not closed"
    reply.join(WAIT)
    assert len(produced) < 9_999


def test_the_reply_runs_in_the_callers_context() -> None:
    language = contextvars.ContextVar("language", default="en")
    language.set("da")

    def replies() -> Iterator[str]:
        yield language.get()

    assert list(early_reply(replies())) == ["da"]


def test_a_reply_the_page_drops_before_iterating_it_is_stopped() -> None:
    """E.g. Stop pressed before the first update: Gradio closes the handler at its first yield,
    and the EarlyReply it held is dropped without ever being iterated."""
    closed = threading.Event()

    def replies() -> Iterator[str]:
        try:
            for n in range(1, 100_000):  # far longer than WAIT
                yield "x" * n
                threading.Event().wait(0.001)
        finally:
            closed.set()

    reply = EarlyReply(replies(), min_interval=0)
    thread = reply._thread
    del reply
    assert closed.wait(WAIT), "the dropped reply kept running"
    thread.join(WAIT)
    assert not thread.is_alive()
