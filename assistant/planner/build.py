"""Building the plan offline: input checks, stage timing, question picking and the role-play
suggestion."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.errors import CoachError
from assistant.planner.bank import BankQuestion, QuestionBank, ScenarioRef
from assistant.planner.plan import (
    _LABELS,
    LANGS,
    MAX_MINUTES,
    MAX_TOPIC_CHARS,
    MIN_MINUTES,
    PLAN_STAGES,
    RELATIONSHIPS,
    PlanQuestion,
    PlanStage,
    RolePlay,
    SessionPlan,
)
from assistant.planner.words import _matches, _stems, _word_list, stem

# Where each plan stage finds its questions: the bank's own stage first; reflection questions
# close the session, and help the exploration only when they are about the topic.
_PRIMARY = {stage: stage for stage in PLAN_STAGES} | {"close": "reflection"}
_SECONDARY = {"exploration": "reflection"}

# Bank topics that the relationship itself implies (a new leader's questions about leadership
# fit any topic of theirs), and that a bank stage implies (feedback questions are about feedback).
_IMPLIED_TOPICS = {
    "new-leader": {"leadership", "ledelse", "onboarding"},
    "cross-team": {"cross-training", "krydstræning"},
}
_STAGE_TOPICS = {"feedback": {"feedback"}}

# Stages whose purpose some bank questions serve better than others: accountability here looks
# ahead (how progress will be followed up), the close looks back on today's conversation. Such
# questions are picked first; topic and relationship only order them.
_PREFERRED: dict[str, dict[str, tuple[str, ...]]] = {
    "accountability": {
        "en": ("next time", "until we meet", "check in", "adjust"),
        "da": ("næste gang", "til vi ses", "følge op", "justere"),
    },
    "close": {"en": ("today",), "da": ("i dag",)},
}

# Scoring weights; see docs/plan.md.
_W_TOPIC, _W_IMPLIED, _W_TEXT, _W_RELATIONSHIP = 3, 1, 1, 1
_P_OFF_TOPIC, _P_SECONDARY = 2, 1


def check_plan_input(topic: str, lang: str, relationship: str, minutes: int) -> str:
    """Validate the plan's input; returns the topic on one line.

    Raises:
        CoachError: an unknown language or relationship, a length out of range, or a topic
            that is too long.
    """
    if lang not in LANGS:
        raise CoachError(
            "plan_lang", f"Unknown language '{lang}'; use en or da.", f"Ukendt sprog '{lang}'."
        )
    if relationship not in RELATIONSHIPS:
        choices = ", ".join(RELATIONSHIPS)
        raise CoachError(
            "plan_relationship",
            f"Unknown relationship '{relationship}'; choose one of {choices}.",
            f"Ukendt relation '{relationship}'; vælg en af {choices}.",
        )
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise CoachError(
            "plan_minutes",
            f"A session must last {MIN_MINUTES}-{MAX_MINUTES} minutes (got {minutes}).",
            f"En session skal vare {MIN_MINUTES}-{MAX_MINUTES} minutter (ikke {minutes}).",
        )
    line = " ".join(topic.split())
    if len(line) > MAX_TOPIC_CHARS:
        raise CoachError(
            "plan_topic_too_long",
            f"The topic has {len(line)} characters; keep it under {MAX_TOPIC_CHARS}. "
            "A sentence or two is enough.",
            f"Emnet har {len(line)} tegn; hold det under {MAX_TOPIC_CHARS}. "
            "En sætning eller to er nok.",
        )
    return line


def stage_minutes(minutes: int, shares: Sequence[float]) -> list[int]:
    """Whole minutes per stage that sum exactly to ``minutes`` (largest remainder, ties by
    stage order), with at least one minute per stage."""
    total = sum(shares) or 1.0
    exact = [minutes * share / total for share in shares]
    whole = [math.floor(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: minutes - sum(whole)]:
        whole[i] += 1
    for i, value in enumerate(whole):
        if value == 0:
            donor = max(range(len(whole)), key=lambda j: (whole[j], -j))
            whole[donor] -= 1
            whole[i] = 1
    return whole


def questions_for(minutes: int) -> int:
    """How many questions a stage of this many minutes gets: about one per two minutes, 2-5."""
    return min(5, max(2, math.ceil(minutes / 2)))


@dataclass(frozen=True)
class _TopicWords:
    stems: tuple[str, ...]
    implied: frozenset[str]


def _score(
    question: BankQuestion, words: _TopicWords, relationship: str, lang: str
) -> tuple[int, bool]:
    """The question's fit to the topic and relationship, and whether one of its topics matched."""
    topic_stems = {t: _stems(t, lang) for t in question.topics}
    matched = [t for t, parts in topic_stems.items() if parts and _matches(words.stems, parts)]
    given = words.implied | _STAGE_TOPICS.get(question.stage, set())
    implied = [t for t in question.topics if t in given and t not in matched]
    text_hits = _matches(words.stems, _stems(question.text, lang))
    score = _W_TOPIC * len(matched) + _W_IMPLIED * len(implied) + _W_TEXT * len(text_hits)
    if relationship in question.relationships:
        score += _W_RELATIONSHIP
    if not matched and set(question.topics) - set(implied):
        score -= _P_OFF_TOPIC  # a question written for another topic reads oddly here
    return score, bool(matched)


def build_plan(
    topic: str, lang: str, relationship: str, minutes: int, bank: QuestionBank
) -> SessionPlan:
    """The offline plan: bank questions picked by stage, topic words and relationship.

    Deterministic: the same input always gives the same plan (ties go to bank order).

    Raises:
        CoachError: invalid input (see :func:`check_plan_input`).
    """
    topic = check_plan_input(topic, lang, relationship, minutes)
    words = _TopicWords(
        stems=tuple(_stems(topic, lang)), implied=frozenset(_IMPLIED_TOPICS.get(relationship, ()))
    )
    fitting = [
        q for q in bank.questions[lang] if not q.relationships or relationship in q.relationships
    ]
    scores = {q.index: _score(q, words, relationship, lang) for q in fitting}
    specs = bank.stages[lang]
    timing = stage_minutes(minutes, [s.share for s in specs])
    used: set[int] = set()
    stages: list[PlanStage] = []
    for spec, stage_time in zip(specs, timing, strict=True):
        markers = _PREFERRED.get(spec.id, {}).get(lang, ())
        ranked: list[tuple[bool, int, int, BankQuestion]] = []
        for q in fitting:
            score, topical = scores[q.index]
            preferred = any(m in q.text.lower() for m in markers)
            if q.index in used:
                continue
            if q.stage == _PRIMARY[spec.id]:
                ranked.append((not preferred, -score, q.index, q))
            elif q.stage == _SECONDARY.get(spec.id) and topical:
                ranked.append((not preferred, -(score - _P_SECONDARY), q.index, q))
        ranked.sort(key=lambda item: item[:3])
        # Within a stage: the stage's own questions first, then borrowed ones, in bank order.
        own = _PRIMARY[spec.id]
        picked = [item[3] for item in ranked[: questions_for(stage_time)]]
        chosen = sorted(picked, key=lambda q: (q.stage != own, q.index))
        used.update(q.index for q in chosen)
        stages.append(
            PlanStage(
                id=spec.id,
                name=spec.name,
                minutes=stage_time,
                questions=tuple(
                    PlanQuestion(f"{spec.id}-{n}", q.text, spec.id, q.strategy, q.index)
                    for n, q in enumerate(chosen, start=1)
                ),
            )
        )
    return SessionPlan(
        topic=topic,
        lang=lang,
        relationship=relationship,
        minutes=minutes,
        stages=tuple(stages),
        roleplay=suggest_roleplay(topic, lang, bank),
    )


# Words that make a role-play worth suggesting, per kind of conversation, and the scenario
# categories (and default scenario) that fit each kind.
_ROLEPLAY_KINDS: tuple[tuple[str, dict[str, tuple[str, ...]], tuple[str, ...], str], ...] = (
    (
        "presentation",
        {
            "en": ("presentation", "present", "audience", "pitch", "keynote", "q&a", "slides"),
            "da": ("præsentation", "præsentere", "oplæg", "publikum", "spørgerunde", "pitch"),
        },
        ("presentation-qa",),
        "qa-sceptical-executive",
    ),
    (
        "feedback",
        {
            "en": ("feedback", "criticism", "criticise", "criticize", "sbi"),
            "da": ("feedback", "kritik", "tilbagemelding", "sbi"),
        },
        ("feedback", "upward"),
        "missed-deadlines",
    ),
    (
        "conversation",
        {
            "en": _word_list(
                "conversation talk difficult hard tough conflict confront complaint customer "
                "negotiate boss refuse"
            ),
            "da": _word_list(
                "samtale svær svært vanskelig konflikt konfrontere klage kunde forhandle "
                "chef afvise"
            ),
        },
        (),
        "missed-deadlines",
    ),
)


def _is_trigger(word: str, trigger: str, lang: str) -> bool:
    """Stricter than topic matching (no short prefixes), so 'hardware' does not mean 'hard'."""
    if word == trigger:
        return True
    if min(len(word), len(trigger)) >= 6 and (word.startswith(trigger) or trigger.startswith(word)):
        return True
    # A Danish compound ends in its main word: medarbejdersamtale, kundeklage.
    return lang == "da" and len(trigger) >= 4 and word.endswith(trigger)


def _scenario_fit(
    scenario: ScenarioRef, stems: Sequence[str], lang: str, default: str
) -> tuple[int, int]:
    """How well a scenario fits the topic: tag words count double, title words once; among
    equals the kind's default scenario wins (then the first by id, as max keeps the first)."""
    tag_words = {p for tag in scenario.tags for p in _stems(tag.replace("-", " "), lang)}
    score = 2 * len(_matches(stems, tag_words))
    score += len(_matches(stems, set(_stems(scenario.title, lang))))
    return score, 1 if scenario.id == default else 0


def suggest_roleplay(topic: str, lang: str, bank: QuestionBank) -> RolePlay | None:
    """A built-in scenario for rehearsing, when the topic sounds like a hard conversation,
    feedback or a presentation; None otherwise."""
    lowered = topic.lower()
    stems = _stems(topic, lang)
    scenarios = [s for s in bank.scenarios.get(lang, ()) if s.role in ("counterpart", "")]
    for _kind, triggers, categories, default in _ROLEPLAY_KINDS:
        words = triggers.get(lang, ())
        hit = any(w in lowered for w in words if not w.isalpha()) or any(
            _is_trigger(s, stem(w, lang), lang) for s in stems for w in words if w.isalpha()
        )
        if not hit:
            continue
        pool = [s for s in scenarios if not categories or s.category in categories]
        if not pool:
            continue

        best = max(pool, key=lambda s: _scenario_fit(s, stems, lang, default))
        if _scenario_fit(best, stems, lang, default)[0] == 0:
            best = next((s for s in pool if s.id == default), best)
        text = _LABELS[lang]["roleplay_text"].format(title=best.title, id=best.id)
        return RolePlay(scenario_id=best.id, title=best.title, text=text)
    return None
