"""Rehearsal scenarios: the situation, the goal, and the Persona the model plays.

Built-in scenarios are knowledge entries of kind ``scenario`` (see knowledge/FORMAT.md); a user's
own scenarios are saved in SQLite with the same fields. Both are validated into ``Scenario``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.errors import CoachError
from assistant.store import Store

Difficulty = Literal["cooperative", "realistic", "resistant"]
DIFFICULTIES: tuple[Difficulty, ...] = ("cooperative", "realistic", "resistant")
AUDIENCES = ("sceptical-executive", "technical-expert", "newcomer", "hostile-stakeholder")


class Character(BaseModel):
    """The fields every character the model plays has (a Persona, a drafted counterpart)."""

    name: str = Field(min_length=1, max_length=80)
    role: str = Field(min_length=1, max_length=200)
    personality: str = Field(min_length=1, max_length=1200)
    cares_about: list[str] = Field(default_factory=list, max_length=12)
    hidden_concerns: list[str] = Field(default_factory=list, max_length=8)
    speaking_style: str = Field(default="", max_length=800)


class Persona(Character):
    """The character the model plays: who they are, what they care about, what they hide."""

    question_style: str = Field(default="", max_length=800)


# The scenario files call the Persona "counterpart"; both names mean the same model.
Counterpart = Persona


class DifficultyLevels(BaseModel):
    """Concrete behaviours of the Persona at each difficulty (not just a label)."""

    cooperative: list[str] = Field(min_length=1)
    realistic: list[str] = Field(min_length=1)
    resistant: list[str] = Field(min_length=1)

    def of(self, level: Difficulty) -> list[str]:
        """The behaviours of one level."""
        return list(getattr(self, level))


class Scenario(BaseModel):
    """One rehearsal: the user either talks to the counterpart or coaches a coachee."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    lang: Literal["da", "en"]
    title: str = Field(min_length=1, max_length=200)
    role: Literal["counterpart", "coachee"] = "counterpart"
    category: str = "custom"
    summary: str = ""
    situation: str = Field(min_length=1, max_length=3000)
    user_goal: str = Field(min_length=1, max_length=1500)
    success_criteria: list[str] = Field(min_length=1, max_length=8)
    counterpart: Persona
    opening_line: str = Field(min_length=1, max_length=1000)
    difficulty: DifficultyLevels
    audience: str | None = None
    presenting_issue: str = ""
    hidden_issue: str = ""
    opens_up_when: list[str] = Field(default_factory=list)
    closes_down_when: list[str] = Field(default_factory=list)
    strategies: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    builtin: bool = True

    @field_validator("success_criteria", "opens_up_when", "closes_down_when")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        return [item.strip() for item in items if item and item.strip()]

    @property
    def is_presentation_qa(self) -> bool:
        """True for the audience Q&A after a presentation."""
        return self.category == "presentation-qa"


class ScenarioError(CoachError):
    """A scenario that cannot be used (unknown id, or fields missing or invalid)."""


_FIELDS = set(Scenario.model_fields)


def scenario_from_data(data: dict[str, Any], *, builtin: bool = True) -> Scenario:
    """Validate front matter (or a saved scenario) into a ``Scenario``; raises ScenarioError."""
    try:
        return Scenario.model_validate(
            {k: v for k, v in data.items() if k in _FIELDS} | {"builtin": builtin}
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        name = data.get("id") or data.get("title") or "?"
        raise ScenarioError(
            "scenario_invalid",
            f"The scenario '{name}' cannot be used: {problems}.",
            f"Scenariet '{name}' kan ikke bruges: {problems}.",
        ) from exc


def slugify(text: str) -> str:
    """A scenario id from a title: lower-case letters, digits and hyphens."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug[:60] or "scenario"


def unknown_scenario(scenario_id: str) -> ScenarioError:
    """The error for an id that is neither built in nor saved by the user."""
    return ScenarioError(
        "scenario_unknown",
        f"There is no scenario called '{scenario_id}'. Pick one from the list.",
        f"Der findes intet scenarie ved navn '{scenario_id}'. Vælg et fra listen.",
    )


class EntrySource(Protocol):
    """What the book needs from the knowledge library."""

    def entries(self, kind: str | None = None, lang: str | None = None) -> list[Any]:
        """Entries of a kind and language."""
        ...


@dataclass
class ScenarioBook:
    """Built-in scenarios from the knowledge library plus each user's saved ones."""

    library: EntrySource
    store: Store

    def builtin(self, lang: str) -> list[Scenario]:
        """The built-in scenarios of a language (broken files are skipped, not fatal)."""
        scenarios = []
        for entry in self.library.entries("scenario", lang):
            data = {**entry.front_matter, "id": entry.id, "lang": entry.lang}
            data.setdefault("title", entry.title)
            data.setdefault("summary", entry.summary)
            try:
                scenarios.append(scenario_from_data(data))
            except ScenarioError:
                continue
        return scenarios

    def problems(self, lang: str) -> list[str]:
        """Why each built-in scenario file of a language that :meth:`builtin` skips cannot be
        used: ``"<path>: <reason>"`` per file, naming the fields at fault."""
        found = []
        for entry in self.library.entries("scenario", lang):
            data = {**entry.front_matter, "id": entry.id, "lang": entry.lang}
            try:
                scenario_from_data(data)
            except ScenarioError as exc:
                found.append(f"{entry.path}: {exc.en}")
        return found

    def saved(self, user_id: int, lang: str) -> list[Scenario]:
        """The user's own scenarios of a language."""
        result = []
        for data in self.store.saved_scenarios(user_id, lang):
            try:
                result.append(scenario_from_data(data, builtin=False))
            except ScenarioError:
                continue
        return result

    def all(self, lang: str, user_id: int | None = None) -> list[Scenario]:
        """Built-in scenarios first, then the user's own."""
        own = self.saved(user_id, lang) if user_id is not None else []
        return [*self.builtin(lang), *own]

    def get(self, scenario_id: str, lang: str, user_id: int | None = None) -> Scenario:
        """One scenario by id; raises ScenarioError when there is none."""
        for scenario in self.all(lang, user_id):
            if scenario.id == scenario_id:
                return scenario
        raise unknown_scenario(scenario_id)

    def save(self, user_id: int, scenario: Scenario) -> Scenario:
        """Save a user's scenario (replacing one with the same id and language)."""
        saved = scenario.model_copy(update={"builtin": False})
        self.store.save_scenario(user_id, saved.id, saved.lang, saved.model_dump())
        return saved
