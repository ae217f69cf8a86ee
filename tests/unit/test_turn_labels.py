"""Q&A answer labels, the stored records and the chips that show them (issue #18)."""

from __future__ import annotations

import pytest

from assistant.openness import timeline
from assistant.turn_labels import answer_record
from assistant.ui.turn_chips import chip_last_user_line, chips_html, openness_chart_html

MESSAGE = "# Moving support to a shared on-call rota\nThe rota cuts response times and burnout."


@pytest.mark.parametrize(
    ("lang", "answer", "question", "expected"),
    [
        (
            "en",
            "Yes, it costs two hours a week. That's exactly why the rota cuts burnout.",
            "Does the rota cost us time?",
            ["direct", "bridged"],
        ),
        (
            "en",
            "I don't know the exact figure. I'll get back to you with it by Friday.",
            "What does it cost?",
            ["direct", "admitted_not_knowing"],
        ),
        (
            "da",
            "Ja, det koster to timer om ugen. Pointen er at vagtplanen mindsker presset.",
            "Koster vagtplanen os tid?",
            ["direct", "bridged"],
        ),
        (
            "da",
            "Det ved jeg ikke præcist. Jeg vender tilbage med tallet på fredag.",
            "Hvad koster det?",
            ["direct", "admitted_not_knowing"],
        ),
        (
            "en",
            "Great question. Let me give you some background on how support works.",
            "Does the rota cost us time?",
            ["not_direct"],
        ),
    ],
)
def test_answer_labels(lang: str, answer: str, question: str, expected: list[str]) -> None:
    record = answer_record(answer, question, MESSAGE, lang)
    assert record["labels"] == expected
    assert record["words"] > 0 and record["seconds"] >= 0
    assert (record["tip"] is None) == ("direct" in expected)


def test_last_sentence_sharing_the_message_counts_as_a_bridge() -> None:
    answer = "No. It keeps response times low and avoids burnout on the rota."
    assert "bridged" in answer_record(answer, "Is it expensive?", MESSAGE, "en")["labels"]


def test_chips_are_escaped_translated_and_carry_the_tip() -> None:
    record = {"labels": ["open_question", "blame"], "tip": "live_tip_blame"}
    en, da = chips_html(record, "en"), chips_html(record, "da")
    assert "chip-open_question" in en and "turn-chip-good" in en
    assert "turn-chip-watch" in en and "without 'always' or 'never'" in en
    assert "bebrejdelse" in da and "åbent spørgsmål" in da
    meter = chips_html({"labels": [], "openness": {"after": 7}}, "en", meter=True)
    assert "openness 7/10" in meter
    assert "openness" not in chips_html({"labels": [], "openness": {"after": 7}}, "en")
    chat = [{"role": "user", "content": "a <b>"}, {"role": "assistant", "content": "b"}]
    marked = chip_last_user_line(chat, record, "en")
    assert marked[0]["content"].startswith('a <b>\n\n<div class="turn-chips">')
    assert marked[1] == chat[1] and chat[0]["content"] == "a <b>"


def test_the_openness_chart_names_the_lines_that_moved_it_most() -> None:
    lines = ["You always deliver late.", "It sounds like the priorities keep shifting under you."]
    html = openness_chart_html(timeline(lines, "en", "realistic"), "Daniel", "en")
    assert "<polyline" in html and html.count("<circle") == 3
    assert "Daniel opened up after: 'It sounds like the priorities" in html
    assert "Daniel closed down after: 'You always deliver late.'" in html
    empty = openness_chart_html([], "Daniel", "da")
    assert "Ingen replikker endnu" in empty and "<svg" not in empty
