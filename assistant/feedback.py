"""The debrief after a rehearsal: its stored form, knowledge passages and rendering.

A debrief is written section by section by ``assistant.debrief`` (the model-free facts at
once, then a few short model sections, streamed); this module holds what it produces
(``Debrief``, ``DebriefResult``), how it is stored, and how it is shown, also while it is
still being written. Debriefs stored as ``plain`` by earlier versions still show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from assistant import i18n
from assistant.store import Store


class Strength(BaseModel):
    """Something that worked, anchored in the user's own words."""

    quote: str = Field(description="The user's own words, copied exactly from the transcript")
    why_it_worked: str


class GrowthArea(BaseModel):
    """One thing to try next time, with a line the user could say."""

    suggestion: str = Field(description="Starts with the fixed invitation phrase")
    alternative_line: str = Field(description="A concrete line the user could say instead")
    knowledge_id: str = Field(default="", description="The passage the suggestion draws on")


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

    strengths: list[Strength] = Field(min_length=1, max_length=3)
    growth_areas: list[GrowthArea] = Field(min_length=1, max_length=2)
    ratings: list[CriterionRating]
    counterpart_perspective: CounterpartPerspective
    knowledge_ids: list[str] = Field(default_factory=list, max_length=6)
    # What the app measured without the model (skill counts, answer lengths), one sentence each.
    facts: list[str] = Field(default_factory=list)
    # What the reply checks found in the model's own replies: about the model, not the user.
    model_notes: list[str] = Field(default_factory=list)


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


# --- rendering ------------------------------------------------------------------------------


def render_html(
    result: DebriefResult,
    lang: str,
    person: str,
    *,
    pending: Sequence[str] = (),
    writing: str | None = None,
    live: str = "",
) -> str:
    """The debrief as HTML: strengths first, knowledge passages as expandable sections.

    While the debrief is still being written, ``pending`` names the sections to come (shown
    as "…"), and ``live`` is the raw text of the section ``writing`` as it arrives."""
    t = i18n.strings_with_prefix(lang, "debrief_label_")
    e = html.escape
    parts: list[str] = ['<div class="coach-debrief">']
    if result.debrief is None:
        parts.append(f"<h3>{e(t['plain'])}</h3>")
        parts += [f"<p>{e(line)}</p>" for line in result.text.split("\n") if line.strip()]
    else:
        d = result.debrief
        titles = {p.id: p.title for p in result.passages}
        for section in ("strengths", "growth", "ratings", "perspective"):
            heading = t[section].format(person=person)
            if section in pending:
                body = f'<p class="coach-debrief-live">{e(live)}</p>' if writing == section else ""
                if section == "strengths" and d.strengths:
                    body = _strengths_html(d, t, live_only=True) + body
                parts.append(f'<h3>{e(heading)}</h3><div class="coach-pending">{body}…</div>')
                continue
            parts.append(f"<h3>{e(heading)}</h3>")
            if section == "strengths":
                parts.append(_strengths_html(d, t))
            elif section == "growth":
                parts.append("<ul>")
                for g in d.growth_areas:
                    cited = titles.get(g.knowledge_id)
                    source = f" <small>({e(t['source'])}: {e(cited)})</small>" if cited else ""
                    parts.append(
                        f"<li>{e(g.suggestion)}{source}<br><em>{e(t['say'])}:</em> "
                        f"<q>{e(g.alternative_line)}</q></li>"
                    )
                parts.append("</ul>")
            elif section == "ratings":
                parts.append("<table>")
                parts += [
                    f"<tr><td>{e(r.criterion)}</td><td><strong>{r.rating}/5</strong></td>"
                    f"<td>{e(r.evidence)}</td></tr>"
                    for r in d.ratings
                ]
                parts.append("</table>")
            else:
                view = d.counterpart_perspective
                parts += [f"<p>{e(text)}</p>" for text in view.model_dump().values() if text]
        parts += [f'<p class="coach-model-note"><small>{e(n)}</small></p>' for n in d.model_notes]
    if result.passages:
        parts.append(f"<h3>{e(t['knowledge'])}</h3>")
        parts += [
            f'<details class="coach-passage"><summary>{e(p.title)}</summary>'
            f"<p><strong>{e(p.section)}</strong></p><p>{e(p.text)}</p></details>"
            for p in result.passages
        ]
    parts.append("</div>")
    return "".join(parts)


def _strengths_html(d: Debrief, t: dict[str, str], *, live_only: bool = False) -> str:
    e = html.escape
    items = [
        f"<li><q>{e(s.quote)}</q>"
        + (f" — {e(s.why_it_worked)}" if s.why_it_worked else "")
        + "</li>"
        for s in d.strengths
    ]
    measured = "" if live_only else "".join(f"<p><small>{e(f)}</small></p>" for f in d.facts)
    return "<ul>" + "".join(items) + "</ul>" + measured


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


def render_section_text(result: DebriefResult, section: str, lang: str, person: str) -> str:
    """One section of a structured debrief as plain text for the terminal."""
    t = i18n.strings_with_prefix(lang, "debrief_label_")
    d = result.debrief
    if d is None:
        return ""
    lines = [f"{t[section].format(person=person)}:"]
    if section == "strengths":
        lines += [
            f'  + "{s.quote}"' + (f" - {s.why_it_worked}" if s.why_it_worked else "")
            for s in d.strengths
        ]
        lines += [f"  ({fact})" for fact in d.facts]
    elif section == "growth":
        for g in d.growth_areas:
            lines += [f"  > {g.suggestion}", f'    {t["say"]}: "{g.alternative_line}"']
    elif section == "ratings":
        lines += [f"  {r.rating}/5  {r.criterion} - {r.evidence}" for r in d.ratings]
    else:
        view = d.counterpart_perspective
        lines += [f"  {text}" for text in view.model_dump().values() if text]
    return "\n".join(lines)


def render_text(result: DebriefResult, lang: str, person: str) -> str:
    """The debrief as plain text for the terminal, strengths first."""
    t = i18n.strings_with_prefix(lang, "debrief_label_")
    if result.debrief is None:
        return f"{t['plain']}\n\n{result.text}"
    sections = ("strengths", "growth", "ratings", "perspective")
    lines = [render_section_text(result, section, lang, person) for section in sections]
    lines += [f"({note})" for note in result.debrief.model_notes]
    if result.passages:
        lines.append(f"{t['knowledge']}: " + ", ".join(p.title for p in result.passages))
    return "\n".join(lines)
