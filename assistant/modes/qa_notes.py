"""The presentation notes of a Q&A round: split into numbered sections the audience cites,
read from an uploaded file, and refused (never cut) when missing or too long."""

from __future__ import annotations

import re

from assistant.errors import CoachError
from assistant.knowledge.uploads import UploadError, extract_sections

MAX_NOTES_CHARS = 12_000
MAX_SECTIONS = 30
NOTES_TAG = "presentation-notes"

_CITATION = re.compile(r"\[\s*§\s*(\d+)\s*\]")
_HEADING = re.compile(r"^#{1,6}\s+\S")


def notes_too_long(length: int) -> CoachError:
    """The message for notes over the limit (they are refused, never cut)."""
    return CoachError(
        "notes_too_long",
        f"Your notes have {length:,} characters; the limit is {MAX_NOTES_CHARS:,}. Paste the "
        "part you will present.",
        f"Dine noter har {length:,} tegn; grænsen er {MAX_NOTES_CHARS:,}. Indsæt den del, du "
        "vil præsentere.".replace(",", "."),
    )


def no_notes_error() -> CoachError:
    """The message when the Q&A is started without notes."""
    return CoachError(
        "notes_missing",
        "Paste your presentation notes or upload a file first.",
        "Indsæt dine præsentationsnoter, eller upload en fil først.",
    )


def split_sections(notes: str) -> list[str]:
    """The notes as sections: a Markdown heading starts a section, else each paragraph (text
    between blank lines) is one. Past ``MAX_SECTIONS`` the rest joins the last section."""
    sections: list[list[str]] = []
    current: list[str] = []
    for line in notes.replace("\r\n", "\n").split("\n"):
        if _HEADING.match(line) or (not line.strip() and current and not _has_headings(notes)):
            if current:
                sections.append(current)
            current = [line] if line.strip() else []
            continue
        if line.strip() or current:
            current.append(line)
    if current:
        sections.append(current)
    texts = [text for text in ("\n".join(s).strip() for s in sections) if text]
    if len(texts) > MAX_SECTIONS:
        texts = [*texts[: MAX_SECTIONS - 1], "\n\n".join(texts[MAX_SECTIONS - 1 :])]
    return texts


def _has_headings(notes: str) -> bool:
    return any(_HEADING.match(line) for line in notes.splitlines())


def numbered_notes(sections: list[str]) -> str:
    """The sections as ``[§n] text`` blocks; tag-like text that could close the delimiters is
    defused so the notes always stay inside them."""
    defuse = re.compile(rf"<\s*/?\s*({NOTES_TAG}|turn-note)", re.IGNORECASE)
    return "\n\n".join(
        f"[§{n}] {defuse.sub(lambda m: '‹' + m.group(0)[1:], text)}"
        for n, text in enumerate(sections, 1)
    )


def notes_from_file(name: str, data: bytes) -> str:
    """An uploaded .md/.txt/.pdf as notes text (headings and PDF pages become sections).

    Uses the Knowledge uploads' limits and text extraction; raises ``CoachError`` with the
    upload's bilingual reason when the file is refused.
    """
    try:
        sections = extract_sections(name, data)
    except UploadError as exc:
        raise CoachError(f"upload_{exc.code}", exc.message("en"), exc.message("da")) from exc
    return "\n\n".join(f"# {label}\n{text}" if label else text for label, text in sections)


def cited_sections(text: str) -> list[int]:
    """The section numbers a reply cites, in order (``[§2]`` -> 2)."""
    return [int(n) for n in _CITATION.findall(text)]
