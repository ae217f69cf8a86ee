"""Learn from a real conversation: the parser, every refusal in both languages, the labels
and counts of your lines, the computed debrief and the words handed to the scenario builder."""

from __future__ import annotations

import pytest

from assistant.analysis import (
    TranscriptError,
    analyse_conversation,
    conversation_debrief,
    parse_transcript,
    read_transcript_file,
    scenario_words,
)
from assistant.analysis.transcript import SIZE_FACTOR, parse_lines
from assistant.i18n import t
from assistant.scenario_builder import MAX_DESCRIPTION_CHARS, describe
from assistant.skills import count_skills

LIMIT = 8000  # Settings.max_message_chars by default

EN = """# Notes from Tuesday
[10:02] Anna: How did the launch go from your side?
Ben: Honestly it was a rush. I felt nobody listened when I said the date was too early.
**Anna:** It sounds like you felt left alone with a deadline you did not believe in.
Ben: Yes. And then the bug reports came in
and I had to fix them at night.
- Anna: Did you tell your manager?
Ben: No. What should I do?
Anna: You should talk to her on Monday.
"""

DA = """Mette: Hvordan har du det med den nye plan?
Jonas: Ærligt talt er jeg bekymret for, at vi ikke når det hele inden jul.
Mette: Det lyder som om, du bærer meget af ansvaret alene.
Jonas: Ja, det gør jeg. Ingen andre har overblikket.
Mette: Har du talt med din leder om det?
"""


def test_speaker_lines_in_the_usual_formats():
    transcript = parse_transcript(EN, "en", LIMIT)
    assert transcript.speakers == ["Anna", "Ben"]
    assert [line.speaker for line in transcript.lines] == ["Anna", "Ben"] * 3 + ["Anna"]
    # Markdown bold, a list bullet and a time stamp are not part of the name or the text.
    assert transcript.lines[2].text.startswith("It sounds like you felt")
    assert transcript.lines[4].text == "Did you tell your manager?"
    # A line without a speaker continues the one above; the heading is left out.
    assert transcript.lines[3].text == (
        "Yes. And then the bug reports came in and I had to fix them at night."
    )
    assert transcript.speaker_named(" anna ") == "Anna"
    assert transcript.others("Anna") == ["Ben"]


def test_a_colon_in_a_url_or_a_long_phrase_is_not_a_speaker():
    lines = parse_lines(
        "Anna: See https://example.com/page for the plan.\n"
        "https://example.com: is not a name\n"
        "This sentence is far too long to be anybody's name: really\n"
        "Ben (team lead): Fine."
    )
    assert [line.speaker for line in lines] == ["Anna", "Ben (team lead)"]
    assert lines[0].text == (
        "See https://example.com/page for the plan. https://example.com: is not a name "
        "This sentence is far too long to be anybody's name: really"
    )


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("  \n\t \n", "empty"),
        ("x" * (LIMIT * SIZE_FACTOR + 1), "huge"),
        ("Anna: hello\x00\x01\x02 there\nBen: hi", "binary"),
        ("just some notes\nwithout any speaker names\n", "no_speakers"),
        ("Anna: one thing\nAnna: and another\n", "one_speaker"),
    ],
)
def test_each_bad_input_gets_its_own_message_in_both_languages(text, code, lang):
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(text, lang, LIMIT)
    error = caught.value
    assert error.code == code
    assert error.message("en") != error.message("da")
    assert error.message("en") and error.message("da")
    expected = {"huge": {"chars": len(text), "limit": LIMIT * SIZE_FACTOR}}.get(code, {})
    if code == "one_speaker":
        expected = {"speaker": "Anna"}
    assert error.message(lang) == t(lang, f"analyse_error_{code}", **expected)


def test_the_limit_is_the_message_limit_times_twenty():
    limit = 100
    text = "Anna: How are you?\nBen: Fine, thanks, and you?\n"
    text += " " * (limit * SIZE_FACTOR - len(text))
    assert parse_transcript(text, "en", limit).speakers == ["Anna", "Ben"]
    with pytest.raises(TranscriptError, match="2001 characters; the limit is 2000"):
        parse_transcript(text + "x", "en", limit)


@pytest.mark.parametrize(
    ("text", "lang", "code"), [(DA, "en", "language_en"), (EN, "da", "language_da")]
)
def test_a_conversation_in_the_other_language_is_refused(text, lang, code):
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(text, lang, LIMIT)
    assert caught.value.code == code
    switch_to = "Dansk" if lang == "en" else "English"
    assert switch_to in caught.value.message("en") and switch_to in caught.value.message("da")


def test_an_unknown_speaker_names_the_ones_there_are():
    transcript = parse_transcript(EN, "en", LIMIT)
    with pytest.raises(TranscriptError) as caught:
        analyse_conversation(transcript, "Carla")
    assert caught.value.code == "unknown_speaker"
    assert "Anna, Ben" in caught.value.message("en")
    assert "Anna, Ben" in caught.value.message("da")


def test_your_lines_are_labelled_and_counted_like_practice():
    analysis = analyse_conversation(parse_transcript(EN, "en", LIMIT), "Anna")
    mine = [line for line in analysis.lines if line.mine]
    assert [line.labels for line in mine] == [
        ["open_question"],
        ["reflection_complex"],
        ["closed_question"],
        ["requested_advice"],
    ]
    assert all(not line.labels for line in analysis.lines if not line.mine)
    counts = analysis.counts
    # "What should I do?" came just before the advice: it counts as advice asked for.
    assert (counts.open_question, counts.closed_question, counts.reflection_complex) == (1, 1, 1)
    assert (counts.advice, counts.requested_advice) == (0, 1)
    ben_words = sum(len(line.text.split()) for line in analysis.lines if not line.mine)
    assert counts.other_party_words == ben_words
    same = count_skills(
        [line.text for line in mine],
        "en",
        other_party_words=ben_words,
        advice_requested=[False, False, False, True],
    )
    assert counts == same
    assert counts.miti_level()["reflection_to_question_ratio"] == "below fair"
    assert "0.5:1" in analysis.verdict


def test_the_other_speaker_seen_as_you_is_counted_instead():
    analysis = analyse_conversation(parse_transcript(EN, "en", LIMIT), "ben")
    assert analysis.me == "Ben" and analysis.others == ["Anna"]
    assert sum(1 for line in analysis.lines if line.mine) == 3
    assert analysis.counts.open_question == 1  # "What should I do?"


def test_danish_conversation_is_counted_in_danish():
    analysis = analyse_conversation(parse_transcript(DA, "da", LIMIT), "Mette")
    assert analysis.lang == "da"
    assert analysis.counts.open_question == 1
    assert analysis.counts.closed_question == 1
    assert analysis.counts.reflections == 1
    assert "refleksion" in analysis.verdict.lower()


def test_a_feedback_move_labeller_passed_in_labels_your_lines_only():
    asked: list[tuple[str, str]] = []

    def moves(text: str, lang: str) -> list[str]:
        asked.append((text, lang))
        return ["request"] if "should" in text else []

    analysis = analyse_conversation(parse_transcript(EN, "en", LIMIT), "Anna", moves)
    assert [text for text, _ in asked] == [line.text for line in analysis.lines if line.mine]
    assert {lang for _, lang in asked} == {"en"}
    assert analysis.lines[-1].labels == ["requested_advice", "request"]
    assert analysis.moves == {"request": 1}
    assert analysis.to_dict()["moves"] == {"request": 1}


def test_the_json_shape_round_trips():
    analysis = analyse_conversation(parse_transcript(EN, "en", LIMIT), "Anna")
    data = analysis.to_dict()
    assert {"me", "lang", "counts", "lines", "verdict"} <= set(data)
    assert data["counts"]["open_question"] == 1
    assert data["lines"][0] == {
        "speaker": "Anna",
        "text": "How did the launch go from your side?",
        "labels": ["open_question"],
        "units": [
            {"line": 1, "text": "How did the launch go from your side?", "label": "open_question"}
        ],
        "asked_for_advice": False,
    }
    again = type(analysis).from_dict(data)
    assert again.counts == analysis.counts
    assert again.to_dict() == data


def test_the_debrief_quotes_your_lines_and_skips_advice_that_was_asked_for():
    debrief = conversation_debrief(analyse_conversation(parse_transcript(EN, "en", LIMIT), "Anna"))
    assert [q.label for q in debrief.strengths] == ["reflection_complex", "open_question"]
    assert debrief.strengths[0].text.startswith("It sounds like you felt left alone")
    # The advice was asked for, so the closed question is the line to try differently.
    assert debrief.growth is not None
    assert (debrief.growth.label, debrief.growth.text) == (
        "closed_question",
        "Did you tell your manager?",
    )
    assert debrief.tip == t("en", "practice_tip_closed_question")
    assert debrief.strategies == ["active-listening"]


def test_unasked_advice_is_the_first_thing_to_try_differently():
    text = "Kim: I am stuck with the rota.\nLea: You should just ask HR.\nKim: Hm, maybe."
    debrief = conversation_debrief(analyse_conversation(parse_transcript(text, "en", LIMIT), "Lea"))
    assert debrief.growth is not None and debrief.growth.label == "advice"
    assert debrief.strategies[0] == "questions-not-advice"
    assert debrief.tip == t("en", "practice_tip_advice")


def test_the_builder_words_make_the_other_speaker_the_counterpart():
    analysis = analyse_conversation(parse_transcript(EN, "en", LIMIT), "Anna")
    situation, counterpart = scenario_words(analysis)
    assert "Anna" in situation and "Ben" in situation
    assert "Anna: Did you tell your manager?" in situation
    assert counterpart.startswith("Ben, the other person")
    assert "- No. What should I do?" in counterpart
    assert "Did you tell your manager?" not in counterpart


def test_a_long_conversation_fits_the_builder_and_says_what_was_left_out():
    long = "".join(
        f"Anna: How did step {n} go for you?\nBen: Step {n} was slow, I was on my own.\n"
        for n in range(400)
    )
    analysis = analyse_conversation(parse_transcript(long, "en", LIMIT), "Anna")
    situation, counterpart = scenario_words(analysis)
    assert len(describe(situation, counterpart, "en")) <= MAX_DESCRIPTION_CHARS
    assert situation.endswith(t("en", "analyse_excerpt_more"))
    assert counterpart.endswith(t("en", "analyse_excerpt_more"))


def values(code: str, path) -> dict[str, object]:
    if code == "file_type":
        return {"name": path.name}
    if code == "huge":
        return {"chars": path.stat().st_size, "limit": LIMIT * SIZE_FACTOR}
    return {}


@pytest.mark.parametrize("lang", ["en", "da"])
def test_uploaded_files_are_checked_before_they_are_read(tmp_path, lang):
    good = tmp_path / "talk.md"
    good.write_bytes("\ufeffAnna: Hvordan går det?\nBen: Fint.".encode())
    assert read_transcript_file(good, LIMIT).startswith("Anna: Hvordan")
    cases = {
        "file_type": (tmp_path / "talk.pdf", b"%PDF-1.7 Anna: hi"),
        "binary": (tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"),
        "huge": (tmp_path / "big.txt", b"a" * (LIMIT * SIZE_FACTOR * 4 + 1)),
    }
    for code, (path, data) in cases.items():
        path.write_bytes(data)
        with pytest.raises(TranscriptError) as caught:
            read_transcript_file(path, LIMIT)
        assert caught.value.code == code
        assert caught.value.message(lang) == t(lang, f"analyse_error_{code}", **values(code, path))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Anna: Hvordan går det?\nBen: Fint.".encode("latin-1"))
    with pytest.raises(TranscriptError) as caught:
        read_transcript_file(latin1, LIMIT)
    assert caught.value.code == "binary"


def test_the_analyser_labels_your_lines_with_the_feedback_moves(tmp_path):
    """The page and the CLI get the feedback moves of issue #18 from the analyser's default."""
    from assistant.analysis.sessions import ConversationAnalyser
    from assistant.store import Store

    analyser = ConversationAnalyser(Store(tmp_path / "coach.sqlite3"), 8000)
    text = (
        "Anna: I noticed that the report came two days late in the last two sprints.\n"
        "Ben: Yes, the extract was late.\n"
        "Anna: You always leave it to the last minute.\n"
        "Ben: That is not fair."
    )
    analysis = analyser.analyse_only(analyser.parse(text, "en"), "Anna")
    assert analysis.moves.get("observation") == 1
    assert analysis.moves.get("blame") == 1 and analysis.moves.get("generalisation") == 1
