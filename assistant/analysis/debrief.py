"""The debrief of an analysed conversation, computed from its labels: your strongest lines
quoted, the line to try differently next time with a tip, and the strategies that fit.

``conversation_debrief`` is the one door the page and the CLI use, so a model-written or
streamed debrief can be put behind it later without touching either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant import i18n
from assistant.analysis.report import AnalysedLine, ConversationAnalysis
from assistant.i18n import t
from assistant.skill_rules import ADVICE, AFFIRMATION, CLOSED, COMPLEX, OPEN, SIMPLE

# What is worth quoting as a strength, best first.
_STRENGTHS = (COMPLEX, OPEN, SIMPLE, AFFIRMATION)
# What to try differently, most worth changing first.
_GROWTH = (ADVICE, CLOSED)
# The knowledge base's strategy (knowledge/strategies/<id>.<lang>.md) for each weakness.
STRATEGY_FOR = {
    ADVICE: "questions-not-advice",
    CLOSED: "active-listening",
    "few_reflections": "active-listening",
    "no_complex": "active-listening",
}


@dataclass(frozen=True)
class Quote:
    """One of your lines, quoted with what it counted as."""

    line: int
    text: str
    label: str


@dataclass(frozen=True)
class ConversationDebrief:
    """Strengths, what to try next time (with a tip) and the strategies to read."""

    strengths: list[Quote]
    growth: Quote | None
    tip: str
    strategies: list[str]
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the debrief."""

        def quote(q: Quote) -> dict[str, Any]:
            return {"line": q.line, "text": q.text, "label": q.label}

        return {
            "strengths": [quote(q) for q in self.strengths],
            "try_next_time": quote(self.growth) if self.growth else None,
            "tip": self.tip,
            "strategies": self.strategies,
            "verdict": self.verdict,
        }


def _first_with(lines: list[AnalysedLine], label: str) -> Quote | None:
    for number, line in enumerate(lines, start=1):
        if label == ADVICE and line.asked_for_advice:
            continue  # advice they asked for is not a thing to change
        for unit in line.units:
            if unit.label == label:
                return Quote(number, line.text, label)
    return None


def conversation_debrief(analysis: ConversationAnalysis) -> ConversationDebrief:
    """The computed debrief of an analysis (no model is asked)."""
    lang = analysis.lang
    mine = analysis.mine
    strengths: list[Quote] = []
    for label in _STRENGTHS:
        found = _first_with(mine, label)
        if found and all(found.line != q.line for q in strengths):
            strengths.append(found)
        if len(strengths) == 2:
            break
    counts = analysis.counts
    growth = next((q for label in _GROWTH if (q := _first_with(mine, label))), None)
    tips = i18n.strings_with_prefix(lang, "practice_tip_")
    needs: list[str] = []
    if growth is not None:
        needs.append(growth.label)
        tip = tips.get(growth.label, "")
    elif not counts.reflections:
        needs.append("few_reflections")
        tip = t(lang, "analyse_tip_reflect")
    elif not counts.reflection_complex:
        needs.append("no_complex")
        tip = t(lang, "analyse_tip_complex")
    else:
        tip = t(lang, "analyse_tip_keep")
    if counts.reflections < counts.questions and "few_reflections" not in needs:
        needs.append("few_reflections")
    strategies = list(dict.fromkeys(STRATEGY_FOR[need] for need in needs))
    return ConversationDebrief(strengths, growth, tip, strategies, analysis.verdict)


def strategy_title(strategy: str, lang: str) -> str:
    """A strategy's title with the knowledge file it comes from."""
    return f"{t(lang, 'analyse_strategy_' + strategy)} (strategies/{strategy})"


def render_debrief_text(debrief: ConversationDebrief, lang: str) -> str:
    """The debrief as plain text (the CLI prints it)."""
    out = [t(lang, "analyse_debrief_title")]
    if debrief.strengths:
        out.append(t(lang, "analyse_strengths"))
        for q in debrief.strengths:
            out.append(f'  - "{q.text}" ({t(lang, "label_" + q.label)})')
    if debrief.growth is not None:
        out.append(t(lang, "analyse_try_next"))
        out.append(f'  - "{debrief.growth.text}" ({t(lang, "label_" + debrief.growth.label)})')
    if debrief.tip:
        out.append(f"  {debrief.tip}")
    if debrief.strategies:
        named = [strategy_title(s, lang) for s in debrief.strategies]
        out.append(t(lang, "analyse_read_more") + " " + "; ".join(named))
    return "\n".join(out)
