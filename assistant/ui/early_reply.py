"""Start a reply before the page has shown the user's words, and hand the page the newest text.

A chat handler first yields the user's words (so they appear at once) and then streams the
reply. Gradio runs one step of the handler at a time: the request to Ollama would only go out
after the first update had been processed and sent to the browser, adding that time to every
reply's first token. ``early_reply`` runs the mode's reply generator in its own thread from
the start, so storing the turn and sending the request overlap with the first update.

The reply arrives as growing snapshots (each holds the whole text so far), so only the newest
one needs passing on. The first snapshot goes to the page at once; after that the page gets at
most one update per ``min_interval`` (50 ms: 20 a second, smooth to the eye), and the last one
as soon as the reply ends. Each update costs Gradio a few milliseconds of work in the server's
one event loop, so a model streaming 50 tokens a second to 20 people would otherwise queue far
more updates than two cores can send; when the page falls further behind it skips to the
newest text instead of working through a backlog.

Stopping is unchanged: when Gradio closes the handler (Stop, a closed tab), the reply thread
stops at its next snapshot and closes the mode's generator there, which marks the turn
interrupted exactly as before.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class _Handover:
    """What the reply's thread and the page's thread share (the thread holds only this, so an
    ``EarlyReply`` the page has dropped is collected, which stops the reply)."""

    changed: threading.Condition = field(default_factory=threading.Condition)
    latest: str | None = None
    fresh: bool = False
    done: bool = False
    error: BaseException | None = None
    stop: threading.Event = field(default_factory=threading.Event)


def _pump(replies: Iterator[str], handover: _Handover) -> None:
    """Run the reply, keeping its newest snapshot; close it when told to stop."""
    try:
        for snapshot in replies:
            with handover.changed:
                handover.latest, handover.fresh = snapshot, True
                handover.changed.notify()
            if handover.stop.is_set():
                break
    except BaseException as exc:  # handed to the page's thread, raised there
        handover.error = exc
    finally:
        close = getattr(replies, "close", None)
        if close is not None:
            try:
                close()  # a stopped reply is saved and marked interrupted here
            except BaseException as exc:
                handover.error = handover.error or exc
        with handover.changed:
            handover.done = True
            handover.changed.notify()


class EarlyReply:
    """A reply generator running in a background thread; iterate it for the newest snapshots.

    The reply stops (at its next snapshot) when the iteration is closed, or when the page's
    handler drops this object without iterating it (e.g. Stop before the first update).
    """

    def __init__(self, replies: Iterator[str], min_interval: float = 0.05) -> None:
        self._min_interval = min_interval
        self._handover = _Handover()
        context = contextvars.copy_context()  # langchain callbacks and Gradio read contextvars
        self._thread = threading.Thread(
            target=context.run,
            args=(_pump, replies, self._handover),
            name="early-reply",
            daemon=True,
        )
        self._thread.start()

    def __iter__(self) -> Iterator[str]:
        handover = self._handover
        shown_at = None
        try:
            while True:
                with handover.changed:
                    handover.changed.wait_for(lambda: handover.fresh or handover.done)
                    if shown_at is not None and not handover.done:
                        rest = shown_at + self._min_interval - time.monotonic()
                        if rest > 0:  # gather more text; the end is passed on at once
                            handover.changed.wait_for(lambda: handover.done, timeout=rest)
                    if handover.fresh:
                        handover.fresh = False
                        snapshot = handover.latest
                    elif handover.error is not None:
                        raise handover.error
                    else:
                        return
                assert snapshot is not None
                shown_at = time.monotonic()
                yield snapshot
        finally:
            handover.stop.set()

    def __del__(self) -> None:
        self._handover.stop.set()

    def stop(self) -> None:
        """Ask the reply to stop at its next snapshot (the page no longer listens)."""
        self._handover.stop.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the reply thread to finish (tests)."""
        self._thread.join(timeout)


def early_reply(replies: Iterator[str]) -> EarlyReply:
    """Start ``replies`` now in the background; iterate the result for its newest snapshots
    (the first at once, then at most one per 50 ms, and the last as soon as it is there)."""
    return EarlyReply(replies)
