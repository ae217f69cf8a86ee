"""The few parts of a debrief the model writes, one short section at a time, in a tiny
plain-text form each, and how each is read back.

Each section is asked for in one request with its own token cap (``num_predict``). Reading is
tolerant: labels in either language, numbered or not; what is still missing after reading is
what a repair asks for again (only that section, never the whole debrief).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.feedback import CounterpartPerspective, CriterionRating, GrowthArea

SECTIONS = ("strengths", "growth", "ratings", "perspective")

# Tokens per section: a short sentence is about 15-25 tokens for a small model's tokenizer.
# An answer is also cut as soon as its form is complete (see ``complete``).
WHY_TOKENS, GROWTH_TOKENS, RATING_TOKENS, PERSPECTIVE_TOKENS = 30, 64, 20, 56
MAX_SENTENCE_CHARS = 220

_NUMBERED = re.compile(r"^\s*[-*]?\s*\**\s*(\d{1,2})\s*[.):]\s*(.*\S)\s*$")
_RATING = re.compile(r"^\**\s*([1-5])(?:\s*/\s*5)?\**\s*(?:[-–—:,.]\s*)?(.*)$")
_LABELLED = re.compile(r"^\s*\**\s*([A-ZÆØÅ]+)\s*\**\s*:\s*(.*)$", re.IGNORECASE)
_TRY, _SAY = ("try", "prøv"), ("say", "sig")
_FELT, _LANDED = ("felt", "følte"), ("landed", "landede")


@dataclass
class Reading:
    """What one answer gave for a section, and what is still missing or malformed."""

    value: object = None
    problems: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """True when the answer gave something for the section (missing items are filled
        from the facts); only an answer that gave nothing is asked for again."""
        return bool(self.value)


def _clean(text: str) -> str:
    """One sentence of an answer, without markup: a small model that rambles or repeats
    itself is cut at its first full sentence."""
    text = text.strip().strip("*").strip().strip("\"“”'").strip()
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return first[:MAX_SENTENCE_CHARS].strip()


def _numbered(text: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match and int(match.group(1)) not in found:
            found[int(match.group(1))] = match.group(2).strip()
    return found


def _sentences(text: str) -> list[str]:
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", flat) if s.strip()]


def _labelled(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _LABELLED.match(line)
        if match and match.group(2).strip():
            found.setdefault(match.group(1).lower(), _clean(match.group(2)))
    return found


def _first(found: dict[str, str], names: tuple[str, ...]) -> str:
    return next((found[name] for name in names if found.get(name)), "")


def read_whys(text: str, count: int) -> Reading:
    """One sentence per quote, "1. ..." per line; unnumbered sentences are taken in order."""
    found = _numbered(text)
    if not found:  # no numbers: take the sentences in order
        found = dict(enumerate(_sentences(text)[:count], 1))
    whys = {n: _clean(found[n]) for n in range(1, count + 1) if _clean(found.get(n, ""))}
    missing = [n for n in range(1, count + 1) if n not in whys]
    return Reading(whys, [f"no sentence for quote {n}" for n in missing])


def read_growth(text: str, invitation: str) -> Reading:
    """``TRY: <rest of the sentence>`` and ``SAY: <a line>``; without labels, the first
    sentence is the suggestion and a quoted phrase (else the second sentence) the line."""
    found = _labelled(text)
    rest, line = _first(found, _TRY), _first(found, _SAY)
    if not rest:
        sentences = [s for s in _sentences(text) if not _LABELLED.match(s)]
        quoted = re.search(r"[\"“]([^\"”]{3,})[\"”]", text)
        rest = sentences[0] if sentences else ""
        if not line:
            line = quoted.group(1) if quoted else (sentences[1] if len(sentences) > 1 else "")
    rest = _without_invitation(_clean(rest), invitation)
    problems = []
    if not rest:
        problems.append("no TRY line")
    if not _clean(line):
        problems.append("no SAY line")
    if problems:
        return Reading(None, problems)
    if rest[0].isupper() and rest[1:2].islower():  # "Reflecting ..." continues the sentence
        rest = rest[0].lower() + rest[1:]
    suggestion = f"{invitation} {rest}"
    return Reading(GrowthArea(suggestion=suggestion, alternative_line=_clean(line)))


def _without_invitation(text: str, invitation: str) -> str:
    """The rest of "One thing you could try next time is ..." when the model repeated it."""
    words = re.escape(invitation).replace(r"\ ", r"[\s,]+")
    return re.sub(rf"^{words}[\s,:]*", "", text, flags=re.IGNORECASE).strip()


def read_ratings(text: str, criteria: list[str]) -> Reading:
    """``<n>. <rating 1-5> - <evidence>`` per criterion; lines without a number are taken in
    order; a rating outside 1-5 is missing."""
    numbered = _numbered(text)
    if not numbered:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        numbered = dict(enumerate(lines[: len(criteria)], 1))
    ratings: dict[int, CriterionRating] = {}
    for number, criterion in enumerate(criteria, 1):
        match = _RATING.match(numbered.get(number, "").strip())
        if match:
            evidence = _clean(match.group(2)) or "-"
            ratings[number] = CriterionRating(
                criterion=criterion, rating=int(match.group(1)), evidence=evidence
            )
    missing = [n for n in range(1, len(criteria) + 1) if n not in ratings]
    return Reading(ratings, [f"no rating 1-5 for criterion {n}" for n in missing])


def read_perspective(text: str) -> Reading:
    """``FELT: ...`` and ``LANDED: ...``; without labels, the first two sentences."""
    found = _labelled(text)
    felt, landed = _first(found, _FELT), _first(found, _LANDED)
    if not felt and not landed:
        sentences = [s for s in _sentences(text) if not _LABELLED.match(s)]
        felt = sentences[0] if sentences else ""
        landed = sentences[1] if len(sentences) > 1 else ""
    if not felt:
        return Reading(None, ["no FELT line"])
    return Reading(CounterpartPerspective(how_they_felt=_clean(felt), what_landed=_clean(landed)))


def read(section: str, text: str, items: list[str], invitation: str) -> Reading:
    """Read one section's answer (``items``: the quotes or criteria it covers)."""
    if section == "strengths":
        return read_whys(text, len(items))
    if section == "growth":
        return read_growth(text, invitation)
    if section == "ratings":
        return read_ratings(text, items)
    return read_perspective(text)


def complete(section: str, text: str, items: list[str], invitation: str) -> bool:
    """True once the lines ended so far hold everything the section asks for, so the rest of
    the answer (a small model goes on and on) need not be generated."""
    if "\n" not in text:
        return False
    ended = text[: text.rindex("\n")]
    if section in ("growth", "perspective"):
        found = _labelled(ended)
        names = (_TRY, _SAY) if section == "growth" else (_FELT, _LANDED)
        return all(_first(found, name) for name in names)
    if not _numbered(ended):
        return False
    return not read(section, ended, items, invitation).problems


def token_cap(section: str, items: int) -> int:
    """``num_predict`` for one section's request (``items``: quotes or criteria asked for)."""
    if section == "strengths":
        return WHY_TOKENS * max(items, 1) + 10
    if section == "ratings":
        return RATING_TOKENS * max(items, 1) + 10
    return GROWTH_TOKENS if section == "growth" else PERSPECTIVE_TOKENS
