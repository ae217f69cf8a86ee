"""The openness rules (issue #18): start, moves per difficulty, the reveal threshold, the note."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.openness import (
    REVEAL_AT,
    RULES,
    current_level,
    line_signals,
    movers,
    next_level,
    revealable,
    state_note,
    timeline,
)
from assistant.prompts import PromptLibrary

PROMPTS = PromptLibrary(Path(__file__).resolve().parents[2] / "prompts")

REFLECTIVE = {
    "en": [
        "It sounds like the priorities keep shifting under you.",
        "What has the last month been like for you?",
        "So you have been carrying more than anyone could see.",
        "I noticed that the reports came late in the last two sprints. How did that look from "
        "your side?",
        "You sound worn out by it.",
    ],
    "da": [
        "Det lyder som om prioriteterne hele tiden flytter sig under dig.",
        "Hvordan har den sidste måned været for dig?",
        "Så du har båret mere, end nogen kunne se.",
        "Jeg har lagt mærke til at rapporterne kom sent de sidste to sprints. Hvordan så det ud "
        "fra din side?",
        "Du lyder slidt af det.",
    ],
}
BLUNT = {
    "en": [
        "You always deliver late.",
        "You should write a plan and stick to it.",
        "Is it going to happen again? Do you even care?",
        "It's your fault the client is angry.",
        "You never tell anyone anything.",
    ],
    "da": [
        "Du afleverer altid for sent.",
        "Du burde lave en plan og holde dig til den.",
        "Sker det igen? Er du overhovedet ligeglad?",
        "Det er din skyld at kunden er sur.",
        "Du fortæller aldrig nogen noget.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "da"])
def test_raising_and_lowering_signals_in_both_languages(lang: str) -> None:
    reflection = line_signals(REFLECTIVE[lang][0], lang, understood=False)
    assert reflection.raising == ("reflection",) and not reflection.lowering
    # "hele tiden" inside a reflection of their experience is not held against the line.
    question = line_signals(REFLECTIVE[lang][1], lang, understood=False)
    assert question.raising == ("open_question",)
    observed = line_signals(REFLECTIVE[lang][3], lang, understood=True)
    assert "observation" in observed.raising
    blame = line_signals(BLUNT[lang][0], lang, understood=False)
    assert set(blame.lowering) == {"blame", "generalisation"} and not blame.raising
    advice = line_signals(BLUNT[lang][1], lang, understood=False)
    assert advice.lowering == ("advice_too_soon",)
    assert line_signals(BLUNT[lang][1], lang, understood=True).lowering == ()
    stacked = line_signals(BLUNT[lang][2], lang, understood=False)
    assert {"stacked_questions", "closed_only"} <= set(stacked.lowering)


@pytest.mark.parametrize(
    ("difficulty", "start", "after_reflection", "after_blame"),
    [("cooperative", 6, 8, 4), ("realistic", 4, 5, 2), ("resistant", 2, 3, 0)],
)
def test_move_size_depends_on_difficulty(
    difficulty: str, start: int, after_reflection: int, after_blame: int
) -> None:
    assert RULES[difficulty].start == start
    assert current_level([], difficulty) == start
    reflected = timeline([REFLECTIVE["en"][0]], "en", difficulty)
    assert reflected[0].before == start and reflected[0].after == after_reflection
    blamed = timeline([BLUNT["en"][0]], "en", difficulty)
    assert blamed[0].after == after_blame


def test_the_level_stays_within_zero_and_ten() -> None:
    blunt = timeline(BLUNT["en"] * 3, "en", "resistant")
    assert min(step.after for step in blunt) == 0
    warm = timeline(REFLECTIVE["en"] * 3, "en", "cooperative")
    assert max(step.after for step in warm) == 10
    signals = line_signals(REFLECTIVE["en"][0], "en", understood=False)
    assert next_level(10, signals, "cooperative") == 10


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("difficulty", ["cooperative", "realistic", "resistant"])
def test_only_listening_reaches_the_reveal_threshold(lang: str, difficulty: str) -> None:
    reflective = timeline(REFLECTIVE[lang], lang, difficulty)
    blunt = timeline(BLUNT[lang], lang, difficulty)
    assert revealable(current_level(reflective, difficulty))
    assert not any(revealable(step.after) for step in blunt)


def test_movers_are_the_lines_that_moved_it_most() -> None:
    steps = timeline([REFLECTIVE["en"][0], BLUNT["en"][0], REFLECTIVE["en"][3]], "en", "realistic")
    best, worst = movers(steps)
    assert best is not None and best.text == REFLECTIVE["en"][3] and best.delta == 2
    assert worst is not None and worst.text == BLUNT["en"][0] and worst.delta == -2
    assert movers([]) == (None, None)


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_state_note_says_whether_a_concern_may_be_shared(lang: str) -> None:
    closed, opened = state_note(PROMPTS, 2, lang), state_note(PROMPTS, REVEAL_AT, lang)
    assert closed.startswith("<counterpart-state>") and closed.endswith("</counterpart-state>")
    assert "2" in closed and str(REVEAL_AT) in opened
    share = "dele én af de ting" if lang == "da" else "share one of the things"
    assert share in opened and share not in closed


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Could we agree on a short check-in every Friday? Did I get that right?"),
        ("da", "Kan vi aftale et kort tjek hver fredag? Har jeg forstået dig rigtigt?"),
    ],
)
def test_a_check_of_understanding_is_not_a_stacked_question(lang: str, text: str) -> None:
    signals = line_signals(text, lang, understood=True)
    assert "check_understanding" in signals.raising
    assert "stacked_questions" not in signals.lowering


# One raising signal, two raising signals, and blame with a generalisation (two lowering).
TIE_LINES = {
    "en": (
        "It sounds like the priorities keep shifting under you.",
        "It sounds like the priorities keep shifting under you. What has that been like for you?",
        "You always deliver late.",
    ),
    "da": (
        "Det lyder som om prioriteterne hele tiden flytter sig under dig.",
        "Det lyder som om prioriteterne hele tiden flytter sig under dig. Hvordan har det været "
        "for dig?",
        "Du afleverer altid for sent.",
    ),
}


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize(
    ("difficulty", "script", "levels", "best", "worst"),
    [
        # Three rises of +2 each: the one that crossed 7 (6 -> 8) beats 8 -> 10 and the latest;
        # two falls of -2 (10 -> 8), neither crossing nor changing the stance: the latest.
        ("cooperative", "1 1 B 1 B", [6, 8, 10, 8, 10, 8], 1, 5),
        # Four falls of -2: the one that fell below 7 (8 -> 6) beats the later 4 -> 2 that only
        # changed the stance (cautious -> closed), and the latest.
        ("realistic", "2 2 2 B B B B", [4, 6, 8, 10, 8, 6, 4, 2], 2, 5),
        # Two rises of +1 within "cautious": the latest.
        ("realistic", "1 1", [4, 5, 6], 2, None),
        # Two rises of +2: closed -> cautious (2 -> 4) beats the later 4 -> 6.
        ("resistant", "2 2 B", [2, 4, 6, 2], 1, 3),
        # Two falls of -4: 8 -> 4 crossed the threshold, the later 4 -> 0 only changed the stance.
        ("resistant", "2 2 2 B B", [2, 4, 6, 8, 4, 0], 3, 4),
    ],
)
def test_movers_break_ties_by_threshold_then_stance_then_latest(
    lang: str, difficulty: str, script: str, levels: list[int], best: int, worst: int | None
) -> None:
    single, double, blame = TIE_LINES[lang]
    lines = [{"1": single, "2": double, "B": blame}[key] for key in script.split()]
    steps = timeline(lines, lang, difficulty)
    assert [steps[0].before, *(step.after for step in steps)] == levels
    rise, fall = movers(steps)
    assert rise is not None and rise.line == best
    assert (fall.line if fall is not None else None) == worst
    # The tie is real: another line moved it by as much.
    assert [s.delta for s in steps].count(rise.delta) > 1
