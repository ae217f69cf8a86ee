"""Writes a debrief for a CPU: the model-free facts at once, then one short section at a time,
streamed, continuing from the session's own cached prompt.

The requests extend each other: the session's messages (its fixed system prompt and turns, the
prefix the model's cache already holds), then the first section's request, its answer, the
next request, and so on, so every request only adds its own few tokens to what the model has
already read. Each section has its own token cap. An answer that cannot be read is repaired by
asking again for that section alone; a second failure keeps what could be read and fills the
rest from the facts, so the whole debrief is never asked for twice.

Cancelling: the ``cancelled`` event is checked at every chunk, and closing the generator (what
Gradio does when the client cancels or goes away) closes the model's stream at once.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant import i18n
from assistant.debrief import facts as known
from assistant.debrief.facts import DebriefFacts
from assistant.debrief.sections import SECTIONS, Reading, complete, read, token_cap
from assistant.feedback import (
    CounterpartPerspective,
    CriterionRating,
    Debrief,
    DebriefResult,
    GrowthArea,
    Strength,
    defuse_tags,
)
from assistant.llm import stream_text
from assistant.prompts import PromptLibrary

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

STRATEGY_CHARS = 320


@dataclass(frozen=True)
class SectionRequest:
    """What one model request of a debrief cost: its prompt, the part of it that was new
    (not a prefix of the request before it), its cap and what Ollama reported."""

    section: str
    repair: bool
    prompt_chars: int
    new_chars: int
    num_predict: int
    prompt_tokens: int | None = None
    generated_tokens: int | None = None
    answer: str = ""


@dataclass
class DebriefDraft:
    """The debrief so far: what is known, the sections still to come, and the words of the
    section being written (shown as they arrive)."""

    result: DebriefResult
    pending: tuple[str, ...]
    writing: str | None = None
    live: str = ""

    @property
    def done(self) -> bool:
        """True once every section is written (the result is the final debrief)."""
        return not self.pending


@dataclass
class _Parts:
    whys: dict[int, str] = field(default_factory=dict)
    growth: GrowthArea | None = None
    ratings: dict[int, CriterionRating] = field(default_factory=dict)
    perspective: CounterpartPerspective | None = None


def capped(chat_model: Any, num_predict: int) -> Any:
    """The chat model with ``num_predict`` set for one request (a model without that option,
    such as a scripted test model, is returned as it is)."""
    real = chat_model.built() if hasattr(chat_model, "built") else chat_model
    if "num_predict" in getattr(type(real), "model_fields", {}):
        return real.model_copy(update={"num_predict": num_predict})
    return real


def _flat(messages: list[BaseMessage]) -> str:
    return "".join(f"\x00{m.type}\x00{m.content}" for m in messages)


def _common_prefix(a: str, b: str) -> int:
    size = min(len(a), len(b))
    index = 0
    while index < size and a[index] == b[index]:
        index += 1
    return index


@dataclass
class DebriefStream:
    """Streams one debrief from a chat model; ``requests`` records what each request cost."""

    chat_model: BaseChatModel
    prompts: PromptLibrary
    host: str
    model: str
    requests: list[SectionRequest] = field(default_factory=list)

    def write(
        self,
        facts: DebriefFacts,
        session_messages: list[BaseMessage],
        cancelled: threading.Event | None = None,
    ) -> Generator[DebriefDraft, None, DebriefResult | None]:
        """Yield drafts as the debrief grows; return the final result (None when cancelled).

        ``session_messages`` is the session's own request (system prompt and turns); the
        section requests are appended to it. Raises ``CoachError`` when Ollama fails.
        """
        stop = cancelled or threading.Event()
        parts = _Parts()
        messages = list(session_messages)
        previous = _flat(messages)
        sections = [s for s in SECTIONS if s != "strengths" or facts.quotes]
        done: list[str] = []
        yield self._draft(facts, parts, sections, done)
        for index, section in enumerate(sections):
            request = self._request(section, facts, first=index == 0)
            for repair in (False, True):
                if stop.is_set():
                    return None
                messages.append(HumanMessage(request))
                flat = _flat(messages)
                # The previous request and the answer generated for it are the cached prefix.
                new = len(flat) - _common_prefix(previous, flat)
                cap = token_cap(section, self._items(section, facts))
                answer = yield from self._ask(
                    section, messages, cap, stop, (facts, parts, sections, done)
                )
                if answer is None:
                    return None
                usage = answer[1]
                self.requests.append(
                    SectionRequest(
                        section,
                        repair,
                        len(flat),
                        new,
                        cap,
                        usage.get("prompt_tokens"),
                        usage.get("completion_tokens"),
                        answer[0],
                    )
                )
                messages.append(AIMessage(answer[0]))
                previous = _flat(messages)
                reading = self._read(section, answer[0], facts)
                self._merge(section, reading, parts)
                if reading.usable:  # what is still missing comes from the facts
                    break
                request = self.prompts.render(
                    "debrief",
                    "repair",
                    facts.lang,
                    problems="; ".join(reading.problems),
                    form=self._form(section, facts),
                )
            done.append(section)
            yield self._draft(facts, parts, sections, done)
        return self._draft(facts, parts, sections, done).result

    # --- one request ----------------------------------------------------------------------

    def _ask(
        self,
        section: str,
        messages: list[BaseMessage],
        cap: int,
        stop: threading.Event,
        state: tuple[DebriefFacts, _Parts, list[str], list[str]],
    ) -> Generator[DebriefDraft, None, tuple[str, dict[str, int]] | None]:
        facts = state[0]
        items, invitation = self._items_of(section, facts), i18n.t(facts.lang, "debrief_try_next")
        pieces = stream_text(
            capped(self.chat_model, cap), messages, host=self.host, model=self.model
        )
        text, usage = "", {}
        try:
            for piece, piece_usage in pieces:
                if stop.is_set():
                    return None
                usage.update(piece_usage)
                if piece:
                    text += piece
                    draft = self._draft(*state)
                    draft.writing, draft.live = section, text
                    yield draft
                    if "\n" in piece and complete(section, text, items, invitation):
                        text = text[: text.rindex("\n")]
                        break  # the form is complete: the rest would only be read and dropped
        finally:
            pieces.close()  # closes the HTTP stream: the model stops generating at once
        return text, usage

    # --- what to ask and how to read it ----------------------------------------------------

    def _items(self, section: str, facts: DebriefFacts) -> int:
        return len(self._items_of(section, facts))

    def _items_of(self, section: str, facts: DebriefFacts) -> list[str]:
        if section == "strengths":
            return [quote.text for quote in facts.quotes]
        return list(facts.criteria)

    def _form(self, section: str, facts: DebriefFacts) -> str:
        lang = facts.lang
        if section in ("strengths", "ratings"):
            slot = i18n.t(lang, f"debrief_form_{section}")
            return "\n".join(f"{n}. {slot}" for n in range(1, self._items(section, facts) + 1))
        return i18n.t(lang, f"debrief_form_{section}", person=facts.person)

    def _moment(self, facts: DebriefFacts) -> str:
        """The growth section's starting point: the line after which the other person closed
        down most, in the user's exact words (nothing when no line lowered their openness)."""
        if not facts.turning_point:
            return ""
        line = defuse_tags(facts.turning_point)
        return i18n.t(facts.lang, "debrief_moment", person=facts.person, line=line) + "\n"

    def _request(self, section: str, facts: DebriefFacts, *, first: bool) -> str:
        lang, form = facts.lang, self._form(section, facts)
        if section == "strengths":
            quotes = "\n".join(f'{n}. "{q.text}"' for n, q in enumerate(facts.quotes, 1))
            text = self.prompts.render("debrief", section, lang, quotes=quotes, form=form)
        elif section == "growth":
            strategy = facts.strategy
            material = f"{strategy.title}: {strategy.text[:STRATEGY_CHARS]}" if strategy else "-"
            text = self.prompts.render(
                "debrief",
                section,
                lang,
                strategy=defuse_tags(material),
                invitation=i18n.t(lang, "debrief_try_next"),
                moment=self._moment(facts),
                form=form,
            )
        elif section == "ratings":
            criteria = "\n".join(f"{n}. {c}" for n, c in enumerate(facts.criteria, 1))
            observed = " ".join([known.skill_line(facts.counts, lang), *facts.lines])
            text = self.prompts.render(
                "debrief", section, lang, criteria=criteria, observed=observed, form=form
            )
        else:
            text = self.prompts.render("debrief", section, lang, person=facts.person, form=form)
        if first:
            start = self.prompts.render("debrief", "start", lang, person=facts.person)
            text = f"{start}\n\n{text}"
        return text

    def _read(self, section: str, answer: str, facts: DebriefFacts) -> Reading:
        invitation = i18n.t(facts.lang, "debrief_try_next")
        return read(section, answer, self._items_of(section, facts), invitation)

    def _merge(self, section: str, reading: Reading, parts: _Parts) -> None:
        """Keep what an answer gave; a repair only fills what is still missing."""
        value = reading.value
        if section == "strengths" and isinstance(value, dict):
            parts.whys = {**value, **parts.whys}
        elif section == "ratings" and isinstance(value, dict):
            parts.ratings = {**value, **parts.ratings}
        elif section == "growth" and isinstance(value, GrowthArea) and parts.growth is None:
            parts.growth = value
        elif section == "perspective" and isinstance(value, CounterpartPerspective):
            parts.perspective = parts.perspective or value

    # --- the debrief so far ------------------------------------------------------------------

    def _draft(
        self, facts: DebriefFacts, parts: _Parts, sections: list[str], done: list[str]
    ) -> DebriefDraft:
        lang = facts.lang
        pending = tuple(s for s in sections if s not in done)
        strengths = [
            Strength(
                quote=quote.text,
                why_it_worked=parts.whys.get(n)
                or ("" if "strengths" in pending else known.fallback_why(quote, lang)),
            )
            for n, quote in enumerate(facts.quotes, 1)
        ]
        growth: list[GrowthArea] = []
        strategy_id = facts.strategy.id if facts.strategy else ""
        if parts.growth is not None:
            growth = [parts.growth.model_copy(update={"knowledge_id": strategy_id})]
        elif "growth" not in pending:
            suggestion, line = known.fallback_growth(facts.counts, lang)
            growth = [
                GrowthArea(suggestion=suggestion, alternative_line=line, knowledge_id=strategy_id)
            ]
        debrief = Debrief.model_construct(
            strengths=strengths,
            growth_areas=growth,
            ratings=[parts.ratings[n] for n in sorted(parts.ratings)],
            counterpart_perspective=parts.perspective
            or CounterpartPerspective(how_they_felt="", what_landed=""),
            knowledge_ids=[p.id for p in facts.passages],
            facts=[known.skill_line(facts.counts, lang), *facts.lines],
            model_notes=list(facts.model_notes),
        )
        result = DebriefResult("structured", debrief, passages=list(facts.passages))
        return DebriefDraft(result, pending)
