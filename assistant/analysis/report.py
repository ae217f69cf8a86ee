"""The analysis of a real conversation: your lines labelled, counted against the MITI
thresholds Practice coaching uses, and a verdict. Computed by rules; no model is asked.

Feedback moves (a concrete observation, an I-statement, blame, ...) come from a labeller
passed in (``labels_of(text, lang) -> list[str]``), so another labeller can be plugged in
without touching this module; without one, a line carries its skill labels only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant import skills
from assistant.analysis.transcript import Transcript
from assistant.skill_rules import ADVICE
from assistant.skills import SkillCounts, Unit

LabelsOf = Callable[[str, str], list[str]]
# The label of a line's advice that the other speaker had just asked for (a count of its own).
REQUESTED_ADVICE = "requested_advice"


def no_moves(text: str, lang: str) -> list[str]:
    """The labeller used until a feedback-move labeller is passed in: no moves."""
    return []


@dataclass(frozen=True)
class AnalysedLine:
    """One line of the conversation; your lines carry their labels and units."""

    speaker: str
    text: str
    mine: bool
    labels: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    # The other speaker had just asked for advice (advice then is not counted as unasked).
    asked_for_advice: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a line: speaker, text, labels (and its units when yours)."""
        data: dict[str, Any] = {"speaker": self.speaker, "text": self.text, "labels": self.labels}
        if self.mine:
            data["units"] = [u.to_dict() for u in self.units]
            data["asked_for_advice"] = self.asked_for_advice
        return data


@dataclass(frozen=True)
class ConversationAnalysis:
    """What a real conversation shows about your listening."""

    me: str
    others: list[str]
    lang: str
    lines: list[AnalysedLine]
    counts: SkillCounts
    moves: dict[str, int]
    verdict: str

    @property
    def units(self) -> list[Unit]:
        """Every unit of your lines, numbered by your line."""
        return [unit for line in self.lines if line.mine for unit in line.units]

    @property
    def mine(self) -> list[AnalysedLine]:
        """Your lines."""
        return [line for line in self.lines if line.mine]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape ``coach analyse --json`` prints and the session keeps."""
        measured = self.counts.to_dict()
        return {
            "me": self.me,
            "others": self.others,
            "lang": self.lang,
            "counts": measured["counts"],
            "moves": self.moves,
            "metrics": measured["metrics"],
            "miti": measured["miti"],
            "lines": [line.to_dict() for line in self.lines],
            "verdict": self.verdict,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationAnalysis:
        """An analysis as ``to_dict`` wrote it (a stored session's)."""
        metrics = data["metrics"]
        counts = SkillCounts(
            **data["counts"],
            coach_words=metrics["coach_words"],
            other_party_words=metrics["other_party_words"],
        )
        lines = [
            AnalysedLine(
                speaker=line["speaker"],
                text=line["text"],
                mine=line["speaker"] == data["me"],
                labels=list(line["labels"]),
                units=[Unit(u["text"], u["label"], u["line"]) for u in line.get("units", [])],
                asked_for_advice=bool(line.get("asked_for_advice")),
            )
            for line in data["lines"]
        ]
        return cls(
            me=data["me"],
            others=list(data["others"]),
            lang=data["lang"],
            lines=lines,
            counts=counts,
            moves=dict(data["moves"]),
            verdict=data["verdict"],
        )


def analyse_conversation(
    transcript: Transcript, me: str, labels_of: LabelsOf = no_moves
) -> ConversationAnalysis:
    """Label your lines and count them the way Practice coaching counts a session: each line
    split into units, advice right after a request for it counted apart, the others' words
    giving your talk share. ``me`` must be one of the transcript's speakers."""
    me = transcript.speaker_named(me)
    lang = transcript.lang
    lines: list[AnalysedLine] = []
    mine: list[str] = []
    asked: list[bool] = []
    other_words = 0
    previous_other = ""
    moves: dict[str, int] = {}
    for line in transcript.lines:
        if line.speaker != me:
            other_words += skills.count_words(line.text)
            previous_other = line.text
            lines.append(AnalysedLine(line.speaker, line.text, mine=False))
            continue
        mine.append(line.text)
        asked.append(skills.advice_requested(previous_other, lang))
        units = skills.classify(line.text, lang, first_line=len(mine))
        found_moves = list(labels_of(line.text, lang))
        for move in found_moves:
            moves[move] = moves.get(move, 0) + 1
        # Advice right after a request for it is counted apart; its label says so.
        skill_labels = [
            REQUESTED_ADVICE if u.label == ADVICE and asked[-1] else u.label for u in units
        ]
        labels = list(dict.fromkeys(skill_labels + found_moves))
        lines.append(AnalysedLine(line.speaker, line.text, True, labels, units, asked[-1]))
    counts = skills.count_skills(mine, lang, other_party_words=other_words, advice_requested=asked)
    return ConversationAnalysis(
        me=me,
        others=transcript.others(me),
        lang=lang,
        lines=lines,
        counts=counts,
        moves=moves,
        verdict=skills.verdict(counts, lang),
    )
