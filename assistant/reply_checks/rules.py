"""One function per reply check; each returns its problem strings ([] when the reply passes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from assistant.reply_checks.phrases import (
    APP_TAGS,
    ASSISTANT_VOICE,
    COACHING_THE_USER,
    INSTRUCTION_PHRASES,
    REFUSAL,
)
from assistant.reply_checks.text import (
    SPEAKER_LABEL,
    ngrams,
    sentence_key,
    sentences,
    without_label,
    words,
)
from assistant.skill_rules import normalise
from assistant.skills import detect_lang

# Echo: word trigrams shared with a source. Six shared trigrams is about eight words copied in
# a row; a short quoted phrase ("the client noticed") stays well below.
ECHO_N = 3
ECHO_MIN_SHARED = 6
ECHO_REPLY_SHARE = 0.5  # half the reply is copied ...
ECHO_SOURCE_SHARE = 0.8  # ... or nearly all of the source is in it
ECHO_SHORT_SHARE = 0.8  # a short reply that is almost the same as the source
# Rambling: more sentences than the budget, or more words than budget x this.
WORDS_PER_SENTENCE = 22
# Wrong language: the share of words in sentences that read as the other language.
OTHER_LANGUAGE_SHARE = 0.5
MIN_WORDS_FOR_LANGUAGE = 4
# Instructions read back: word 4-grams shared with the app's own note of this request.
INSTRUCTION_N = 4
INSTRUCTION_MIN_SHARED = 3
# Reading the session's brief (its system prompt) out: about eight of its words in a row.
BRIEFING_MIN_SHARED = 5
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]")


def is_empty(reply: str) -> bool:
    """True when a reply has no words at all."""
    return not words(reply)


def echo(reply: str, user_text: str, earlier: Sequence[str] = ()) -> list[str]:
    """ "echo: user" when the reply copies the person's last message, "echo: own" when it
    copies one of the speaker's own earlier replies; a short quoted phrase is fine."""
    tokens = words(without_label(reply))
    mine = ngrams(tokens, ECHO_N)
    if not mine:
        return []
    sources = [("user", user_text), *(("own", text) for text in earlier)]
    for name, source in sources:
        theirs = ngrams(words(without_label(source)), ECHO_N)
        if not theirs:
            continue
        shared = len(mine & theirs)
        long_copy = shared >= ECHO_MIN_SHARED and (
            shared / len(mine) >= ECHO_REPLY_SHARE or shared / len(theirs) >= ECHO_SOURCE_SHARE
        )
        # A short reply that is all but the same as the source ("I know it was late." after
        # an opening that ends so is a phrase taken up, not an echo).
        short_copy = (
            shared >= 2
            and shared / len(mine) >= ECHO_SHORT_SHARE
            and shared / len(theirs) >= ECHO_SHORT_SHARE
        )
        if long_copy or short_copy:
            return [f"echo: {name}"]
    return []


def assistant_voice(reply: str) -> list[str]:
    """ "assistant_voice: <phrase>" for a helpful assistant's stock phrase inside a persona."""
    return _matches("assistant_voice", ASSISTANT_VOICE, reply)


def refusal(reply: str) -> list[str]:
    """ "refusal: <phrase>" for a model's stock refusal ("I'm sorry, but I can't assist with
    that."), which no speaker in a practice conversation would say."""
    return _matches("refusal", REFUSAL, reply)


def coaching_the_user(reply: str) -> list[str]:
    """ "coaching_user: <phrase>" when a persona coaches the person or speaks for them."""
    return _matches("coaching_user", COACHING_THE_USER, reply)


def too_long(reply: str, budget: int) -> list[str]:
    """ "too_long: N sentences" (or "N words") over the mode's sentence budget."""
    count = len(sentences(reply))
    if count > budget:
        return [f"too_long: {count} sentences"]
    total = len(words(reply))
    if total > budget * WORDS_PER_SENTENCE:
        return [f"too_long: {total} words"]
    return []


def repeated_sentence(reply: str) -> list[str]:
    """ "repeated_sentence: <start>" when a sentence of three words or more comes twice."""
    seen: set[str] = set()
    for sentence in sentences(reply):
        key = sentence_key(sentence)
        if len(key.split()) < 3:
            continue
        if key in seen:
            return [f"repeated_sentence: {' '.join(key.split()[:6])}"]
        seen.add(key)
    return []


def wrong_language(reply: str, lang: str) -> list[str]:
    """ "wrong_language: <code>" when most of the reply reads as the other language."""
    expected: Literal["da", "en"] = "da" if lang == "da" else "en"
    total = other = 0
    for sentence in sentences(reply):
        count = len(words(sentence))
        total += count
        if detect_lang(sentence, default=expected) != expected:
            other += count
    if total < MIN_WORDS_FOR_LANGUAGE or other / total <= OTHER_LANGUAGE_SHARE:
        return []
    return [f"wrong_language: {'en' if expected == 'da' else 'da'}"]


def instructions_read_back(reply: str, instructions: Sequence[str] = ()) -> list[str]:
    """ "instructions_read_back: <what>" when the reply repeats the app's own prompt text: a
    stage note, a reminder, a tag, or the note sent with this request."""
    problems = _matches("instructions_read_back", INSTRUCTION_PHRASES, reply)
    tag = APP_TAGS.search(reply)
    if tag:
        problems.append(f"instructions_read_back: {tag.group(0).lower()}")
    mine = ngrams(words(reply), INSTRUCTION_N)
    for instruction in instructions:
        # A quoted example in a note ("Sorry, let me stop you there.") is there to be used.
        unquoted = _QUOTED.sub(" ", instruction)
        shared = mine & ngrams(words(unquoted), INSTRUCTION_N)
        if len(shared) >= INSTRUCTION_MIN_SHARED:
            problems.append("instructions_read_back: note")
            break
    return problems


def briefing_read_back(reply: str, briefing: Sequence[str] = ()) -> list[str]:
    """ "instructions_read_back: brief" when the reply reads a run of the session's fixed
    instructions out (the persona's brief, the user's goal, a hidden concern in its words)."""
    mine = ngrams(words(reply), INSTRUCTION_N)
    for text in briefing:
        shared = mine & ngrams(words(_QUOTED.sub(" ", text)), INSTRUCTION_N)
        if len(shared) >= BRIEFING_MIN_SHARED:
            return ["instructions_read_back: brief"]
    return []


def hint_in_counterpart_voice(reply: str, counterpart: str) -> list[str]:
    """ "hint_voice: <name>" when a time-out hint is written as the counterpart ("DANIEL: I
    would try ...") instead of by a coach standing outside the role-play."""
    names = {n.lower() for n in (counterpart, *counterpart.split()[:1]) if n.strip()}
    if not names:
        return []
    for line in reply.splitlines():
        label = SPEAKER_LABEL.match(line)
        if label and label.group(1).strip().lower() in names:
            return [f"hint_voice: {label.group(1).strip()}"]
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    as_them = re.search(rf"\b(?:as|som) (?:{pattern}),? (?:i|jeg)\b", normalise(reply))
    return [f"hint_voice: {as_them.group(0)}"] if as_them else []


def _matches(kind: str, pattern: re.Pattern[str], reply: str) -> list[str]:
    found: list[str] = []
    for match in pattern.finditer(normalise(reply)):
        problem = f"{kind}: {match.group(0)}"
        if problem not in found:
            found.append(problem)
    return found
