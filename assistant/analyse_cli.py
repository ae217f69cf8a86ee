"""`coach analyse FILE`: label and count your lines in a real conversation, on this machine.

The conversation is kept with your other sessions (History lists and deletes it) unless
``--no-keep`` is given. ``--json`` prints the analysis as one JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from assistant.analysis import (
    ConversationAnalyser,
    TranscriptError,
    conversation_debrief,
    parse_transcript,
    read_transcript_file,
)
from assistant.analysis.debrief import render_debrief_text
from assistant.analysis.report import ConversationAnalysis
from assistant.config import Settings
from assistant.i18n import t
from assistant.knowledge.uploads import guess_language
from assistant.store import Store
from assistant.users_cli import USER_HELP, cli_user_id


def render_analysis_text(analysis: ConversationAnalysis) -> str:
    """The analysis for a terminal: each of your lines with its labels, then the verdict."""
    lang = analysis.lang
    out = [t(lang, "analyse_lines_title")]
    for line in analysis.lines:
        if line.mine:
            names = ", ".join(t(lang, "label_" + label) for label in line.labels if _known(label))
            moves = [label for label in line.labels if not _known(label)]
            shown = names + (" + " + ", ".join(moves) if moves else "")
            out.append(f"  {line.speaker}: {line.text}\n      [{shown}]")
        else:
            out.append(f"  {line.speaker}: {line.text}")
    out.append("")
    out.append(analysis.verdict)
    return "\n".join(out)


def _known(label: str) -> bool:
    try:
        t("en", "label_" + label)
    except KeyError:
        return False
    return True


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add ``analyse`` to ``app``; settings are loaded only when the command runs."""

    @app.command("analyse")
    def analyse(
        file: Annotated[Path, typer.Argument(help="A .txt or .md file, one 'Name: text' a line.")],
        me: Annotated[
            str | None, typer.Option("--me", help="Which speaker is you (default: the first).")
        ] = None,
        lang: Annotated[
            str | None, typer.Option(help="da or en (default: guessed from the text).")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the analysis as JSON.")
        ] = False,
        keep: Annotated[
            bool, typer.Option("--keep/--no-keep", help="Keep it in your History (default).")
        ] = True,
        user: Annotated[str | None, typer.Option("--user", help=USER_HELP)] = None,
    ) -> None:
        """Analyse a real conversation: your lines labelled and counted against MITI."""
        if lang is not None and lang not in ("da", "en"):
            typer.echo("--lang must be da or en.", err=True)
            raise typer.Exit(2)
        settings = load_settings()
        limit = settings.max_message_chars
        shown_lang = lang or settings.language
        try:
            text = read_transcript_file(file, limit)
            if lang is None:
                guessed = guess_language(text)
                lang = guessed if guessed in ("da", "en") else settings.language
            shown_lang = lang
            transcript = parse_transcript(text, lang, limit)
            speaker = transcript.speaker_named(me) if me else transcript.speakers[0]
        except TranscriptError as exc:
            typer.echo(exc.message(shown_lang), err=True)
            raise typer.Exit(1) from exc
        except OSError as exc:
            typer.echo(f"Cannot read {file}: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from exc
        if me is None:
            typer.echo(f"(--me {speaker})", err=True)
        store = Store(settings.database_path)
        analyser = ConversationAnalyser(store, limit)
        if keep:
            store.migrate()
            stored = analyser.analyse(cli_user_id(store, user), text, lang, speaker)
            analysis = stored.analysis
            typer.echo(t(lang, "analyse_stored", id=stored.session.id), err=True)
        else:
            analysis = analyser.analyse_only(transcript, speaker)
        debrief = conversation_debrief(analysis)
        if as_json:
            data = {**analysis.to_dict(), "debrief": debrief.to_dict()}
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        typer.echo(render_analysis_text(analysis))
        typer.echo("")
        typer.echo(render_debrief_text(debrief, lang))
