"""The answer metrics of the Q&A practice: words, speaking time and the directness rule."""

import pytest

from assistant.answer_metrics import answer_metrics, speaking_seconds

QUESTION_EN = "[§2] Where does the thirty percent time saving come from?"
QUESTION_DA = "[§1] Hvad koster piloten, og hvornår ved vi, om den virker?"


def test_words_and_seconds_at_140_wpm():
    metrics = answer_metrics("word " * 140, QUESTION_EN, "en")
    assert metrics.words == 140
    assert metrics.seconds == 60
    assert speaking_seconds(70) == 30
    assert (
        answer_metrics("It's from a two-week study.", QUESTION_EN, "en").words == 6
    )  # two-week: 2


@pytest.mark.parametrize(
    "answer",
    [
        "The time saving comes from a two-week study in Leeds. It is an estimate.",
        "Thirty percent is what we measured over two weeks.",
        "Yes, it is an estimate from a time study.",
        "I don't know yet; I'll send the source by Friday.",
        "30 % is the median of the study.",
    ],
)
def test_direct_english(answer):
    metrics = answer_metrics(answer, QUESTION_EN, "en")
    assert metrics.direct_first_sentence, metrics.reason


@pytest.mark.parametrize(
    "answer",
    [
        "That's a great question. The saving comes from a study.",
        "Let me give some context first. The saving comes from a study.",
        "Thanks for the question, the saving is from a study.",
        "We have worked on this for a long while. The saving is from a study.",
        "",
    ],
)
def test_indirect_english(answer):
    metrics = answer_metrics(answer, QUESTION_EN, "en")
    assert not metrics.direct_first_sentence
    assert metrics.reason


@pytest.mark.parametrize(
    "answer",
    [
        "Piloten koster 40.000 kroner og kører i tre måneder.",
        "Nej, vi kender ikke prisen endnu, men jeg har den fredag.",
        "Det ved jeg ikke endnu; jeg vender tilbage fredag.",
        "40.000 kroner for tre måneder.",
    ],
)
def test_direct_danish(answer):
    metrics = answer_metrics(answer, QUESTION_DA, "da")
    assert metrics.direct_first_sentence, metrics.reason


@pytest.mark.parametrize(
    "answer",
    [
        "Godt spørgsmål. Piloten koster 40.000 kroner.",
        "Lad mig starte med lidt baggrund. Piloten koster 40.000 kroner.",
        "Vi har arbejdet længe med det her i teamet. Piloten koster 40.000.",
    ],
)
def test_indirect_danish(answer):
    assert not answer_metrics(answer, QUESTION_DA, "da").direct_first_sentence


def test_metrics_as_dict():
    data = answer_metrics("Yes.", QUESTION_EN, "en").to_dict()
    assert set(data) == {"words", "seconds", "direct_first_sentence", "reason"}
