"""`coach eval`'s debrief timing: a streamed debrief is timed at its first finished section
and at its end, on a clock the test controls (no real time is measured)."""

from __future__ import annotations

import pytest

from assistant.debrief import DebriefDraft
from assistant.evaluation import timed_debrief
from assistant.feedback import DebriefResult


def drafts(pending_per_draft, ticks, result):
    """A debrief stream whose clock advances one tick per draft."""
    for pending in pending_per_draft:
        ticks.append(len(ticks))
        yield DebriefDraft(DebriefResult("plain", text="so far"), tuple(pending))
    return result


class Clock:
    def __init__(self, ticks):
        self.ticks = ticks

    def __call__(self):
        return float(len(self.ticks))


def test_the_first_finished_section_and_the_end_are_timed():
    ticks: list[int] = []
    final = DebriefResult("plain", text="done")
    stream = drafts(
        [("strengths", "growth"), ("strengths", "growth"), ("growth",), ()], ticks, final
    )
    result, first, done = timed_debrief(stream, Clock(ticks))
    assert result is final
    # Start at 0; the 1st draft (all pending) is the facts; the 3rd draft drops "strengths".
    assert (first, done) == (3.0, 4.0)


def test_a_one_section_debrief_has_its_first_section_at_its_end():
    ticks: list[int] = []
    final = DebriefResult("plain", text="done")
    result, first, done = timed_debrief(drafts([("growth",), ()], ticks, final), Clock(ticks))
    assert (first, done) == (2.0, 2.0)


def test_a_cancelled_debrief_is_an_error():
    with pytest.raises(RuntimeError):
        timed_debrief(drafts([("growth",)], [], None))
