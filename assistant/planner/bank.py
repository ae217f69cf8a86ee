"""The question bank: questions, session-flow stages and scenarios read from the knowledge
library."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import CoachError
from assistant.knowledge.loader import Entry, load_entries
from assistant.planner.plan import BANK_STAGES, LANGS, PLAN_STAGES


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
