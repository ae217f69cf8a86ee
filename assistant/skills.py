"""Listening skills: label a coach's utterances and compute MITI-style counts and ratios.

The default classifier is a set of deterministic Danish/English rules (see
`assistant.skill_rules`); it is instant and needs no model. An optional `assist` callable can
re-decide the units the rules are unsure of; the counts never need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.skill_rules import (
    ADVICE,
    ADVICE_REQUEST,
    AFFIRMATION,
    CLOSED,
    COMPLEX,
    OPEN,
    OTHER,
    OUT_OF_ROLE,
    SIMPLE,
    VERDICT_TEXT,
    decide,
    normalise,
    split_with_lines,
)

Lang = Literal["da", "en"]
Level = Literal["below fair", "fair", "good"]

LABELS: tuple[str, ...] = (OPEN, CLOSED, SIMPLE, COMPLEX, ADVICE, AFFIRMATION, OTHER)
COARSE_LABELS: tuple[str, ...] = (OPEN, CLOSED, "reflection", ADVICE, AFFIRMATION, OTHER)
QUESTION_LABELS = frozenset({OPEN, CLOSED})

# MITI 4.2.1 summary-score thresholds.
RQ_FAIR, RQ_GOOD = 1, 2
CR_FAIR, CR_GOOD = 40, 50

# An assistant for ambiguous units: (unit text, lang) -> a label, or None to keep the rules'.
Assist = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Unit:
    """One sentence-level unit of an utterance, its label and its line (1-based)."""

    text: str
    label: str
    line: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a unit: line, text, label."""
        return {"line": self.line, "text": self.text, "label": self.label}


@dataclass
class SkillCounts:
    """Counts per label plus the MITI-style measures derived from them.

    `advice` counts unasked advice; advice given right after the other party asked for it is
    counted in `requested_advice` instead. `other_party_words` is None when unknown.
    """

    open_question: int = 0
    closed_question: int = 0
    reflection_simple: int = 0
    reflection_complex: int = 0
    advice: int = 0
    affirmation: int = 0
    other: int = 0
    requested_advice: int = 0
    coach_words: int = 0
    other_party_words: int | None = None

    @property
    def questions(self) -> int:
        """Open plus closed questions."""
        return self.open_question + self.closed_question

    @property
    def reflections(self) -> int:
        """Simple plus complex reflections."""
        return self.reflection_simple + self.reflection_complex

    @property
    def units(self) -> int:
        """All labelled units."""
        return (
            self.questions
            + self.reflections
            + self.advice
            + self.requested_advice
            + (self.affirmation + self.other)
        )

    @property
    def percent_open_questions(self) -> float | None:
        """Open questions as a percentage of all questions; None without questions."""
        return 100 * self.open_question / self.questions if self.questions else None

    @property
    def reflection_to_question_ratio(self) -> float | None:
        """Reflections per question; None when there are no questions."""
        return self.reflections / self.questions if self.questions else None

    @property
    def percent_complex_reflections(self) -> float | None:
        """Complex reflections as a percentage of all reflections; None without reflections."""
        return 100 * self.reflection_complex / self.reflections if self.reflections else None

    @property
    def talk_share(self) -> float | None:
        """The coach's words as a fraction (0-1) of all words; None when it cannot be known."""
        if self.other_party_words is None:
            return None
        total = self.coach_words + self.other_party_words
        return self.coach_words / total if total else None

    def miti_level(self) -> dict[str, Level | None]:
        """MITI 4 level per measure ("below fair", "fair", "good"); None when not measurable.

        Reflections with no questions at all count as "good" for the ratio (it is unbounded).
        """
        rq: Level | None
        if not self.questions:
            rq = "good" if self.reflections else None
        else:
            rq = _level(self.reflections, self.questions, RQ_FAIR, RQ_GOOD)
        cr = (
            _level(100 * self.reflection_complex, self.reflections, CR_FAIR, CR_GOOD)
            if self.reflections
            else None
        )
        return {"reflection_to_question_ratio": rq, "percent_complex_reflections": cr}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts, metrics and MITI levels."""
        return {
            "counts": {name: getattr(self, name) for name in (*LABELS, "requested_advice")},
            "metrics": {
                "units": self.units,
                "questions": self.questions,
                "reflections": self.reflections,
                "percent_open_questions": _round(self.percent_open_questions, 1),
                "reflection_to_question_ratio": _round(self.reflection_to_question_ratio, 2),
                "percent_complex_reflections": _round(self.percent_complex_reflections, 1),
                "talk_share": _round(self.talk_share, 3),
                "coach_words": self.coach_words,
                "other_party_words": self.other_party_words,
            },
            "miti": self.miti_level(),
        }


def _level(numerator: int, denominator: int, fair: int, good: int) -> Level:
    # Integer comparison, so 2 of 5 reflections is exactly 40 % and meets "fair".
    if numerator >= good * denominator:
        return "good"
    return "fair" if numerator >= fair * denominator else "below fair"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- splitting -----------------------------------------------------------------------------


def split_units(text: str) -> list[str]:
    """Split an utterance into sentence-level units.

    Rule: a unit ends at a newline, at "?" or "!", and at "." unless the word before it is a
    known abbreviation ("e.g.", "etc.", "fx", "f.eks.", "bl.a.", "dvs.") or a single letter;
    an ellipsis ends a unit only when a capital letter follows. Commas never split, so a tag
    question ("So you've been busy, right?", "..., ikke?") stays one unit, and a bare tag
    written as its own sentence ("You've been busy. Right?") is joined to the sentence before
    it. A full question after a statement ("Is that right?") stays its own unit. Pieces with no
    letters or digits are dropped.
    """
    return [unit for _, unit in split_with_lines(text)]


# --- classifying ---------------------------------------------------------------------------


def classify_unit(text: str, lang: str) -> str:
    """Label one sentence-level unit with the deterministic rules."""
    return decide(text, lang).label


def classify(
    text: str, lang: str, *, first_line: int = 1, assist: Assist | None = None
) -> list[Unit]:
    """Split `text` into units and label each; lines count from `first_line`.

    `assist` (off by default) is asked only about units the rules are unsure of; an answer that
    is not one of LABELS is ignored.
    """
    units = []
    for offset, piece in split_with_lines(text):
        decision = decide(piece, lang)
        label = decision.label
        if assist is not None and not decision.confident:
            suggestion = assist(piece, lang)
            if suggestion in LABELS:
                label = suggestion
        units.append(Unit(piece, label, first_line + offset))
    return units


def count_words(text: str) -> int:
    """Words in `text` (letters/digits, contractions count once)."""
    return len(re.findall(r"\w+(?:['\u2019]\w+)*", text))


def count_units(
    units: Iterable[Unit],
    *,
    coach_words: int = 0,
    other_party_words: int | None = None,
    advice_requested_lines: Iterable[int] = (),
) -> SkillCounts:
    """Tally labelled units; advice on `advice_requested_lines` counts as requested advice."""
    requested = set(advice_requested_lines)
    counts = SkillCounts(coach_words=coach_words, other_party_words=other_party_words)
    for unit in units:
        if unit.label == ADVICE and unit.line in requested:
            counts.requested_advice += 1
        elif unit.label in LABELS:
            setattr(counts, unit.label, getattr(counts, unit.label) + 1)
    return counts


def count_skills(
    coach_lines: list[str],
    lang: str,
    other_party_words: int | None = None,
    advice_requested: Sequence[bool] | None = None,
) -> SkillCounts:
    """Counts and ratios for a coach's lines.

    Args:
        coach_lines: one utterance per item (each may hold several sentences).
        lang: "da" or "en".
        other_party_words: the other party's word count, for talk share; None if unknown.
        advice_requested: per line, whether the other party had just asked for advice.
    """
    units: list[Unit] = []
    for number, line in enumerate(coach_lines, start=1):
        units.extend(classify(line, lang, first_line=number))
    flags = advice_requested or ()
    return count_units(
        units,
        coach_words=sum(count_words(line) for line in coach_lines),
        other_party_words=other_party_words,
        advice_requested_lines={i + 1 for i, asked in enumerate(flags) if asked},
    )


_DA_MARKERS = re.compile(r"[æøå]")
_DA_WORDS = {
    "og",
    "jeg",
    "du",
    "det",
    "er",
    "ikke",
    "at",
    "på",
    "med",
    "har",
    "en",
    "et",
    "som",
    "hvad",
    "hvordan",
    "hvorfor",
    "kan",
    "vil",
    "til",
    "om",
    "der",
    "mig",
    "dig",
    "så",
    "lyder",
    "af",
    "den",
    "var",
    "skal",
    "din",
    "dit",
    "men",
    "hun",
    "han",
    "fra",
    "også",
    "godt",
    "tak",
    "hej",
    "nej",
    "lidt",
    "mere",
    "hvornår",
    "nu",
    "bare",
    "meget",
    "noget",
}
_EN_WORDS = {
    "the",
    "you",
    "and",
    "is",
    "what",
    "how",
    "to",
    "it",
    "that",
    "of",
    "do",
    "have",
    "can",
    "about",
    "your",
    "are",
    "was",
    "this",
    "me",
    "my",
    "with",
    "be",
    "not",
    "tell",
    "more",
    "sounds",
    "why",
    "would",
    "should",
    "could",
    "thanks",
    "yes",
    "no",
    "it's",
    "you're",
    "i'm",
    "don't",
    "did",
    "we",
    "our",
    "were",
    "a",
    "an",
    "when",
    "where",
    "just",
    "really",
}


def detect_lang(text: str, default: Lang = "en") -> Lang:
    """Guess "da" or "en" from Danish letters and common words; `default` on a tie."""
    words = re.findall(r"[\w']+", normalise(text))
    da = sum(w in _DA_WORDS for w in words) + 2 * len(_DA_MARKERS.findall(text.lower()))
    en = sum(w in _EN_WORDS for w in words)
    if da == en:
        return default
    return "da" if da > en else "en"


# --- evaluation ----------------------------------------------------------------------------


def coarse_label(label: str) -> str:
    """Merge simple and complex reflections into "reflection"; other labels are unchanged."""
    return "reflection" if label in (SIMPLE, COMPLEX) else label


@dataclass
class LabelScores:
    """Per-label precision/recall/F1 and their macro average."""

    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    macro_f1: float = 0.0
    accuracy: float = 0.0


def score_labels(gold: Sequence[str], predicted: Sequence[str]) -> LabelScores:
    """Precision, recall and F1 per label (labels seen in gold or predictions), macro-F1."""
    labels = sorted(set(gold) | set(predicted))
    scores = LabelScores()
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.per_label[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": float(n_gold),
        }
    if labels:
        scores.macro_f1 = sum(s["f1"] for s in scores.per_label.values()) / len(labels)
        scores.accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return scores


# --- guards --------------------------------------------------------------------------------


@dataclass
class GuardResult:
    """The flags raised on a coach reply, and the labelled units they rest on."""

    flags: list[str]
    units: list[Unit]

    @property
    def ok(self) -> bool:
        """True when no flag was raised."""
        return not self.flags


def check_coach_reply(text: str, lang: str, advice_requested: bool) -> GuardResult:
    """Check a coach's reply for listening-skill slips.

    Flags: "unasked_advice" (advice units while advice was not requested), "stacked_questions"
    (more than one question unit), "closed_only" (it asks questions and none is open).
    """
    units = classify(text, lang)
    questions = [u for u in units if u.label in QUESTION_LABELS]
    flags = []
    if not advice_requested and any(u.label == ADVICE for u in units):
        flags.append("unasked_advice")
    if len(questions) > 1:
        flags.append("stacked_questions")
    if questions and all(u.label == CLOSED for u in questions):
        flags.append("closed_only")
    return GuardResult(flags, units)


def advice_requested(user_text: str, lang: str) -> bool:
    """Does the user explicitly ask for advice ("what should I do", "har du et råd", ...)?

    Both languages' phrasings are checked, whatever `lang` says, because people switch.
    """
    return ADVICE_REQUEST.search(normalise(user_text)) is not None


def out_of_role(text: str, lang: str) -> list[str]:
    """Reasons a role-play reply breaks character, as "kind: matched words"; [] when in role.

    Kinds: "ai_disclosure" ("as an AI", "som en sprogmodel"), "technique_feedback" (praise or
    coaching of the user's technique: "great question", "godt spurgt", "you should try asking")
    and "role_break" ("as your coach", "i rollespillet"). Both languages are checked.
    """
    norm = normalise(text)
    reasons = []
    for kind, pattern in OUT_OF_ROLE.items():
        for match in pattern.finditer(norm):
            reason = f"{kind}: {match.group(0)}"
            if reason not in reasons:
                reasons.append(reason)
    return reasons


# --- verdict -------------------------------------------------------------------------------


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text


def _pct(value: float, lang: str) -> str:
    return f"{value:.0f} %" if lang == "da" else f"{value:.0f}%"


def verdict(counts: SkillCounts, lang: str) -> str:
    """A plain-language summary of where the coach stands against the MITI 4 thresholds.

    Example: "Your reflection-to-question ratio is 0.6:1 — below the MITI 'fair' level ...".
    """
    lang = "da" if lang == "da" else "en"
    t = VERDICT_TEXT[lang]
    if counts.units == 0:
        return t["empty"]
    miti = counts.miti_level()
    lines = [
        t["summary"].format(
            open=counts.open_question,
            closed=counts.closed_question,
            refl=counts.reflections,
            complex=counts.reflection_complex,
            advice=counts.advice,
            affirm=counts.affirmation,
        )
    ]
    ratio, rq_level = counts.reflection_to_question_ratio, miti["reflection_to_question_ratio"]
    if ratio is not None and rq_level is not None:
        lines.append(
            t["rq"].format(value=_num(ratio, lang), where=t[rq_level], fair=RQ_FAIR, good=RQ_GOOD)
        )
    elif counts.reflections:
        lines.append(t["rq_noq"].format(refl=counts.reflections, good=RQ_GOOD))
    else:
        lines.append(t["rq_none"])
    share, cr_level = counts.percent_complex_reflections, miti["percent_complex_reflections"]
    if share is not None and cr_level is not None:
        lines.append(
            t["cr"].format(
                value=_pct(share, lang),
                where=t[cr_level],
                fair=_pct(CR_FAIR, lang),
                good=_pct(CR_GOOD, lang),
            )
        )
    else:
        lines.append(t["cr_none"])
    if counts.percent_open_questions is not None:
        lines.append(t["open"].format(value=_pct(counts.percent_open_questions, lang)))
    if counts.advice:
        times = t["once"] if counts.advice == 1 else t["times"].format(n=counts.advice)
        lines.append(t["advice"].format(times=times))
    if counts.talk_share is not None:
        hint = t["talk_high"] if counts.talk_share > 0.5 else t["talk_ok"]
        lines.append(t["talk"].format(value=_pct(100 * counts.talk_share, lang), hint=hint))
    return " ".join(lines)
