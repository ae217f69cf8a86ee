"""The feedback-move rules (issue #18): each move in both languages, and what is not one."""

from __future__ import annotations

import pytest

from assistant.feedback_moves import (
    BLAME,
    CHECK,
    GENERALISATION,
    I_STATEMENT,
    OBSERVATION,
    REQUEST,
    feedback_moves,
    line_labels,
    tip_key,
)

CASES = [
    ("en", "I noticed that the report was late in the last two meetings.", OBSERVATION),
    ("en", "In yesterday's meeting you cut Anna off twice.", OBSERVATION),
    ("da", "Jeg har lagt mærke til at rapporten kom for sent.", OBSERVATION),
    ("da", "På de sidste tre møder har du ikke sagt noget.", OBSERVATION),
    ("en", "I felt worried when I heard about it from the client.", I_STATEMENT),
    ("en", "For me it meant a weekend of rework.", I_STATEMENT),
    ("da", "Jeg blev bekymret da kunden ringede.", I_STATEMENT),
    ("da", "Det betød at jeg måtte arbejde i weekenden.", I_STATEMENT),
    ("en", "You always leave it to the last minute.", BLAME),
    ("en", "That's your fault, not mine.", BLAME),
    ("da", "Du kommer altid for sent.", BLAME),
    ("da", "Det er din skyld.", BLAME),
    ("en", "Every time we plan something it slips.", GENERALISATION),
    ("da", "Hver gang vi planlægger noget, skrider det.", GENERALISATION),
    ("en", "Could we agree on a short check-in every Friday?", REQUEST),
    ("en", "Next time, could you tell me as soon as it slips?", REQUEST),
    ("da", "Kan vi aftale et kort tjek hver fredag?", REQUEST),
    ("da", "Jeg vil gerne have at du siger til, når det skrider.", REQUEST),
    ("en", "Did I get that right?", CHECK),
    ("en", "Is that how you see it?", CHECK),
    ("da", "Har jeg forstået dig rigtigt?", CHECK),
    ("da", "Passer det?", CHECK),
]


@pytest.mark.parametrize(("lang", "text", "move"), CASES)
def test_each_move_is_found_in_both_languages(lang: str, text: str, move: str) -> None:
    assert move in feedback_moves(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "What matters most to you in this project?"),
        ("en", "It sounds like the priorities keep shifting under you."),
        ("da", "Hvad er vigtigst for dig i projektet?"),
        ("da", "Det lyder som om prioriteterne skifter under dig."),
    ],
)
def test_listening_lines_carry_no_feedback_move(lang: str, text: str) -> None:
    assert feedback_moves(text, lang) == []


def test_line_labels_put_the_skill_labels_before_the_moves() -> None:
    labels = line_labels("You always leave it late. What happened this time?", "en")
    skills = labels[: labels.index(BLAME)]
    assert skills[0] == "open_question"
    assert labels[len(skills) :] == [BLAME, GENERALISATION]
    assert line_labels("Hvad skete der?", "da") == ["open_question"]


def test_a_tip_only_when_one_applies() -> None:
    assert tip_key(["reflection_complex"], understood=False) is None
    assert tip_key(["open_question"], understood=False) is None
    assert tip_key(["reflection_simple", BLAME, GENERALISATION], understood=True) == (
        "live_tip_blame"
    )
    assert tip_key(["advice"], understood=False) == "live_tip_advice"
    assert tip_key(["advice"], understood=True) is None
    assert tip_key(["closed_question"], understood=True) == "live_tip_closed"
