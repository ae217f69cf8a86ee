"""The text a reply check looks at: words, sentences, word n-grams, and loops while streaming."""

from __future__ import annotations

import re

from assistant.skill_rules import normalise

# A speaker label a small model puts in front of a line ("DANIEL:", "**Coach:**").
SPEAKER_LABEL = re.compile(r"^\s*\**\s*([A-ZÆØÅ][\wæøåÆØÅ .'-]{0,30}?)\s*\**\s*:\s*\**\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
_WORD = re.compile(r"[\wæøå]+(?:'[\wæøå]+)?")


def without_label(text: str) -> str:
    """The text without a leading speaker label ("DANIEL: ...")."""
    return SPEAKER_LABEL.sub("", text, count=1)


def words(text: str) -> list[str]:
    """The lower-cased words of a text (straight quotes, no punctuation)."""
    return _WORD.findall(normalise(text))


def sentences(text: str) -> list[str]:
    """The sentences of a text (split after . ! ? … and at line breaks), stripped, non-empty."""
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip() and words(p)]


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams of a token list (empty when it is shorter than n)."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def sentence_key(sentence: str) -> str:
    """A sentence as compared for repetition: its words only."""
    return " ".join(words(sentence))


# A loop is the same sentence three times, or the same run of words three times in a row.
LOOP_REPEATS = 3
_MIN_LOOP_WORDS = 3
_MAX_PERIOD = 40


def looping(text: str) -> bool:
    """True when a reply being streamed has started to loop (checked on every snapshot)."""
    counts: dict[str, int] = {}
    for sentence in sentences(text):
        key = sentence_key(sentence)
        if len(key.split()) < _MIN_LOOP_WORDS:
            continue
        counts[key] = counts.get(key, 0) + 1
        if counts[key] >= LOOP_REPEATS:
            return True
    tail = words(text[-2000:])
    return _periodic_tail(tail) is not None


def _periodic_tail(tokens: list[str]) -> int | None:
    """The period p when the last 3p words are one p-word run three times (None otherwise)."""
    for period in range(_MIN_LOOP_WORDS, min(_MAX_PERIOD, len(tokens) // LOOP_REPEATS) + 1):
        run = tokens[-period:]
        if all(
            tokens[-period * (k + 1) : len(tokens) - period * k] == run
            for k in range(1, LOOP_REPEATS)
        ):
            return period
    return None


def cut_loop(text: str) -> str:
    """The text up to the end of the first occurrence of the sentence it loops on (the text
    itself when it does not loop): what is kept of a reply stopped for looping."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in sentences(text):
        key = sentence_key(sentence)
        if key in seen and len(key.split()) >= _MIN_LOOP_WORDS:
            break
        seen.add(key)
        kept.append(sentence)
    result = " ".join(kept)
    tokens = words(result)
    period = _periodic_tail(tokens)
    if period is None:
        return result
    # A loop without sentence ends: keep the words before the repeats and the run once.
    keep = len(tokens) - period * (LOOP_REPEATS - 1)
    return " ".join(tokens[:keep])
