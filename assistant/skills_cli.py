"""The `coach skills` command: label one utterance, or count the coach's skills in a transcript.

Transcript formats (see docs/skills.md):
- plain text, one utterance per line, every line the coach's;
- the same with speaker prefixes `coach:` and `coachee:` (or `fokusperson:`); an unprefixed
  line continues the previous speaker, and lines before the first prefix are the coach's;
- the app's export JSON `{"turns": [{"role": ..., "text": ...}], "mode": ...}`, where the coach is
  the role given by `--coach-role` (default "user": in practice mode the user is the coach).
Blank lines and lines starting with "#" are skipped; line numbers are the file's own (for JSON,
the 1-based turn number).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.skills import (
    LABELS,
    Unit,
    advice_requested,
    classify,
    count_units,
    count_words,
    detect_lang,
    verdict,
)


class LangChoice(StrEnum):
    """Languages the classifier knows."""

    da = "da"
    en = "en"


@dataclass(frozen=True)
class Turn:
    """One turn of a transcript: its line (or turn) number, speaker and text."""

    line: int
    coach: bool
    text: str


@dataclass(frozen=True)
class Transcript:
    """A parsed transcript and the format it was read as ("plain", "prefixed" or "json")."""

    format: str
    turns: list[Turn]


_PREFIX = re.compile(r"^\s*(coach|coachee|fokusperson)\s*:\s*(.*)$", re.IGNORECASE)


class TranscriptError(ValueError):
    """The transcript file could not be read in any supported format."""


def parse_transcript(text: str, coach_role: str = "user", *, as_json: bool = False) -> Transcript:
    """Parse plain, prefixed or export-JSON transcript text into turns.

    Raises:
        TranscriptError: the JSON is malformed or has no list of turns.
    """
    if as_json or text.lstrip().startswith(("{", "[")):
        return _parse_json(text, coach_role)
    lines = text.splitlines()
    prefixed = any(_PREFIX.match(line) for line in lines)
    turns: list[Turn] = []
    coach = True
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PREFIX.match(line) if prefixed else None
        if match:
            coach = match.group(1).lower() == "coach"
            line = match.group(2)
            if not line.strip():
                continue
        turns.append(Turn(number, coach, line.strip()))
    return Transcript("prefixed" if prefixed else "plain", turns)


def _parse_json(text: str, coach_role: str) -> Transcript:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"not valid JSON: {exc}") from exc
    raw_turns = data.get("turns") if isinstance(data, dict) else data
    if not isinstance(raw_turns, list):
        raise TranscriptError('expected {"turns": [{"role": ..., "text": ...}, ...]}')
    turns = []
    for number, item in enumerate(raw_turns, start=1):
        if not isinstance(item, dict):
            raise TranscriptError(f"turn {number} is not an object")
        role = str(item.get("role", ""))
        content = item.get("text", item.get("content", ""))
        if role == "system" or not isinstance(content, str) or not content.strip():
            continue
        turns.append(Turn(number, role == coach_role, content.strip()))
    return Transcript("json", turns)


def _resolve_lang(lang: LangChoice | None, text: str) -> str:
    return lang.value if lang is not None else detect_lang(text)


def _echo_json(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _utterance_report(utterance: str, lang: LangChoice | None, as_json: bool) -> None:
    language = _resolve_lang(lang, utterance)
    units = classify(utterance, language)
    if as_json:
        _echo_json({"lang": language, "units": [u.to_dict() for u in units]})
        return
    width = max(len(label) for label in LABELS)
    for unit in units:
        typer.echo(f"{unit.label:<{width}}  {unit.text}")


def _file_report(path: Path, lang: LangChoice | None, as_json: bool, coach_role: str) -> None:
    try:
        transcript = parse_transcript(
            path.read_text(encoding="utf-8"), coach_role, as_json=path.suffix.lower() == ".json"
        )
    except (TranscriptError, UnicodeDecodeError) as exc:
        typer.echo(f"Could not read {path}: {exc}", err=True)
        raise typer.Exit(2) from exc
    coach_turns = [t for t in transcript.turns if t.coach]
    language = _resolve_lang(lang, " ".join(t.text for t in coach_turns))
    units: list[Unit] = []
    requested: set[int] = set()
    asked = False
    for turn in transcript.turns:
        if not turn.coach:
            asked = asked or advice_requested(turn.text, language)
            continue
        if asked:
            requested.add(turn.line)
        asked = False
        units.extend(classify(turn.text, language, first_line=turn.line))
    has_other_party = any(not t.coach for t in transcript.turns)
    counts = count_units(
        units,
        coach_words=sum(count_words(t.text) for t in coach_turns),
        other_party_words=(
            sum(count_words(t.text) for t in transcript.turns if not t.coach)
            if has_other_party
            else None
        ),
        advice_requested_lines=requested,
    )
    summary = verdict(counts, language)
    if as_json:
        _echo_json(
            {
                "file": str(path),
                "format": transcript.format,
                "lang": language,
                "coach_lines": len(coach_turns),
                **counts.to_dict(),
                "verdict": summary,
                "units": [u.to_dict() for u in units],
            }
        )
        return
    data = counts.to_dict()
    typer.echo(f"{path}: {len(coach_turns)} coach lines, {counts.units} units ({language})")
    for label, value in data["counts"].items():
        typer.echo(f"  {label:<19} {value}")
    metrics = data["metrics"]
    levels = data["miti"]
    typer.echo(f"  % open questions      {_show(metrics['percent_open_questions'], '%')}")
    typer.echo(
        f"  reflections:questions {_show(metrics['reflection_to_question_ratio'], ':1')}"
        f"  (MITI: {levels['reflection_to_question_ratio'] or 'n/a'}; fair 1:1, good 2:1)"
    )
    typer.echo(
        f"  % complex reflections {_show(metrics['percent_complex_reflections'], '%')}"
        f"  (MITI: {levels['percent_complex_reflections'] or 'n/a'}; fair 40%, good 50%)"
    )
    share = metrics["talk_share"]
    typer.echo(f"  talk share            {_show(None if share is None else 100 * share, '%')}")
    typer.echo(summary)


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == ":1":
        return f"{value:.2f}".rstrip("0").rstrip(".") + unit
    return f"{value:.0f}{unit}"


def skills(
    utterance: Annotated[
        str | None, typer.Argument(help="An utterance to label (omit when using --file).")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            exists=True,
            dir_okay=False,
            readable=True,
            help="A transcript: one utterance per line, coach:/coachee: lines, or export JSON.",
        ),
    ] = None,
    lang: Annotated[
        LangChoice | None, typer.Option("--lang", help="da or en (default: detected).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (see docs/skills.md).")
    ] = False,
    coach_role: Annotated[
        str, typer.Option("--coach-role", help="In export JSON, the role that is the coach.")
    ] = "user",
) -> None:
    """Label listening skills (open/closed questions, reflections, advice, affirmations)."""
    if (utterance is None) == (file is None):
        typer.echo("Give either an UTTERANCE or --file TRANSCRIPT.", err=True)
        raise typer.Exit(2)
    if file is not None:
        _file_report(file, lang, as_json, coach_role)
    else:
        _utterance_report(utterance or "", lang, as_json)


def register(app: typer.Typer) -> None:
    """Add the `skills` command to the `coach` app."""
    app.command("skills")(skills)
