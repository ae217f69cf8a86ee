"""The debrief's sentence about the model's own replies, from the check records on its
turns: in English and Danish, one reply or several, and nothing when none failed."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.debrief.facts import model_reply_line, model_reply_tally
from assistant.reply_checks import Tally


@dataclass
class T:
    id: int


ECHOED = {"before": ["echo: user"], "after": []}
KEPT = {"before": ["assistant_voice: happy to help"], "after": ["assistant_voice: feel free to"]}


def test_only_the_given_replies_are_counted():
    records = {1: ECHOED, 2: KEPT, 9: ECHOED}  # 9 is on another branch
    tally = model_reply_tally(records, [T(1), T(2), T(3)])
    assert (tally.replies, tally.regenerated, tally.still_failing) == (3, 2, 1)
    assert tally.after == {"assistant_voice": 1}


def test_the_line_in_english():
    tally = model_reply_tally({1: ECHOED, 2: KEPT}, [T(n) for n in range(1, 10)])
    assert model_reply_line(tally, "en") == (
        "About the model, not your lines: 2 of 9 of its replies failed the app's reply checks "
        "and were written again. 1 still had a flaw when shown (sounded like an assistant)."
    )
    one = model_reply_tally({1: ECHOED}, [T(1), T(2)])
    assert model_reply_line(one, "en") == (
        "About the model, not your lines: 1 of 2 of its replies failed the app's reply checks "
        "and was written again."
    )


def test_the_line_in_danish():
    tally = model_reply_tally({1: ECHOED, 2: KEPT}, [T(1), T(2), T(3)])
    assert model_reply_line(tally, "da") == (
        "Om modellen, ikke dine replikker: 2 af 3 af dens svar faldt igennem appens svartjek "
        "og blev skrevet igen. 1 havde stadig en fejl, da det blev vist (lød som en assistent)."
    )


def test_nothing_is_said_when_no_reply_failed():
    assert model_reply_line(model_reply_tally({}, [T(1), T(2)]), "en") is None
    assert model_reply_line(Tally(), "da") is None
