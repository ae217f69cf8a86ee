"""The offline session-question generator: determinism, coverage, timing, tags, matching."""

from __future__ import annotations

import itertools
import re

import pytest

from assistant.config import PROJECT_ROOT
from assistant.errors import CoachError
from assistant.planner import (
    PLAN_STAGES,
    RELATIONSHIPS,
    QuestionBank,
    SessionPlan,
    build_plan,
    load_question_bank,
    plan_file_name,
    plan_to_dict,
    plan_to_markdown,
    stage_minutes,
    stem,
)

TOPICS = {
    "en": "Giving feedback to a colleague who keeps missing deadlines",
    "da": "Feedback til en kollega, der bliver ved med at overskride deadlines",
}


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_question_bank(PROJECT_ROOT / "knowledge")


def texts(plan: SessionPlan, stage: str | None = None) -> list[str]:
    return [q.text for q in plan.questions if stage is None or q.stage == stage]


def test_same_input_gives_the_identical_plan(bank):
    first = build_plan(TOPICS["en"], "en", "peers", 30, bank)
    again = build_plan(
        TOPICS["en"], "en", "peers", 30, load_question_bank(PROJECT_ROOT / "knowledge")
    )
    assert first == again
    assert plan_to_markdown(first) == plan_to_markdown(again)
    assert plan_to_dict(first) == plan_to_dict(again)


@pytest.mark.parametrize(
    ("lang", "relationship", "minutes"),
    list(itertools.product(("en", "da"), RELATIONSHIPS, (15, 30, 60))),
)
def test_every_stage_has_two_to_five_tagged_questions_and_timing_adds_up(
    bank, lang, relationship, minutes
):
    plan = build_plan(TOPICS[lang], lang, relationship, minutes, bank)
    assert [stage.id for stage in plan.stages] == list(PLAN_STAGES)
    assert sum(stage.minutes for stage in plan.stages) == minutes
    bank_texts = {q.text: q for q in bank.questions[lang]}
    seen: set[str] = set()
    for stage in plan.stages:
        assert stage.minutes >= 1
        assert stage.name
        assert 2 <= len(stage.questions) <= 5, (stage.id, len(stage.questions))
        for question in stage.questions:
            assert question.stage == stage.id
            assert question.strategy in bank.strategies
            assert question.text in bank_texts  # offline: the bank's own words
            source = bank_texts[question.text]
            assert not source.relationships or relationship in source.relationships
            assert question.id not in seen
            seen.add(question.id)
    # Longer sessions get more questions.
    if minutes == 60:
        shorter = build_plan(TOPICS[lang], lang, relationship, 15, bank)
        assert len(plan.questions) > len(shorter.questions)


def test_bank_stages_map_onto_plan_stages(bank):
    plan = build_plan("", "en", "peers", 60, bank)
    by_text = {q.text: q for q in bank.questions["en"]}
    for question in plan.questions:
        origin = by_text[question.text].stage
        if question.stage == "close":
            assert origin == "reflection"
        elif question.stage == "exploration":
            assert origin in ("exploration", "reflection")
        else:
            assert origin == question.stage


def test_timing_follows_the_session_flow_shares():
    shares = [0.10, 0.10, 0.25, 0.15, 0.10, 0.10, 0.15, 0.05]
    assert stage_minutes(30, shares) == [3, 3, 8, 5, 3, 3, 4, 1]
    assert stage_minutes(60, shares) == [6, 6, 15, 9, 6, 6, 9, 3]
    for minutes in range(10, 181):
        split = stage_minutes(minutes, shares)
        assert sum(split) == minutes
        assert min(split) >= 1


def test_topic_words_change_the_selection(bank):
    feedback = build_plan("Giving feedback to a colleague", "en", "peers", 30, bank)
    presentation = build_plan("Rehearsing my presentation to the board", "en", "peers", 30, bank)
    assert texts(feedback) != texts(presentation)
    assert any("presentation" in text for text in texts(presentation))
    assert not any("presentation" in text for text in texts(feedback))
    assert "How could you open the feedback conversation with your colleague?" in texts(
        feedback, "options"
    )


def test_danish_topic_words_match_with_light_stemming(bank):
    plan = build_plan("Mine teammøder kører af sporet", "da", "new-leader", 30, bank)
    # "teammøder" matches the bank topic "møde" (compound head, plural stripped).
    assert "Hvilken enkelt ting ville du ændre, hvis du kunne spole mødet tilbage?" in texts(plan)
    assert stem("møderne", "da") == stem("møde", "da")
    assert stem("meetings", "en") == stem("meeting", "en")


def test_relationship_filter_and_preference(bank):
    for relationship in RELATIONSHIPS:
        plan = build_plan("", "en", relationship, 60, bank)
        chosen = {q.text for q in plan.questions}
        others = {
            q.text
            for q in bank.questions["en"]
            if q.relationships and relationship not in q.relationships
        }
        assert not chosen & others, relationship
    leader = build_plan("", "en", "new-leader", 30, bank)
    assert (
        "On a scale from 1 to 10, how confident do you feel in your new role this week?"
        in texts(leader, "check-in")
    )
    peers = build_plan("", "en", "peers", 30, bank)
    assert "How would you like us to split today's time between your topic and mine?" in texts(
        peers, "check-in"
    )


def test_roleplay_suggested_for_hard_conversations_only(bank):
    feedback = build_plan(TOPICS["en"], "en", "peers", 30, bank)
    assert feedback.roleplay is not None
    assert feedback.roleplay.scenario_id == "missed-deadlines"
    talk = build_plan("Jeg skal holde en præsentation for direktionen", "da", "peers", 30, bank)
    assert talk.roleplay is not None
    assert talk.roleplay.scenario_id.startswith("qa-")
    assert build_plan("Planning my learning goals", "en", "peers", 30, bank).roleplay is None


def test_markdown_is_print_friendly_with_stage_minutes_and_tags(bank):
    plan = build_plan(TOPICS["da"], "da", "cross-team", 15, bank)
    markdown = plan_to_markdown(plan)
    assert markdown.startswith(f"# Sessionsplan: {TOPICS['da']}\n")
    headings = re.findall(r"^## \d\. (.+) \((\d+) min\.\)$", markdown, flags=re.MULTILINE)
    assert [int(m) for _, m in headings] == [s.minutes for s in plan.stages]
    assert headings[6][0] == "Handlingsplan"
    for question in plan.questions:
        assert f"{question.text} *[{question.stage} · {question.strategy}]*" in markdown
    assert "<" not in markdown  # plain Markdown, no HTML
    assert plan_file_name(plan).startswith("session-plan-feedback-til-en-kollega")


def test_json_shape(bank):
    data = plan_to_dict(build_plan(TOPICS["en"], "en", "new-leader", 60, bank))
    assert data["source"] == "question-bank"
    assert data["minutes"] == 60
    assert [s["id"] for s in data["stages"]] == list(PLAN_STAGES)
    question = data["stages"][0]["questions"][0]
    assert set(question) == {"id", "text", "stage", "strategy"}
    assert data["roleplay"]["scenario"] == "missed-deadlines"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"minutes": 5}, "plan_minutes"),
        ({"relationship": "boss"}, "plan_relationship"),
        ({"topic": "x" * 501}, "plan_topic_too_long"),
    ],
)
def test_invalid_input_is_a_bilingual_error(bank, kwargs, code):
    args = {"topic": "Feedback", "lang": "en", "relationship": "peers", "minutes": 30} | kwargs
    with pytest.raises(CoachError) as caught:
        build_plan(bank=bank, **args)
    assert caught.value.code == code
    assert caught.value.da and caught.value.en != caught.value.da
