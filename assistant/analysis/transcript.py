"""A real conversation as pasted or uploaded text: one speaker per line, ``Name: text``.

The parser refuses what it cannot read with a specific message in both languages (empty, too
long, binary, no speaker lines, only one speaker, the other language), before anything is
stored. Lines without a speaker continue the line above (a long turn wrapped over lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CoachError
from assistant.i18n import t
from assistant.knowledge.uploads import guess_language

# A conversation may be this many times the longest chat message (Settings.max_message_chars).
SIZE_FACTOR = 20
FILE_SUFFIXES = (".txt", ".md")
MAX_NAME_CHARS = 40

# "Anna: ...", "**Anna:** ...", "- Anna: ...", "> Anna: ...", "[10:02] Anna: ...",
# "Anna (manager): ...". A name is up to four words and starts with a letter.
_SPEAKER = re.compile(
    r"""^\s*(?:[-*>•]\s+)?                       # a list bullet or quote
        (?:\[?\(?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\]?\)?\s*[-–]?\s*)?   # a time stamp
        (?:\*\*|__)?
        (?P<name>[^\W\d_][\w.'’-]*(?:[ ][\w.'’-]+){0,3}?(?:\s*\([^()]{1,30}\))?)
        (?:\*\*|__)?\s*:\s*(?:(?:\*\*|__)\s*)?
        (?P<text>\S.*|)$""",
    re.VERBOSE,
)
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class TranscriptError(CoachError):
    """A conversation that cannot be analysed; nothing of it is stored."""


def refusal(code: str, **values: object) -> TranscriptError:
    """The refusal ``analyse_error_<code>`` in both languages."""
    key = f"analyse_error_{code}"
    return TranscriptError(code, t("en", key, **values), t("da", key, **values))


@dataclass(frozen=True)
class Line:
    """One speaker's turn in the conversation."""

    speaker: str
    text: str


@dataclass(frozen=True)
class Transcript:
    """The parsed conversation: its lines in order and its speakers by first appearance."""

    lines: tuple[Line, ...]
    lang: str

    @property
    def speakers(self) -> list[str]:
        """Each speaker once, in the order they first speak."""
        return list(dict.fromkeys(line.speaker for line in self.lines))

    def speaker_named(self, name: str) -> str:
        """The speaker called ``name`` (case and spaces ignored); raises when there is none."""
        wanted = " ".join(name.split()).casefold()
        for speaker in self.speakers:
            if speaker.casefold() == wanted:
                return speaker
        raise refusal("unknown_speaker", name=name, speakers=", ".join(self.speakers))

    def others(self, me: str) -> list[str]:
        """The speakers who are not ``me``, the one with the most words first."""
        words: dict[str, int] = {}
        for line in self.lines:
            if line.speaker != me:
                words[line.speaker] = words.get(line.speaker, 0) + len(line.text.split())
        return sorted(words, key=lambda name: -words[name])


def _speaker_line(raw: str) -> tuple[str, str] | None:
    match = _SPEAKER.match(raw)
    if match is None:
        return None
    name = " ".join(match.group("name").split()).strip(".")
    if not name or len(name) > MAX_NAME_CHARS or "://" in raw[: len(name) + 4]:
        return None
    return name, match.group("text").strip()


def parse_lines(text: str) -> list[Line]:
    """The speaker lines of ``text``; a line without a speaker continues the one above, and
    anything before the first speaker line (a heading, a date) is left out."""
    lines: list[Line] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        found = _speaker_line(raw)
        if found is not None:
            lines.append(Line(*found))
        elif lines:
            last = lines[-1]
            lines[-1] = Line(last.speaker, f"{last.text} {raw.strip()}".strip())
    return [line for line in lines if line.text]


def parse_transcript(text: str, lang: str, max_chars: int) -> Transcript:
    """Parse a conversation written in ``lang``; ``max_chars`` is the longest chat message
    (the conversation may be ``SIZE_FACTOR`` times that).

    Raises ``TranscriptError`` for empty, too long, binary or one-speaker text, text without
    ``Name: text`` lines, and a conversation in the other language.
    """
    limit = max_chars * SIZE_FACTOR
    if not text.strip():
        raise refusal("empty")
    if len(text) > limit:
        raise refusal("huge", chars=len(text), limit=limit)
    if _BINARY.search(text):
        raise refusal("binary")
    lines = parse_lines(text)
    if not lines:
        raise refusal("no_speakers")
    speakers = list(dict.fromkeys(line.speaker for line in lines))
    if len(speakers) < 2:
        raise refusal("one_speaker", speaker=speakers[0])
    written_in = guess_language(" ".join(line.text for line in lines))
    if written_in in ("da", "en") and written_in != lang:
        raise refusal(f"language_{lang if lang == 'da' else 'en'}")
    return Transcript(lines=tuple(lines), lang=lang)


def read_transcript_file(path: str | Path, max_chars: int) -> str:
    """The text of an uploaded .txt or .md file; raises ``TranscriptError`` for another kind
    of file, a binary one or one too large to be a conversation (checked before reading)."""
    file = Path(path)
    if file.suffix.lower() not in FILE_SUFFIXES:
        raise refusal("file_type", name=file.name)
    limit = max_chars * SIZE_FACTOR
    size = file.stat().st_size
    if size > limit * 4:  # UTF-8 needs at most 4 bytes a character
        raise refusal("huge", chars=size, limit=limit)
    data = file.read_bytes()
    if b"\x00" in data:
        raise refusal("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refusal("binary") from exc
    return text
