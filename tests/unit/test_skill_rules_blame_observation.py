"""The issue-#18 rules behind the labels: blame is a statement, a time or meeting reference
makes a concrete observation, and carrying something alone is a complex reflection.

Each rule in both languages, with the look-alikes it must leave alone.
"""

from __future__ import annotations

import pytest

from assistant.feedback_moves import BLAME, GENERALISATION, OBSERVATION, feedback_moves, line_labels
from assistant.openness import line_signals, timeline
from assistant.skill_rules import blames, opens_with_observation
from assistant.skills import classify_unit, count_skills

BLAME_LINES = [
    ("en", "Why do you always miss the deadline?"),
    ("en", "You never listen, do you?"),
    ("en", "So why are you always the last to reply?"),
    ("en", "How come you never tell anyone?"),
    ("da", "Hvorfor kan du aldrig nå det til tiden?"),
    ("da", "Du hører aldrig efter, vel?"),
    ("da", "Hvorfor er du altid den sidste, der svarer?"),
    ("da", "Hvordan kan det være, at du aldrig siger noget?"),
]


@pytest.mark.parametrize(("lang", "text"), BLAME_LINES)
def test_blame_in_question_form_is_a_statement_with_blame_and_generalisation(
    lang: str, text: str
) -> None:
    assert blames(text, lang)
    assert classify_unit(text, lang) == "other"
    labels = line_labels(text, lang)
    assert labels == ["other", BLAME, GENERALISATION]


@pytest.mark.parametrize(("lang", "text"), BLAME_LINES)
def test_blame_raises_neither_the_miti_counts_nor_openness(lang: str, text: str) -> None:
    counts = count_skills([text], lang)
    assert counts.questions == 0 and counts.reflections == 0 and counts.other == 1
    signals = line_signals(text, lang, understood=False)
    assert signals.raising == () and BLAME in signals.lowering
    steps = timeline([text], lang, "realistic")
    assert steps[0].after < steps[0].before


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "What's wrong with you?"),
        ("en", "Who do you think you are?"),
        ("da", "Hvad er der galt med dig?"),
        ("da", "Gider du ikke engang svare?"),
    ],
)
def test_blame_without_an_absolute_is_a_statement_too(lang: str, text: str) -> None:
    assert classify_unit(text, lang) == "other"
    assert line_labels(text, lang) == ["other", BLAME]


@pytest.mark.parametrize(
    ("lang", "text", "label"),
    [
        # Asking for their view about an absolute is a real question.
        ("en", "Why do you think it never works?", "open_question"),
        ("da", "Hvorfor tror du, at det altid går galt?", "open_question"),
        # An absolute inside a reflection of their experience is not an accusation.
        ("en", "You feel like you're always the one who has to fix things.", "reflection_complex"),
        ("en", "You have never felt heard in those meetings.", "reflection_complex"),
        ("da", "Du føler, at det altid er dig, der skal redde situationen.", "reflection_complex"),
        ("da", "Du har aldrig følt dig hørt på de møder.", "reflection_complex"),
        # Why-questions without an absolute stay open.
        ("en", "Why did you decide to wait?", "open_question"),
        ("da", "Hvorfor valgte du at vente?", "open_question"),
    ],
)
def test_look_alikes_of_blame_keep_their_label(lang: str, text: str, label: str) -> None:
    assert not blames(text, lang)
    assert classify_unit(text, lang) == label
    assert BLAME not in feedback_moves(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "You always leave it late, you should plan better."),
        ("da", "Du venter altid til sidste øjeblik, du burde planlægge bedre."),
    ],
)
def test_blame_does_not_hide_advice(lang: str, text: str) -> None:
    # The rule turns question and reflection forms into statements; advice stays advice.
    assert classify_unit(text, lang) == "advice"
    assert BLAME in feedback_moves(text, lang)


OBSERVATIONS = [
    ("da", "I går på mødet afbrød du Sara to gange."),
    ("da", "I tirsdags kom rapporten en dag for sent."),
    ("da", "På standup i morges sagde du ingenting."),
    ("da", "I sidste uge sendte du tallene uden at tjekke dem."),
    ("en", "Yesterday in the meeting you interrupted Sara twice."),
    ("en", "On Tuesday the report came in a day late."),
    ("en", "This morning at stand-up you didn't say anything."),
    ("en", "Last week you sent the numbers without checking them."),
]


@pytest.mark.parametrize(("lang", "text"), OBSERVATIONS)
def test_a_time_or_meeting_reference_makes_a_concrete_observation(lang: str, text: str) -> None:
    assert opens_with_observation(text, lang)
    assert OBSERVATION in feedback_moves(text, lang)
    # An observation of behaviour is not a reflection of what they said (the Danish verb-second
    # order "…afbrød du…" used to read as one).
    assert classify_unit(text, lang) == "other"
    assert "observation" in line_signals(text, lang, understood=False).raising


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("da", "På tirsdag skal du præsentere rapporten."),  # next Tuesday: not behaviour seen
        ("da", "I går var en lang dag."),
        ("en", "On Tuesdays we usually plan the week."),
        ("en", "Yesterday was a long day."),
    ],
)
def test_a_time_reference_without_behaviour_is_no_observation(lang: str, text: str) -> None:
    assert not opens_with_observation(text, lang)
    assert OBSERVATION not in feedback_moves(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("da", "I går på mødet virkede du frustreret."),
        ("en", "Yesterday in the meeting you seemed frustrated."),
    ],
)
def test_an_observation_that_names_a_feeling_stays_a_complex_reflection(
    lang: str, text: str
) -> None:
    assert classify_unit(text, lang) == "reflection_complex"
    assert OBSERVATION in feedback_moves(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("da", "Det lyder som om du har båret det alene."),
        ("da", "Du har båret det hele."),
        ("da", "Du har stået med det helt selv."),
        ("da", "Du har haft det på dine skuldre."),
        ("da", "Du står med ansvaret."),
        ("en", "It sounds like you've carried it alone."),
        ("en", "You've carried this on your own."),
        ("en", "You were left holding the project."),
    ],
)
def test_carrying_it_alone_is_a_complex_reflection(lang: str, text: str) -> None:
    assert classify_unit(text, lang) == "reflection_complex"
