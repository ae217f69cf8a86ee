"""Numbers about one spoken answer in the Q&A practice: length, speaking time, directness.

"Direct" is a transparent rule of thumb, not a judgement of quality. The first sentence
(``skills.split_units``) of the answer counts as a direct answer when:

1. it is not a preamble: it does not open with a stock phrase such as "That's a great
   question", "Let me give some context", "Godt spørgsmål" or "Lad mig starte med"; and
2. it either opens with a direct form ("yes", "no", "ja", "nej", a number, "I don't know",
   "det ved jeg ikke") or shares at least one key content word with the question (words of
   four letters or more that are not common function words; matched on their first five
   letters, so "saving" matches "savings" and "omkostning" matches "omkostningerne").

The rule misses direct answers that use none of the question's words and counts an answer
that merely repeats a word of the question as direct. It is a prompt to look at your first
sentence, not a grade.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from assistant.skills import count_words, split_units

WORDS_PER_MINUTE = 140

PREAMBLES = {
    "en": (
        r"(that'?s|that is|what) an? (great|good|interesting|excellent|fair|important) question",
        r"(great|good|interesting|excellent|fair) question",
        r"thanks? (you )?for (the|that|your) question",
        r"let me (first )?(give|provide|start|begin|explain|set|take|go back)",
        r"(first|before i answer),? (let me|some|a bit of) ",
        r"to (give|provide) (you )?(some )?(context|background)",
        r"(so,? )?(well,? )?(it'?s|that'?s) (a|an) (complicated|complex|long|big) (story|topic)",
        r"i'?m glad you asked",
        r"as (i|we) (said|mentioned)",
    ),
    "da": (
        r"(det er et |et )?(godt|fint|spændende|interessant|relevant|vigtigt) spørgsmål",
        r"tak for (dit|det|spørgsmålet)",
        r"lad mig (lige |først )?(starte|begynde|give|forklare|sætte|gå)",
        r"(først|inden jeg svarer),? (vil jeg|lidt|en smule)",
        r"for at give (dig )?(lidt |noget )?(kontekst|baggrund)",
        r"(altså,? )?det er (en|et) (lang|kompliceret|stor)",
        r"som (jeg|vi) (sagde|nævnte)",
    ),
}
DIRECT_OPENERS = {
    "en": r"(yes|no|yeah|nope|correct|exactly|absolutely|definitely|i don'?t know|not yet)\b",
    "da": r"(ja|nej|jo|præcis|korrekt|absolut|bestemt|det ved jeg ikke|ikke endnu)\b",
}
_NUMBER = re.compile(r"^[~≈]?\s*[€$£]?\d")


def _word_list(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _word_list(
        """
    about above after again also been before being between both could does doing down during
    each from have having here into itself just more most much other over same should some
    such than that their them then there these they this those through under until very what
    when where which while will with would your yours will know think really
    alle andre bare blev blive efter eller også fordi have havde hele hvad hvem hvis hvor
    hvordan hvorfor hvornår ikke inden jeres kunne lige mange meget mere mest noget nogen
    når over sådan skal skulle selv siden sige some uden under være været ville være
        """
    )
)


@dataclass(frozen=True)
class AnswerMetrics:
    """Length, estimated speaking time and the directness rule's verdict for one answer."""

    words: int
    seconds: int
    direct_first_sentence: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The metrics as a JSON-ready dict."""
        return asdict(self)


def speaking_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Estimated seconds to say ``words`` words at ``wpm`` words per minute (rounded)."""
    return round(words * 60 / wpm)


def key_words(text: str) -> set[str]:
    """The question's content words as five-letter stems (see the module docstring)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return {w[:5] for w in words if len(w) >= 4 and w not in STOPWORDS}


def first_sentence(text: str) -> str:
    """The first sentence-level unit of ``text`` (empty when there is none)."""
    units = split_units(text)
    return units[0] if units else ""


def answer_metrics(answer: str, question: str, lang: str) -> AnswerMetrics:
    """Words, seconds at 140 words per minute and whether the first sentence answers directly.

    ``reason`` says in plain English which rule decided (see the module docstring).
    """
    lang = "da" if lang == "da" else "en"
    words = count_words(answer)
    first = first_sentence(answer)
    opening = first.lower().strip(" \"'“”‘’-–—")
    question = re.sub(r"\[\s*§\s*\d+\s*\]", " ", question)

    def result(direct: bool, reason: str) -> AnswerMetrics:
        return AnswerMetrics(words, speaking_seconds(words), direct, reason)

    if not opening:
        return result(False, "empty answer")
    for pattern in (*PREAMBLES[lang], *PREAMBLES["en" if lang == "da" else "da"]):
        if re.match(pattern, opening):
            return result(False, "the first sentence is a preamble")
    if re.match(DIRECT_OPENERS[lang], opening) or _NUMBER.match(opening):
        return result(True, "the first sentence opens with a direct answer")
    shared = sorted(key_words(first) & key_words(question))
    if shared:
        return result(True, f"the first sentence uses the question's words ({', '.join(shared)})")
    return result(False, "the first sentence shares no key word with the question")
