"""The debrief after a rehearsal: schema, generation, tolerant parsing and rendering.

The model answers in JSON constrained by the ``Debrief`` schema (Ollama's ``format``). An
answer that does not parse or breaks a rule the schema cannot express (quotes must be the
user's own words, one rating per success criterion, growth areas phrased as an invitation) is
sent back once with the validation error; a second failure falls back to a plain-text debrief.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant import i18n
from assistant.llm import to_coach_error
from assistant.prompts import PromptLibrary
from assistant.store import Store

if TYPE_CHECKING:  # langchain's model layer is imported with the chat model (assistant.llm)
    from langchain_core.language_models import BaseChatModel


class Strength(BaseModel):
    """Something that worked, anchored in the user's own words."""

    quote: str = Field(description="The user's own words, copied exactly from the transcript")
    why_it_worked: str


class GrowthArea(BaseModel):
    """One thing to try next time, with a line the user could say."""

    suggestion: str = Field(description="Starts with the fixed invitation phrase")
    alternative_line: str = Field(description="A concrete line the user could say instead")


class CriterionRating(BaseModel):
    """A 1-5 rating of one success criterion with one sentence of evidence."""

    criterion: str
    rating: int = Field(ge=1, le=5)
    evidence: str


class CounterpartPerspective(BaseModel):
    """How the other person experienced the conversation."""

    how_they_felt: str
    what_landed: str


class Debrief(BaseModel):
    """The structured debrief; strengths always come first."""

    strengths: list[Strength] = Field(min_length=2, max_length=3)
    growth_areas: list[GrowthArea] = Field(min_length=1, max_length=2)
    ratings: list[CriterionRating]
    counterpart_perspective: CounterpartPerspective
    knowledge_ids: list[str] = Field(default_factory=list, max_length=6)


@dataclass(frozen=True)
class Passage:
    """A knowledge passage offered to the debrief as reference material."""

    id: str
    title: str
    section: str
    text: str


@dataclass
class DebriefResult:
    """What the user sees: a structured debrief, or the plain-text fallback."""

    kind: Literal["structured", "plain"]
    debrief: Debrief | None = None
    text: str = ""
    passages: list[Passage] = field(default_factory=list)

    @property
    def rating(self) -> float | None:
        """The mean criterion rating (None for a plain-text debrief)."""
        if self.debrief is None or not self.debrief.ratings:
            return None
        ratings = self.debrief.ratings
        return round(sum(r.rating for r in ratings) / len(ratings), 2)

    def to_data(self) -> dict[str, Any]:
        """The JSON form stored with the session and printed by ``coach practice``."""
        return {
            "kind": self.kind,
            "debrief": self.debrief.model_dump() if self.debrief else None,
            "text": self.text,
            "rating": self.rating,
            "knowledge": [p.__dict__ for p in self.passages],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DebriefResult:
        """A stored debrief (``to_data``) back as a result, to show it again; a structured
        debrief that no longer validates is shown as its plain text."""
        passages = [Passage(**p) for p in data.get("knowledge") or [] if isinstance(p, dict)]
        try:
            debrief = Debrief.model_validate(data["debrief"]) if data.get("debrief") else None
        except (ValidationError, TypeError):
            debrief = None
        kind: Literal["structured", "plain"] = "structured" if debrief else "plain"
        return cls(kind, debrief, text=str(data.get("text") or ""), passages=passages)


# The tags that delimit material in prompts; text placed inside a block must not contain them.
BLOCK_TAGS = ("reference", "passage", "transcript", "presentation-notes", "session-stage")
_TAG_LIKE = re.compile(r"<\s*/?\s*(?:" + "|".join(BLOCK_TAGS) + r")(?![\w-])", re.IGNORECASE)


def defuse_tags(text: str) -> str:
    """Text to place inside a delimited block of a prompt: anything that looks like an opening
    or closing tag of :data:`BLOCK_TAGS` gets '‹' instead of '<', so retrieved or uploaded text
    can never end its block early or open a block of its own."""
    return _TAG_LIKE.sub(lambda match: "‹" + match.group(0)[1:], text)


def save_debrief(store: Store, session_id: int, result: DebriefResult) -> None:
    """Keep a debrief and its rating with the session (History, Progress and resume read it)."""
    store.add_debrief(
        session_id, kind=result.kind, data=result.to_data(), text=result.text, rating=result.rating
    )


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def problems(
    debrief: Debrief, user_lines: Sequence[str], criteria: Sequence[str], lang: str
) -> list[str]:
    """Rules the schema cannot express; [] when the debrief can be shown."""
    found: list[str] = []
    said = _norm(" ".join(user_lines))
    for index, strength in enumerate(debrief.strengths, 1):
        quote = _norm(strength.quote.replace("...", " ").replace("…", " "))
        if not quote or quote not in said:
            found.append(
                f"strengths[{index}].quote is not the user's own words; copy a phrase exactly"
            )
    phrase = i18n.t(lang, "debrief_try_next")
    for index, area in enumerate(debrief.growth_areas, 1):
        if not _norm(area.suggestion).startswith(_norm(phrase)):
            found.append(f'growth_areas[{index}].suggestion must start with "{phrase} ..."')
    if len(debrief.ratings) != len(criteria):
        found.append(f"ratings must have exactly {len(criteria)} items, one per success criterion")
    return found


@dataclass
class DebriefWriter:
    """Asks the model for a debrief and never lets a bad answer reach the user as an error."""

    chat_model: BaseChatModel
    prompts: PromptLibrary
    host: str
    model: str

    def write(
        self,
        *,
        lang: str,
        context: dict[str, str],
        transcript: str,
        user_lines: Sequence[str],
        criteria: Sequence[str],
        passages: Sequence[Passage],
    ) -> DebriefResult:
        """The debrief of one conversation; raises ``CoachError`` only when Ollama fails.

        ``context`` fills the system prompt (title, situation, user_goal, person).
        """
        reference = "\n\n".join(
            f'<passage id="{html.escape(p.id)}" title="{html.escape(p.title)}">\n'
            f"{defuse_tags(p.text)}\n</passage>"
            for p in passages
        )
        numbered = "\n".join(f"{i}. {c}" for i, c in enumerate(criteria, 1))
        system = self.prompts.render("debrief", "system", lang, criteria=numbered, **context)
        label = i18n.t(lang, "debrief_reference_label")
        material = HumanMessage(
            f"<transcript>\n{defuse_tags(transcript)}\n</transcript>\n\n"
            f"<reference>\n{label}\n\n{reference}\n</reference>"
        )
        messages: list[BaseMessage] = [SystemMessage(system), material]
        schema = Debrief.model_json_schema()
        error = ""
        for _ in range(2):
            request = messages if not error else [*messages, HumanMessage(error)]
            raw = self._ask(request, schema)
            try:
                debrief = Debrief.model_validate(json.loads(raw))
                found = problems(debrief, user_lines, criteria, lang)
            except (ValueError, ValidationError) as exc:
                found = [str(exc)]
            if not found:
                known = {p.id: p for p in passages}
                cited = [known[i] for i in dict.fromkeys(debrief.knowledge_ids) if i in known]
                debrief.knowledge_ids = [p.id for p in cited]
                return DebriefResult("structured", debrief, passages=cited)
            error = self.prompts.render("debrief", "retry", lang, error="; ".join(found)[:1500])
        plain_system = self.prompts.render("debrief", "plain", lang, criteria=numbered, **context)
        text = self._ask([SystemMessage(plain_system), material], None)
        return DebriefResult("plain", None, text=text.strip(), passages=list(passages))

    def _ask(self, messages: list[BaseMessage], schema: dict[str, Any] | None) -> str:
        model = self.chat_model.bind(format=schema) if schema else self.chat_model
        try:
            reply = model.invoke(messages)
        except Exception as exc:
            raise to_coach_error(exc, host=self.host, model=self.model) from exc
        return reply.content if isinstance(reply.content, str) else str(reply.content)


# --- rendering ------------------------------------------------------------------------------


def render_html(result: DebriefResult, lang: str, person: str) -> str:
    """The debrief as HTML: strengths first, knowledge passages as expandable sections."""
    t = i18n.strings_with_prefix(lang, "debrief_label_")
    e = html.escape
    parts: list[str] = ['<div class="coach-debrief">']
    if result.debrief is None:
        parts.append(f"<h3>{e(t['plain'])}</h3>")
        parts += [f"<p>{e(line)}</p>" for line in result.text.split("\n") if line.strip()]
    else:
        d = result.debrief
        parts.append(f"<h3>{e(t['strengths'])}</h3><ul>")
        parts += [f"<li><q>{e(s.quote)}</q> — {e(s.why_it_worked)}</li>" for s in d.strengths]
        parts.append(f"</ul><h3>{e(t['growth'])}</h3><ul>")
        parts += [
            f"<li>{e(g.suggestion)}<br><em>{e(t['say'])}:</em> <q>{e(g.alternative_line)}</q></li>"
            for g in d.growth_areas
        ]
        parts.append(f"</ul><h3>{e(t['ratings'])}</h3><table>")
        parts += [
            f"<tr><td>{e(r.criterion)}</td><td><strong>{r.rating}/5</strong></td>"
            f"<td>{e(r.evidence)}</td></tr>"
            for r in d.ratings
        ]
        view = d.counterpart_perspective
        parts.append(f"</table><h3>{e(t['perspective'].format(person=person))}</h3>")
        parts.append(f"<p>{e(view.how_they_felt)}</p><p>{e(view.what_landed)}</p>")
    if result.passages:
        parts.append(f"<h3>{e(t['knowledge'])}</h3>")
        parts += [
            f'<details class="coach-passage"><summary>{e(p.title)}</summary>'
            f"<p><strong>{e(p.section)}</strong></p><p>{e(p.text)}</p></details>"
            for p in result.passages
        ]
    parts.append("</div>")
    return "".join(parts)


class _Library(Protocol):
    def search(
        self, query: str, lang: str | None = None, kinds: Any = None, k: int = 5
    ) -> list[Any]: ...

    def entry(self, id: str, lang: str) -> Any: ...


GROUNDING_KINDS = ("strategy", "framework", "activity", "session-flow")


def library_passages(
    library: _Library, query: str, lang: str, named_ids: Sequence[str], k: int = 5
) -> list[Passage]:
    """Knowledge passages for a debrief: the first section of the entries the scenario names
    (up to three), then library search hits for the query, ``k`` in all. A search index that
    is missing or still building only leaves out the search hits."""
    passages: dict[str, Passage] = {}
    for entry_id in named_ids:
        entry = library.entry(entry_id, lang)
        if entry is not None and entry.sections and len(passages) < min(3, k):
            section = entry.sections[0]
            passages[entry.id] = Passage(entry.id, entry.title, section.heading, section.text)
    try:
        hits = library.search(query, lang=lang, kinds=GROUNDING_KINDS, k=k)
    except Exception:  # the debrief must not fail because search is unavailable
        hits = []
    for hit in hits:
        if hit.id not in passages and len(passages) < k:
            passages[hit.id] = Passage(hit.id, hit.title, hit.section, hit.text)
    return list(passages.values())


def render_text(result: DebriefResult, lang: str, person: str) -> str:
    """The debrief as plain text for the terminal, strengths first."""
    t = i18n.strings_with_prefix(lang, "debrief_label_")
    if result.debrief is None:
        return f"{t['plain']}\n\n{result.text}"
    d = result.debrief
    lines = [f"{t['strengths']}:"]
    lines += [f'  + "{s.quote}" - {s.why_it_worked}' for s in d.strengths]
    lines.append(f"{t['growth']}:")
    for g in d.growth_areas:
        lines += [f"  > {g.suggestion}", f'    {t["say"]}: "{g.alternative_line}"']
    lines.append(f"{t['ratings']}:")
    lines += [f"  {r.rating}/5  {r.criterion} - {r.evidence}" for r in d.ratings]
    view = d.counterpart_perspective
    lines += [f"{t['perspective'].format(person=person)}:", f"  {view.how_they_felt}"]
    lines.append(f"  {view.what_landed}")
    if result.passages:
        lines.append(f"{t['knowledge']}: " + ", ".join(p.title for p in result.passages))
    return "\n".join(lines)
