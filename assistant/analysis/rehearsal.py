"""From an analysed conversation to a Rehearse scenario: the builder's two plain-words boxes
filled from it, so the scenario builder drafts a rehearsal with the other speaker as the
counterpart (and the person can edit every field before saving)."""

from __future__ import annotations

from assistant.analysis.report import ConversationAnalysis
from assistant.i18n import t
from assistant.scenario_builder import MAX_DESCRIPTION_CHARS

# Room left in the builder's description for its own headings and the counterpart box.
_SITUATION_CHARS = MAX_DESCRIPTION_CHARS * 2 // 3
_COUNTERPART_CHARS = MAX_DESCRIPTION_CHARS // 4


def _excerpt(lines: list[str], limit: int, more: str) -> str:
    """As many whole lines as fit in ``limit`` characters, saying when some were left out."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > limit - len(more) - 1:
            return "\n".join([*kept, more])
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def scenario_words(analysis: ConversationAnalysis) -> tuple[str, str]:
    """The builder's situation and counterpart words for rehearsing this conversation again;
    the other speaker with the most words becomes the counterpart."""
    lang = analysis.lang
    other = analysis.others[0] if analysis.others else ""
    more = t(lang, "analyse_excerpt_more")
    spoken = [f"{line.speaker}: {line.text}" for line in analysis.lines]
    situation = "\n".join(
        [
            t(lang, "analyse_situation_intro", me=analysis.me, other=other),
            _excerpt(spoken, _SITUATION_CHARS, more),
        ]
    )
    theirs = [line.text for line in analysis.lines if line.speaker == other]
    counterpart = "\n".join(
        [
            t(lang, "analyse_counterpart_intro", other=other),
            _excerpt([f"- {text}" for text in theirs], _COUNTERPART_CHARS, more),
        ]
    )
    return situation, counterpart
