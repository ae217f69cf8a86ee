"""Practice: the model plays a coachee; the person's lines are labelled live and counted at
the end (scripted chat model, no sockets)."""

import pytest

from assistant.config import Settings
from assistant.knowledge import Library
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.practice import PRACTICE, badge, practice_mode, save_scores, skill_report
from assistant.modes.rehearse import Rehearse
from assistant.prompts import PromptLibrary
from assistant.scenarios import ScenarioBook
from assistant.ui.practice_tab import badge_html, report_html


@pytest.fixture
def practice(model, store, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    conversation = Conversation(
        chat_model=model, store=store, budget=Budget(num_ctx=8192), host="h", model="m"
    )
    rehearse = Rehearse(
        conversation=conversation,
        prompts=PromptLibrary(settings.prompts_dir),
        scenarios=ScenarioBook(Library.open(settings), store),
    )
    return practice_mode(rehearse)


def test_practice_sessions_play_a_coachee_and_are_stored_as_practice(practice, store):
    session = practice.start(store.user_id(), "en", {"scenario": "cant-delegate"})
    assert session.mode == PRACTICE
    prompt = session.system_prompt
    assert "your peer coach" in prompt  # the coachee prompt, with when to open up and close down
    assert "You open up when" in prompt and "You close down when" in prompt


def test_live_badge_labels_each_unit_and_tips_closed_questions_and_advice():
    closed = badge("Did you talk to him?", "en")
    assert [u.label for u in closed.units] == ["closed_question"]
    assert closed.tip and "What" in closed.tip
    opened = badge("What would help you most right now?", "en")
    assert [u.label for u in opened.units] == ["open_question"] and opened.tip is None
    advice = badge("Du burde uddelegere mere.", "da")
    assert advice.units[0].label == "advice" and advice.tip and "overvejet" in advice.tip
    assert "Closed questions" in badge_html(closed, "en")


def test_counts_use_the_persons_lines_and_the_coachees_words(practice, store, model):
    session = practice.start(store.user_id(), "en", {"scenario": "cant-delegate"})
    model.enqueue(
        "I just can't let go of the reports.",
        "Exactly. What should I do?",
        "Maybe. I could try that.",
    )
    for line in [
        "What makes letting go hard for you?",
        "So you feel responsible for everything that leaves your team.",
        "You could hand the weekly report to Anna.",
    ]:
        list(practice.respond(session, line))
    report = skill_report(store, session)
    counts = report.counts
    assert counts.open_question == 1
    assert counts.reflection_simple + counts.reflection_complex == 1
    assert counts.advice == 0 and counts.requested_advice == 1  # the coachee asked for it
    assert counts.other_party_words > 10 and 0 < counts.talk_share < 1
    assert [u.line for u in report.units] == [1, 2, 3]
    save_scores(store, session, report)
    stored = store.session(store.user_id(), session.id).options["skills"]
    assert stored["counts"]["open_question"] == 1
    assert stored["metrics"]["reflection_to_question_ratio"] == 1.0


def test_an_empty_session_reports_without_ratios(practice, store):
    session = practice.start(store.user_id(), "da", {"scenario": "cant-delegate"})
    report = skill_report(store, session)
    assert report.counts.units == 0 and report.counts.reflection_to_question_ratio is None
    html = report_html(report, "da")
    assert "Refleksioner pr. spørgsmål" in html and "–" in html


def test_report_lists_the_lines_behind_each_count_escaped(practice, store, model):
    session = practice.start(store.user_id(), "en", {"scenario": "cant-delegate"})
    list(practice.respond(session, "What does <b>success</b> look like?"))
    html = report_html(skill_report(store, session), "en")
    assert "<details>" in html and "&lt;b&gt;success&lt;/b&gt;" in html
    assert "<b>success</b>" not in html
