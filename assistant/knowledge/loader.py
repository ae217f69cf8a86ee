"""Read the knowledge library: Markdown files with YAML front matter -> entries and section chunks.

A file that cannot be used (bad YAML, missing field, unknown kind, not UTF-8, a second file with
the same (id, lang)) becomes a :class:`LoadProblem` naming the file and line; the rest still loads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS = (
    "strategy",
    "activity",
    "session-flow",
    "example",
    "framework",
    "question-bank",
    "scenario",
)
LANGS = ("da", "en")
REQUIRED_FIELDS = ("id", "lang", "kind", "title")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_TITLE_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^(```|~~~)")
# Size limits: the largest built-in file is ~24 KB, its longest title ~70 characters.
MAX_FILE_BYTES = 256 * 1024
MAX_TITLE_CHARS = 200
MAX_FIELD_CHARS = 5000
# The same safe loader, in C when PyYAML was built with libyaml (yaml.__with_libyaml__).
_FAST_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LoadProblem:
    """A file that was skipped, with the line that explains why."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Section:
    """One ``## heading`` of an entry and the text under it."""

    heading: str
    text: str
    line: int


@dataclass(frozen=True)
class Entry:
    """One knowledge file: its front matter (kind-specific fields too) and its sections."""

    id: str
    lang: str
    kind: str
    title: str
    tags: tuple[str, ...]
    summary: str
    front_matter: dict[str, Any]
    sections: tuple[Section, ...]
    path: Path
    file_hash: str

    @property
    def body(self) -> str:
        """The Markdown body rebuilt from the sections (without front matter)."""
        parts = [f"# {self.title}"]
        parts += [f"## {s.heading}\n{s.text}" if s.heading else s.text for s in self.sections]
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Chunk:
    """One retrievable section of an entry, with the entry's identity and a content hash."""

    chunk_id: str
    id: str
    lang: str
    kind: str
    title: str
    section: str
    text: str
    content_hash: str
    tags: tuple[str, ...] = field(default=())
    summary: str = ""

    @property
    def embedding_text(self) -> str:
        """What the dense model sees: the heading path gives a short section its context."""
        return f"{self.title}. {self.section}.\n{self.text}"

    @property
    def lexical_text(self) -> str:
        """What the lexical ranker sees: heading path, tags and summary help short queries."""
        return " ".join([self.title, self.section, " ".join(self.tags), self.summary, self.text])


class _Skip(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def file_hash(data: bytes) -> str:
    """The sha256 hex digest used to notice changed files."""
    return hashlib.sha256(data).hexdigest()


def is_library_file(path: Path) -> bool:
    """True for knowledge Markdown files; upper-case names (README.md, FORMAT.md) are docs."""
    return path.suffix == ".md" and not path.stem.isupper()


def library_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their Markdown files (recursively), sorted, without duplicates."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.is_file() and is_library_file(p))
        else:
            found.add(path)
    return sorted(found)


def load_entry(path: Path, data: bytes | None = None) -> Entry | LoadProblem:
    """Parse one file into an :class:`Entry`, or say (with a line number) why it was skipped."""
    try:
        raw = path.read_bytes() if data is None else data
    except OSError as exc:
        return LoadProblem(path, 1, f"cannot read file: {exc.strerror or exc}")
    try:
        return _parse(path, raw)
    except _Skip as skip:
        return LoadProblem(path, skip.line, skip.message)


def load_entries(paths: Path | Iterable[Path]) -> tuple[list[Entry], list[LoadProblem]]:
    """Load every library file under ``paths`` (a directory, or files and directories).

    Returns the entries that loaded and the problems of those that did not. When two files share
    an (id, lang), the first in path order wins and the other is reported.
    """
    roots = [paths] if isinstance(paths, Path) else list(paths)
    entries: list[Entry] = []
    problems: list[LoadProblem] = []
    seen: dict[tuple[str, str], Entry] = {}
    for path in library_files(roots):
        result = load_entry(path)
        if isinstance(result, LoadProblem):
            problems.append(result)
            continue
        key = (result.id, result.lang)
        if key in seen:
            line = front_matter_line(path, "id")
            problems.append(
                LoadProblem(
                    path,
                    line,
                    f"duplicate (id, lang) ({result.id}, {result.lang}); "
                    f"already defined in {seen[key].path}",
                )
            )
            continue
        seen[key] = result
        entries.append(result)
    return entries, problems


def chunk_entry(entry: Entry) -> list[Chunk]:
    """Split an entry into one chunk per ``##`` section (text before the first section included)."""
    chunks: list[Chunk] = []
    for section in entry.sections:
        text = section.text.strip()
        if not text:
            continue
        heading = section.heading or entry.title
        digest = file_hash(f"{entry.id}\n{entry.lang}\n{heading}\n{text}".encode())
        chunks.append(
            Chunk(
                chunk_id=f"{entry.id}.{entry.lang}#{len(chunks)}",
                id=entry.id,
                lang=entry.lang,
                kind=entry.kind,
                title=entry.title,
                section=heading,
                text=text,
                content_hash=digest,
                tags=entry.tags,
                summary=entry.summary,
            )
        )
    return chunks


def _parse(path: Path, raw: bytes) -> Entry:
    if len(raw) > MAX_FILE_BYTES:
        size, limit = len(raw) // 1024, MAX_FILE_BYTES // 1024
        raise _Skip(1, f"file is {size} KB; a library file may be at most {limit} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise _Skip(line, message) from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise _Skip(1, "missing front matter: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise _Skip(1, "front matter is not closed by a '---' line") from None
    meta, key_lines = _read_front_matter("\n".join(lines[1:end]))
    _check_fields(meta, key_lines)
    _check_sizes(meta, key_lines)
    sections = _split_sections(lines[end + 1 :], first_line=end + 2)
    tags = meta.get("tags") or []
    if not isinstance(tags, list):
        raise _Skip(key_lines.get("tags", 1), "'tags' must be a list of strings")
    return Entry(
        id=meta["id"],
        lang=meta["lang"],
        kind=meta["kind"],
        title=str(meta["title"]).strip(),
        tags=tuple(str(t) for t in tags),
        summary=str(meta.get("summary") or "").strip(),
        front_matter=meta,
        sections=sections,
        path=path,
        file_hash=file_hash(raw),
    )


def _compose_and_load(source: str, loader_class: type[Any]) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for key lines) and the data built from that same tree."""
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _read_front_matter(source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse the YAML and remember the file line of each top-level key (front matter = line 2).

    Uses libyaml's C parser when PyYAML has it (about 10x faster: the whole library is read at
    app start). On a YAML error the file is parsed again by the pure-Python parser, whose
    messages and line numbers are the ones reported (libyaml's differ slightly).
    """
    try:
        try:
            node, meta = _compose_and_load(source, _FAST_LOADER)
        except yaml.YAMLError:
            node, meta = _compose_and_load(source, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        raise _Skip(line, f"invalid YAML in front matter: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise _Skip(1, f"invalid YAML in front matter: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode | type(None)):
        raise _Skip(2, "front matter must be a YAML mapping of field: value")
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return meta, key_lines


def _check_fields(meta: dict[str, Any], key_lines: dict[str, int]) -> None:
    """Check the required fields in order (id, lang, kind, title); the first problem wins."""
    allowed = {"lang": LANGS, "kind": KINDS}
    for name in REQUIRED_FIELDS:
        value = meta.get(name)
        line = key_lines.get(name, 1)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise _Skip(line, f"missing required field '{name}'")
        if name == "id" and not (isinstance(value, str) and _SLUG.match(value)):
            raise _Skip(line, f"id {value!r} is not a lower-case slug like 'sbi-feedback'")
        if name in allowed and value not in allowed[name]:
            raise _Skip(line, f"unknown {name} {value!r}; expected one of {allowed[name]}")


def _check_sizes(meta: dict[str, Any], key_lines: dict[str, int]) -> None:
    """Refuse huge front matter values (a title over ``MAX_TITLE_CHARS``, any other text field
    over ``MAX_FIELD_CHARS``), naming the field and its line."""
    for name, value in meta.items():
        limit = MAX_TITLE_CHARS if name == "title" else MAX_FIELD_CHARS
        if isinstance(value, str) and len(value) > limit:
            line = key_lines.get(str(name), 1)
            raise _Skip(line, f"field '{name}' has {len(value)} characters; the limit is {limit}")


def _split_sections(lines: list[str], first_line: int) -> tuple[Section, ...]:
    """Cut the body at ``##`` headings (ignoring fenced code); the ``#`` title line is dropped."""
    sections: list[Section] = []
    heading, start = "", first_line
    buffer: list[str] = []
    in_fence = False
    for offset, line in enumerate(lines):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        match = None if in_fence else _SECTION_HEADING.match(line)
        if match:
            sections.append(Section(heading, "\n".join(buffer).strip(), start))
            heading, start, buffer = match.group(1), first_line + offset, []
        elif not in_fence and not sections and not heading and _TITLE_HEADING.match(line):
            continue
        else:
            buffer.append(line)
    sections.append(Section(heading, "\n".join(buffer).strip(), start))
    return tuple(s for s in sections if s.text or s.heading)


def front_matter_line(path: Path, key: str) -> int:
    """The line of a top-level front matter key (1 when not found), for problem reports."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
