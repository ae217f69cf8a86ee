"""The session-question generator: a timed plan of coaching questions for one topic.

Offline, :func:`build_plan` picks and orders questions from the question bank by stage, topic
words and relationship, deterministically (no randomness, ties broken by bank order). With a
model, :func:`tailor_plan` asks for the same questions rephrased for the topic in one structured
request, checks that every question kept its id, stage and strategy, and falls back to the
offline plan (saying why) when the model fails. See docs/plan.md.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import CoachError
from assistant.knowledge.loader import Entry, load_entries
from assistant.llm import to_coach_error
from assistant.prompts import PromptLibrary

if TYPE_CHECKING:  # langchain's model layer is imported with the chat model (assistant.llm)
    from langchain_core.language_models import BaseChatModel

__all__ = [
    "MAX_MINUTES",
    "MAX_TOPIC_CHARS",
    "MIN_MINUTES",
    "PLAN_STAGES",
    "RELATIONSHIPS",
    "BankQuestion",
    "PlanQuestion",
    "PlanStage",
    "QuestionBank",
    "RolePlay",
    "SessionPlan",
    "TailoredPlan",
    "build_plan",
    "check_plan_input",
    "load_question_bank",
    "plan_file_name",
    "plan_to_dict",
    "plan_to_markdown",
    "relationship_label",
    "source_line",
    "stage_minutes",
    "stem",
    "suggest_roleplay",
    "tailor_plan",
]

PlanSource = Literal["question-bank", "model"]

PlanStageId = Literal[
    "check-in", "goal", "exploration", "options", "feedback", "accountability", "action", "close"
]
PLAN_STAGES: tuple[str, ...] = get_args(PlanStageId)
BANK_STAGES = (
    "check-in",
    "goal",
    "exploration",
    "options",
    "action",
    "reflection",
    "accountability",
    "feedback",
)
RELATIONSHIPS = ("peers", "new-leader", "cross-team")
LANGS = ("en", "da")
MIN_MINUTES, MAX_MINUTES = 10, 180
MAX_TOPIC_CHARS = 500
MAX_QUESTION_CHARS = 300

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

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Session plan",
        "relationship": "Relationship",
        "length": "Length",
        "minutes": "{n} min",
        "source_bank": "Questions picked from the Peer Coach question bank (no model).",
        "source_model": (
            "Questions from the Peer Coach question bank, tailored to the topic by {model}."
        ),
        "source_fallback": (
            "Questions picked from the Peer Coach question bank (the model could not tailor them)."
        ),
        "roleplay": "Role-play suggestion",
        "roleplay_text": (
            "Let the coachee rehearse the real conversation: you play the other person, then "
            "swap roles and let them hear how it lands. Peer Coach has a built-in scenario for "
            "this: “{title}” (`{id}`)."
        ),
        "footer": "The minutes follow the Peer Coach session flow; treat them as a guide.",
    },
    "da": {
        "title": "Sessionsplan",
        "relationship": "Relation",
        "length": "Længde",
        "minutes": "{n} min.",
        "source_bank": "Spørgsmålene er valgt fra Peer Coachs spørgsmålsbank (uden model).",
        "source_model": "Spørgsmål fra Peer Coachs spørgsmålsbank, tilpasset emnet af {model}.",
        "source_fallback": (
            "Spørgsmålene er valgt fra Peer Coachs spørgsmålsbank "
            "(modellen kunne ikke tilpasse dem)."
        ),
        "roleplay": "Forslag til rollespil",
        "roleplay_text": (
            "Lad fokuspersonen øve den rigtige samtale: du spiller den anden part, og så bytter "
            "I roller, så hun eller han kan høre, hvordan det lyder. Peer Coach har et indbygget "
            "scenarie til det: “{title}” (`{id}`)."
        ),
        "footer": "Minutterne følger Peer Coachs sessionsforløb; brug dem som en rettesnor.",
    },
}

_RELATIONSHIP_LABELS = {
    "en": {
        "peers": "Peers",
        "new-leader": "New leader with an experienced colleague",
        "cross-team": "Cross-team",
    },
    "da": {
        "peers": "Kolleger på samme niveau",
        "new-leader": "Ny leder med en erfaren kollega",
        "cross-team": "På tværs af teams",
    },
}


def relationship_label(relationship: str, lang: str) -> str:
    """How a relationship id is shown to the user in a language."""
    return _RELATIONSHIP_LABELS.get(lang, _RELATIONSHIP_LABELS["en"]).get(
        relationship, relationship
    )


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanQuestion:
    """One question of a plan, tagged with its plan stage and the strategy it draws on."""

    id: str
    text: str
    stage: str
    strategy: str
    bank_index: int


@dataclass(frozen=True)
class PlanStage:
    """One stage of the session: its name in the plan's language, minutes and questions."""

    id: str
    name: str
    minutes: int
    questions: tuple[PlanQuestion, ...]


@dataclass(frozen=True)
class RolePlay:
    """A built-in scenario in which the coachee can rehearse the conversation."""

    scenario_id: str
    title: str
    text: str


@dataclass(frozen=True)
class SessionPlan:
    """A timed session plan; ``source`` says whether a model tailored the questions."""

    topic: str
    lang: str
    relationship: str
    minutes: int
    stages: tuple[PlanStage, ...]
    roleplay: RolePlay | None = None
    source: PlanSource = "question-bank"
    model: str | None = None
    notice: CoachError | None = field(default=None, compare=False)

    @property
    def questions(self) -> list[PlanQuestion]:
        """Every question in plan order."""
        return [q for stage in self.stages for q in stage.questions]


# --------------------------------------------------------------------------------------------
# The question bank
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankQuestion:
    """One question of the question bank, with its position in the bank file."""

    index: int
    text: str
    stage: str
    strategy: str
    relationships: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageSpec:
    """One stage of the session flow: id, name in one language and share of the time."""

    id: str
    name: str
    share: float


@dataclass(frozen=True)
class ScenarioRef:
    """What the planner needs to know about a built-in scenario."""

    id: str
    title: str
    tags: tuple[str, ...]
    category: str
    role: str


@dataclass(frozen=True)
class QuestionBank:
    """Questions, session-flow stages and scenarios per language, from the knowledge library."""

    questions: Mapping[str, tuple[BankQuestion, ...]]
    stages: Mapping[str, tuple[StageSpec, ...]]
    scenarios: Mapping[str, tuple[ScenarioRef, ...]] = field(default_factory=dict)
    strategies: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> QuestionBank:
        """Collect the question bank, session flow, scenarios and strategy ids from entries.

        Raises:
            CoachError: a language lacks its question bank or session flow.
        """
        questions: dict[str, list[BankQuestion]] = {lang: [] for lang in LANGS}
        stages: dict[str, tuple[StageSpec, ...]] = {}
        scenarios: dict[str, list[ScenarioRef]] = {lang: [] for lang in LANGS}
        strategies: set[str] = set()
        for entry in entries:
            if entry.lang not in LANGS:
                continue
            meta = entry.front_matter
            if entry.kind == "question-bank":
                questions[entry.lang].extend(
                    _bank_questions(meta.get("questions"), start=len(questions[entry.lang]))
                )
            elif entry.kind == "session-flow" and entry.lang not in stages:
                specs = _stage_specs(meta.get("stages"))
                if specs:
                    stages[entry.lang] = specs
            elif entry.kind == "scenario":
                scenarios[entry.lang].append(
                    ScenarioRef(
                        id=entry.id,
                        title=entry.title,
                        tags=entry.tags,
                        category=str(meta.get("category") or ""),
                        role=str(meta.get("role") or ""),
                    )
                )
            elif entry.kind == "strategy":
                strategies.add(entry.id)
        for lang in LANGS:
            if not questions[lang] or lang not in stages:
                raise CoachError(
                    "plan_bank_missing",
                    f"The question bank or the session flow in '{lang}' is missing from the "
                    "knowledge library (knowledge/question-bank, knowledge/session-flow).",
                    f"Spørgsmålsbanken eller sessionsforløbet på '{lang}' mangler i "
                    "videnbiblioteket (knowledge/question-bank, knowledge/session-flow).",
                )
        return cls(
            questions={lang: tuple(qs) for lang, qs in questions.items()},
            stages=stages,
            scenarios={lang: tuple(sorted(s, key=lambda r: r.id)) for lang, s in scenarios.items()},
            strategies=frozenset(strategies),
        )


def load_question_bank(knowledge_dir: Path) -> QuestionBank:
    """Read the question bank, session flow, scenarios and strategies from a knowledge folder."""
    folders = ("question-bank", "session-flow", "scenarios", "strategies")
    entries, _ = load_entries([knowledge_dir / name for name in folders])
    return QuestionBank.from_entries(entries)


def _bank_questions(raw: Any, start: int) -> list[BankQuestion]:
    found: list[BankQuestion] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        text, stage, strategy = item.get("text"), item.get("stage"), item.get("strategy")
        if not (isinstance(text, str) and stage in BANK_STAGES and isinstance(strategy, str)):
            continue
        found.append(
            BankQuestion(
                index=start + len(found),
                text=" ".join(text.split()),
                stage=str(stage),
                strategy=strategy,
                relationships=tuple(str(r) for r in item.get("relationships") or ()),
                topics=tuple(str(t).lower() for t in item.get("topics") or ()),
            )
        )
    return found


def _stage_specs(raw: Any) -> tuple[StageSpec, ...]:
    specs = {
        str(item.get("id")): StageSpec(
            str(item.get("id")), str(item.get("name") or item.get("id")), float(item["share"])
        )
        for item in (
            {**s, "share": s.get("minutes_share")} for s in (raw or []) if isinstance(s, dict)
        )
        if isinstance(item.get("share"), int | float)
    }
    if set(specs) != set(PLAN_STAGES):
        return ()
    return tuple(specs[stage] for stage in PLAN_STAGES)


# --------------------------------------------------------------------------------------------
# Words: light stemming and forgiving matches
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _word_list(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_STOPWORDS = {
    "en": _word_set(
        "a an the and or but if of to in on at by for from with about into over after before "
        "as is are was were be been being am do does did done have has had having i me my "
        "mine we us our you your yours he him his she her it its they them their this that "
        "these those there here what which who whom whose how when where why not no so very "
        "can could would should will shall may might must just also than then too more most "
        "some any all each own same other such only one two get got make want need like "
        "really new today session time way thing things something"
    ),
    "da": _word_set(
        "en et den det de der og eller men hvis af til i på ved for fra med om ind over efter "
        "før som er var være været har havde have jeg mig min mit mine vi os vores du dig din "
        "dit dine han ham hans hun hendes den dens det dets de dem deres denne dette disse her "
        "der hvad hvilken hvilket hvilke hvem hvis hvordan hvornår hvor hvorfor ikke nej så "
        "meget kan kunne ville skulle vil skal må måtte bare også end da mere mest nogle noget "
        "nogen alle hver egen samme anden andet andre kun én to få fik gøre gør vil lige helt "
        "rigtig ny nye nyt dag session tid måde ting sig sin sit sine at"
    ),
}
_SUFFIXES = {
    "en": ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "ly", "s"),
    "da": _word_list(
        "ationer ationen ation eringer ering inger ingen heder erne ende else ing hed ene "
        "er en et e s"
    ),
}


def stem(word: str, lang: str) -> str:
    """A light stem: strip up to two common suffixes, keeping at least three letters."""
    word = word.lower()
    for _ in range(2):
        for suffix in _SUFFIXES.get(lang, _SUFFIXES["en"]):
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith("ss"):
                continue
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
        else:
            break
    return word


def content_words(text: str, lang: str) -> list[str]:
    """The text's lower-case words without stop words or words shorter than three letters."""
    stop = _STOPWORDS.get(lang, _STOPWORDS["en"])
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in stop]


def _stems(text: str, lang: str) -> list[str]:
    return list(dict.fromkeys(stem(w, lang) for w in content_words(text, lang)))


def _same_word(a: str, b: str) -> bool:
    """Stems match when equal, when one starts the other closely, or as a compound's head."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    common = len(shorter) if longer.startswith(shorter) else _common_prefix(a, b)
    if common >= max(4, math.ceil(0.8 * len(shorter))):
        return True
    # Danish (and some English) compounds end in the word they are about: teammøde, salgsmøde.
    return len(shorter) >= 3 and len(longer) - len(shorter) >= 3 and longer.endswith(shorter)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _matches(stems: Sequence[str], candidates: Iterable[str]) -> set[str]:
    """The candidate stems matched by any of ``stems``."""
    return {c for c in candidates if any(_same_word(s, c) for s in stems)}


# --------------------------------------------------------------------------------------------
# Building the plan offline
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Tailoring with a model
# --------------------------------------------------------------------------------------------


class TailoredQuestion(BaseModel):
    """One rephrased question as the model returns it."""

    id: str
    stage: PlanStageId
    strategy: str
    text: str = Field(min_length=3, max_length=MAX_QUESTION_CHARS)


class TailoredPlan(BaseModel):
    """The structured answer the model must give: every question, rephrased."""

    questions: list[TailoredQuestion]


class _Unusable(Exception):
    """The model's answer cannot be used; carries the problem in both languages."""

    def __init__(self, en: str, da: str) -> None:
        super().__init__(en)
        self.en, self.da = en, da

    def message(self, lang: str) -> str:
        return self.da if lang == "da" else self.en


def _reference(text: str) -> str:
    # Text from the user goes inside tags; it must not be able to close them.
    return text.replace("<", "‹").replace(">", "›")


def plan_messages(plan: SessionPlan, prompts: PromptLibrary) -> list[BaseMessage]:
    """The request that asks a model to rephrase the plan's questions for its topic."""
    questions = "\n".join(
        json.dumps(
            {"id": q.id, "stage": q.stage, "strategy": q.strategy, "text": q.text},
            ensure_ascii=False,
        )
        for q in plan.questions
    )
    system = prompts.render("plan", "tailor", plan.lang)
    request = prompts.render(
        "plan",
        "request",
        plan.lang,
        topic=_reference(plan.topic),
        relationship=relationship_label(plan.relationship, plan.lang),
        minutes=plan.minutes,
        questions=_reference(questions),
        count=len(plan.questions),
    )
    return [SystemMessage(system), HumanMessage(request)]


def _parse_tailored(raw: str, plan: SessionPlan) -> dict[str, str]:
    """The new text per question id, or :class:`_Unusable` saying what is wrong."""
    try:
        answer = TailoredPlan.model_validate_json(raw.strip())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "answer"
        raise _Unusable(
            f"the answer is not the requested JSON ({where}: {first.get('msg')})",
            f"svaret er ikke den ønskede JSON ({where}: {first.get('msg')})",
        ) from None
    wanted = {q.id: q for q in plan.questions}
    if len(answer.questions) != len(wanted):
        raise _Unusable(
            f"expected {len(wanted)} questions, got {len(answer.questions)}",
            f"der skulle være {len(wanted)} spørgsmål, men der var {len(answer.questions)}",
        )
    texts: dict[str, str] = {}
    for item in answer.questions:
        original = wanted.get(item.id)
        if original is None or item.id in texts:
            raise _Unusable(
                f"unknown or repeated question id '{item.id}'",
                f"ukendt eller gentaget spørgsmåls-id '{item.id}'",
            )
        if (item.stage, item.strategy) != (original.stage, original.strategy):
            raise _Unusable(
                f"question '{item.id}' must keep stage '{original.stage}' and strategy "
                f"'{original.strategy}'",
                f"spørgsmål '{item.id}' skal beholde fasen '{original.stage}' og strategien "
                f"'{original.strategy}'",
            )
        text = " ".join(item.text.split())
        if len(text) < 3:
            raise _Unusable(f"question '{item.id}' is empty", f"spørgsmål '{item.id}' er tomt")
        texts[item.id] = text
    return texts


def invalid_output_error() -> CoachError:
    """The notice when the model's answers could not be used."""
    return CoachError(
        "plan_model_output_invalid",
        "The model's answer did not keep the plan's questions, stages and strategies twice in a "
        "row, so these questions come straight from the question bank.",
        "Modellens svar bevarede ikke planens spørgsmål, faser og strategier to gange i træk, så "
        "spørgsmålene her kommer direkte fra spørgsmålsbanken.",
    )


def _fallback_notice(error: CoachError) -> CoachError:
    return CoachError(
        error.code,
        f"The model could not tailor the questions: {error.en}",
        f"Modellen kunne ikke tilpasse spørgsmålene: {error.da}",
    )


def tailor_plan(
    plan: SessionPlan,
    chat_model: BaseChatModel,
    prompts: PromptLibrary,
    *,
    host: str | None = None,
    model: str | None = None,
    attempts: int = 2,
) -> SessionPlan:
    """The plan with every question rephrased for its topic by the model, tags kept.

    One structured-output request (a JSON schema in Ollama's ``format``); an unusable answer is
    asked for once more with the problem named. When the model fails, the offline plan comes
    back unchanged with ``source="question-bank"`` and ``notice`` saying why. Never raises for
    model failures.
    """
    host = host or str(getattr(chat_model, "base_url", "") or "Ollama")
    model = model or str(getattr(chat_model, "model", "") or "the model")
    schema = TailoredPlan.model_json_schema()
    try:
        messages = plan_messages(plan, prompts)
        for attempt in range(attempts):
            try:
                reply = chat_model.invoke(messages, format=schema)
            except Exception as exc:  # every client failure becomes one CoachError
                raise to_coach_error(exc, host=host, model=model) from exc
            raw = reply.content if isinstance(reply.content, str) else str(reply.content)
            try:
                texts = _parse_tailored(raw, plan)
            except _Unusable as problem:
                if attempt + 1 >= attempts:
                    break
                reminder = prompts.render(
                    "plan",
                    "reminder",
                    plan.lang,
                    problem=problem.message(plan.lang),
                    count=len(plan.questions),
                )
                messages = [*messages, AIMessage(raw), HumanMessage(reminder)]
                continue
            return _with_texts(plan, texts, model)
        return replace(plan, source="question-bank", model=None, notice=invalid_output_error())
    except CoachError as error:
        return replace(plan, source="question-bank", model=None, notice=_fallback_notice(error))


def _with_texts(plan: SessionPlan, texts: Mapping[str, str], model: str) -> SessionPlan:
    stages = tuple(
        replace(stage, questions=tuple(replace(q, text=texts[q.id]) for q in stage.questions))
        for stage in plan.stages
    )
    return replace(plan, stages=stages, source="model", model=model, notice=None)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def source_line(plan: SessionPlan) -> str:
    """One sentence saying where the questions came from, in the plan's language."""
    labels = _LABELS[plan.lang]
    if plan.source == "model":
        return labels["source_model"].format(model=plan.model or "a model")
    return labels["source_fallback" if plan.notice is not None else "source_bank"]


def plan_to_markdown(plan: SessionPlan) -> str:
    """The plan as print-friendly Markdown: a heading per stage with its minutes, each
    question with its [stage · strategy] tag."""
    labels = _LABELS[plan.lang]
    minutes = labels["minutes"]
    lines = [
        f"# {labels['title']}: {plan.topic}" if plan.topic else f"# {labels['title']}",
        "",
        f"**{labels['relationship']}:** {relationship_label(plan.relationship, plan.lang)} · "
        f"**{labels['length']}:** {minutes.format(n=plan.minutes)}",
        "",
        f"*{source_line(plan)}*",
    ]
    for number, stage in enumerate(plan.stages, start=1):
        lines += ["", f"## {number}. {stage.name} ({minutes.format(n=stage.minutes)})", ""]
        lines += [
            f"{n}. {q.text} *[{q.stage} · {q.strategy}]*"
            for n, q in enumerate(stage.questions, start=1)
        ]
    if plan.roleplay is not None:
        lines += ["", f"## {labels['roleplay']}", "", plan.roleplay.text]
    lines += ["", "---", "", f"*{labels['footer']}*", ""]
    return "\n".join(lines)


def plan_to_dict(plan: SessionPlan) -> dict[str, Any]:
    """The plan as JSON-ready data (the shape documented in docs/plan.md)."""
    return {
        "topic": plan.topic,
        "lang": plan.lang,
        "relationship": plan.relationship,
        "minutes": plan.minutes,
        "source": plan.source,
        "model": plan.model,
        "notice": plan.notice.message(plan.lang) if plan.notice else None,
        "stages": [
            {
                "id": stage.id,
                "name": stage.name,
                "minutes": stage.minutes,
                "questions": [
                    {"id": q.id, "text": q.text, "stage": q.stage, "strategy": q.strategy}
                    for q in stage.questions
                ],
            }
            for stage in plan.stages
        ],
        "roleplay": (
            {
                "scenario": plan.roleplay.scenario_id,
                "title": plan.roleplay.title,
                "text": plan.roleplay.text,
            }
            if plan.roleplay
            else None
        ),
    }


def plan_file_name(plan: SessionPlan) -> str:
    """A file name for the plan's Markdown, from its topic."""
    slug = re.sub(r"[^\w]+", "-", plan.topic.lower()).strip("-_")[:40].strip("-_")
    return f"session-plan-{slug or plan.lang}.md"
