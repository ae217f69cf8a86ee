"""The scenario builder: draft a scenario from plain words, and export/import it as a file.

A drafted scenario is validated into the same ``Scenario`` model as the built-in ones; a file is
the same Markdown with YAML front matter as ``knowledge/scenarios/*.md``.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from typing import Annotated, Any, cast

import yaml
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from assistant.errors import CoachError
from assistant.scenarios import (
    Character,
    DifficultyLevels,
    Scenario,
    ScenarioError,
    scenario_from_data,
    slugify,
)
from assistant.structured_stream import Arrived, Member, MemberReader, stream_members
from assistant.token_caps import DEFAULT_CAPS, capped

MAX_FILE_CHARS = 60_000
MAX_DESCRIPTION_CHARS = 6_000


class DraftCounterpart(Character):
    """The other person as a draft asks for it: a rehearsal counterpart, so without the
    question style only a Q&A audience member has (fewer tokens to generate)."""


class ScenarioDraft(BaseModel):
    """What the model is asked to fill in (the id and language are added afterwards)."""

    title: str = Field(min_length=1, max_length=200)
    situation: str = Field(min_length=1, max_length=3000)
    user_goal: str = Field(min_length=1, max_length=1500)
    success_criteria: list[str] = Field(min_length=3, max_length=5)
    counterpart: DraftCounterpart
    opening_line: str = Field(min_length=1, max_length=1000)
    difficulty: DifficultyLevels


# Each field of a draft, checked on its own as soon as the model has finished it.
_FIELD_CHECKS: dict[str, TypeAdapter[Any]] = {
    name: TypeAdapter(cast(Any, Annotated[info.annotation, info]))
    for name, info in ScenarioDraft.model_fields.items()
}
DRAFT_FIELDS: tuple[str, ...] = tuple(ScenarioDraft.model_fields)


@dataclass(frozen=True)
class DraftStep:
    """How far a streamed draft has come: the fields checked and usable so far."""

    chars: int
    fields: dict[str, Any]
    total: int = len(DRAFT_FIELDS)


def draft_messages(description: str | None, lang: str, prompts: Any) -> list[BaseMessage]:
    """The drafting request: the fixed system prompt, then the user's description inside
    tags (without a description, only the fixed prefix, which a warm-up reads ahead)."""
    text = (description or "").strip()
    if len(text) > MAX_DESCRIPTION_CHARS:  # refused, never cut silently
        raise CoachError(
            "description_too_long",
            f"The description has {len(text)} characters; the limit is {MAX_DESCRIPTION_CHARS}.",
            f"Beskrivelsen har {len(text)} tegn; grænsen er {MAX_DESCRIPTION_CHARS}.",
        )
    system: list[BaseMessage] = [SystemMessage(prompts.render("scenario-builder", "system", lang))]
    if description is None:
        return system
    text = text.replace("<description", "&lt;description").replace(
        "</description", "&lt;/description"
    )
    return [*system, HumanMessage(f"<description>\n{text}\n</description>")]


def checked_field(member: Member) -> tuple[Any, str | None]:
    """One finished member of the answer as the draft's field value, or its problem."""
    check = _FIELD_CHECKS.get(member.name)
    if check is None or member.error:
        return None, member.error or f"'{member.name}' is not a field of the scenario"
    try:
        return check.validate_python(member.value), None
    except ValidationError as exc:
        return None, f"{member.name}: {exc.errors()[0].get('msg')}"


def draft_scenario(
    description: str,
    lang: str,
    chat_model: Any,
    prompts: Any,
    max_tokens: int | None = DEFAULT_CAPS.scenario,
) -> Scenario:
    """Draft a scenario from the user's description with one structured-output request.

    Fields that come back unusable are asked for once more, alone; raises ``CoachError`` when
    some are still missing. ``max_tokens`` caps each answer (num_predict; token_caps.py).
    """
    steps = draft_scenario_steps(description, lang, chat_model, prompts, max_tokens=max_tokens)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def draft_scenario_steps(
    description: str,
    lang: str,
    chat_model: Any,
    prompts: Any,
    cancelled: threading.Event | None = None,
    max_tokens: int | None = DEFAULT_CAPS.scenario,
    warm_up: Any = None,
) -> Generator[DraftStep, None, Scenario]:
    """``draft_scenario`` streamed field by field: yields a ``DraftStep`` per chunk (the
    fields finished and usable so far, each as soon as its closing token arrived) and
    returns the scenario. A field that fails its check is dropped alone; the fields still
    missing at the end are asked for once more, alone (never the whole draft again). Closing
    the generator, or setting ``cancelled``, ends the model's request at its next chunk
    (assistant/structured_stream.py); ``warm_up``, when given, is told of each request.
    """
    messages = draft_messages(description, lang, prompts)
    schema = ScenarioDraft.model_json_schema()
    host = str(getattr(chat_model, "base_url", "") or "Ollama")
    name = str(getattr(chat_model, "model", ""))
    chat_model = capped(chat_model, max_tokens)
    fields: dict[str, Any] = {}
    request = messages
    for _ in range(2):
        if warm_up is not None:
            warm_up.real_request(request)
        answer = stream_members(
            chat_model, request, schema, host=host, model_name=name, cancelled=cancelled
        )
        problems = yield from _drafted_fields(answer, fields)
        missing = [field for field in DRAFT_FIELDS if field not in fields]
        if not missing:
            draft = ScenarioDraft.model_validate(fields)
            return Scenario.model_validate(
                draft.model_dump() | {"id": slugify(draft.title), "lang": lang, "builtin": False}
            )
        found = "; ".join(problems)[:1500] or "the answer was not a JSON object"
        error = prompts.render("scenario-builder", "retry", lang, error=found)
        if fields:  # ask only for what is missing, in a schema of those fields alone
            schema = _schema_of(missing)
            error = prompts.render(
                "scenario-builder", "missing", lang, error=found, fields=", ".join(missing)
            )
        request = [*messages, HumanMessage(error)]
    raise CoachError(
        "scenario_draft_failed",
        "The model could not draft a usable scenario. Try again or describe it in other words.",
        "Modellen kunne ikke lave et brugbart scenarie. Prøv igen, eller beskriv det anderledes.",
    )


def _schema_of(names: list[str]) -> dict[str, Any]:
    whole = ScenarioDraft.model_json_schema()
    return whole | {
        "properties": {name: whole["properties"][name] for name in names},
        "required": names,
    }


def _drafted_fields(
    answer: Generator[Arrived, None, tuple[str, MemberReader]], fields: dict[str, Any]
) -> Generator[DraftStep, None, list[str]]:
    """Read one streamed answer into ``fields``, member by member, yielding the fields so
    far after each chunk; returns the problems of the members that could not be used."""
    problems: list[str] = []
    try:
        while True:
            try:
                arrived = next(answer)
            except StopIteration:
                return problems
            for member in arrived.members:
                value, problem = checked_field(member)
                if problem is None and member.name not in fields:
                    fields[member.name] = value
                elif problem is not None:
                    problems.append(problem)
            yield DraftStep(arrived.chars, dict(fields))
    finally:
        answer.close()


_EXPORT_FIELDS = (
    "id",
    "lang",
    "title",
    "role",
    "category",
    "summary",
    "situation",
    "user_goal",
    "success_criteria",
    "counterpart",
    "opening_line",
    "difficulty",
)


def scenario_to_file(scenario: Scenario) -> str:
    """The scenario as Markdown with YAML front matter, like the files in knowledge/scenarios."""
    data = scenario.model_dump()
    front: dict[str, Any] = {"kind": "scenario"}
    front |= {key: data[key] for key in _EXPORT_FIELDS}
    body = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{body}---\n\n{scenario.summary or scenario.title}\n"


def _broken(en: str, da: str) -> ScenarioError:
    return ScenarioError("scenario_file_invalid", en, da)


def scenario_from_file(text: str) -> Scenario:
    """Read a scenario file (Markdown + YAML front matter); raises ScenarioError when broken.

    Field values are kept as plain text; the UI never renders them as HTML.
    """
    if len(text) > MAX_FILE_CHARS:
        raise _broken(
            "The file is too large to be a scenario.", "Filen er for stor til at være et scenarie."
        )
    stripped = text.lstrip("\ufeff").strip()
    if not stripped.startswith("---"):
        raise _broken(
            "The file has no front matter (it must start with a line '---').",
            "Filen har ingen front matter (den skal begynde med en linje '---').",
        )
    parts = stripped.split("\n---", 1)
    header = parts[0][3:]
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        raise _broken(
            f"The YAML in the file cannot be read: {exc}.",
            f"YAML'en i filen kan ikke læses: {exc}.",
        ) from exc
    if not isinstance(data, dict):
        raise _broken("The front matter is not a set of fields.", "Front matter er ikke felter.")
    data.setdefault("lang", "en")
    if not data.get("id") and isinstance(data.get("title"), str):
        data["id"] = slugify(data["title"])
    return scenario_from_data(data, builtin=False)


# --- the builder form: what a team lead edits, as plain text fields --------------------------

_DESCRIPTION_LABELS = {
    "en": ("The situation, in my own words:", "The other person, in my own words:"),
    "da": ("Situationen med mine egne ord:", "Den anden person med mine egne ord:"),
}


def describe(situation: str, counterpart: str, lang: str) -> str:
    """One description for the model from the builder's two plain-words boxes.

    Raises ``CoachError`` when both are empty, so the user knows what to write first.
    """
    situation, counterpart = situation.strip(), counterpart.strip()
    if not situation and not counterpart:
        raise CoachError(
            "description_empty",
            "Describe the situation (and, if you like, the other person) first.",
            "Beskriv situationen (og gerne den anden person) først.",
        )
    about_situation, about_person = _DESCRIPTION_LABELS["da" if lang == "da" else "en"]
    parts = [f"{about_situation}\n{situation}" if situation else ""]
    parts.append(f"{about_person}\n{counterpart}" if counterpart else "")
    return "\n\n".join(part for part in parts if part)


# Behaviours for a scenario written by hand (no model draft to take them from).
DEFAULT_LEVELS = {
    "en": DifficultyLevels(
        cooperative=["Listens, answers openly and agrees to a fair proposal."],
        realistic=[
            "Explains their own view first and agrees only when they feel understood.",
        ],
        resistant=[
            "Deflects and brings up counter-complaints.",
            "Needs to feel heard before acknowledging anything.",
        ],
    ),
    "da": DifficultyLevels(
        cooperative=["Lytter, svarer åbent og siger ja til et rimeligt forslag."],
        realistic=[
            "Forklarer først sit eget syn og siger først ja, når vedkommende føler sig forstået.",
        ],
        resistant=[
            "Afleder og kommer med modklager.",
            "Skal føle sig hørt, før vedkommende anerkender noget.",
        ],
    ),
}

# The form's fields in order, with the names shown in "please fill in" messages.
FORM_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("Title", "Titel"),
    "situation": ("Situation", "Situation"),
    "user_goal": ("Your goal", "Dit mål"),
    "success_criteria": ("Success criteria", "Succeskriterier"),
    "name": ("Name", "Navn"),
    "role": ("Role", "Rolle"),
    "personality": ("Personality", "Personlighed"),
    "cares_about": ("Cares about", "Går op i"),
    "hidden_concerns": ("Hidden concerns", "Skjulte bekymringer"),
    "opening_line": ("Opening line", "Første replik"),
}
_OPTIONAL = {"cares_about", "hidden_concerns"}
_LISTS = {"success_criteria", "cares_about", "hidden_concerns"}


def _lines(text: str) -> list[str]:
    """One item per line; list bullets the user typed are dropped."""
    items = (line.strip().lstrip("-*•").strip() for line in text.splitlines())
    return [item for item in items if item]


def form_values(scenario: Scenario) -> dict[str, str]:
    """A scenario as the builder's text fields (lists one item per line)."""
    person = scenario.counterpart
    return {
        "title": scenario.title,
        "situation": scenario.situation,
        "user_goal": scenario.user_goal,
        "success_criteria": "\n".join(scenario.success_criteria),
        "name": person.name,
        "role": person.role,
        "personality": person.personality,
        "cares_about": "\n".join(person.cares_about),
        "hidden_concerns": "\n".join(person.hidden_concerns),
        "opening_line": scenario.opening_line,
    }


def draft_form_values(fields: dict[str, Any]) -> dict[str, str]:
    """The builder's text fields for the draft fields finished so far (a streamed draft):
    only the form fields those draft fields fill."""
    values: dict[str, str] = {}
    for key in ("title", "situation", "user_goal", "opening_line"):
        if key in fields:
            values[key] = str(fields[key])
    if "success_criteria" in fields:
        values["success_criteria"] = "\n".join(fields["success_criteria"])
    person = fields.get("counterpart")
    if isinstance(person, Character):
        values |= {key: getattr(person, key) for key in ("name", "role", "personality")}
        values |= {
            key: "\n".join(getattr(person, key)) for key in ("cares_about", "hidden_concerns")
        }
    return values


def scenario_from_form(
    values: dict[str, str],
    lang: str,
    base: Scenario | None = None,
    reserved_ids: set[str] | frozenset[str] = frozenset(),
) -> Scenario:
    """The user's own scenario from the builder's fields; raises ScenarioError naming what
    is missing or wrong.

    ``base`` (the model's draft or an imported file) supplies what the form does not show,
    such as the behaviour per difficulty; ``reserved_ids`` (the built-in ids) are never reused,
    so a saved scenario cannot hide a built-in one.
    """
    text = {key: str(values.get(key) or "").strip() for key in FORM_FIELDS}
    missing = [key for key in FORM_FIELDS if key not in _OPTIONAL and not text[key]]
    if missing:
        raise ScenarioError(
            "scenario_form_missing",
            "Please fill in: " + ", ".join(FORM_FIELDS[key][0] for key in missing) + ".",
            "Udfyld venligst: " + ", ".join(FORM_FIELDS[key][1] for key in missing) + ".",
        )
    scenario_id = slugify(text["title"])
    number = 2
    while scenario_id in reserved_ids:
        scenario_id = f"{slugify(text['title'])[:55]}-{number}"
        number += 1
    data: dict[str, Any] = base.model_dump() if base is not None else {}
    if base is None:
        data["difficulty"] = DEFAULT_LEVELS["da" if lang == "da" else "en"].model_dump()
    person = dict(data.get("counterpart") or {})
    person |= {key: text[key] for key in ("name", "role", "personality")}
    person |= {key: _lines(text[key]) for key in ("cares_about", "hidden_concerns")}
    data |= {key: text[key] for key in ("title", "situation", "user_goal", "opening_line")}
    data |= {
        "id": scenario_id,
        "lang": lang,
        "category": data.get("category") or "custom",
        "success_criteria": _lines(text["success_criteria"]),
        "counterpart": person,
    }
    return scenario_from_data(data, builtin=False)
