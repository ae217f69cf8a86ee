"""`coach practice`: the same rehearsal as the Rehearse tab, in the terminal.

Lines are read from stdin (a terminal or a pipe); replies stream to stdout. Commands: /hint
[question], /switch, /rewind N, /debrief, /end.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Generator, Iterator
from typing import Annotated, Any, cast

import typer

from assistant import i18n
from assistant.config import Settings
from assistant.debrief import DebriefDraft
from assistant.debrief.sections import SECTIONS
from assistant.errors import CoachError
from assistant.feedback import DebriefResult, render_section_text
from assistant.modes.rehearse import Rehearse
from assistant.scenarios import DIFFICULTIES
from assistant.store import Session
from assistant.turn_labels import labels_text, session_labels
from assistant.users_cli import USER_HELP, cli_user_id


def stream_out(snapshots: Iterator[str], speaker: str, lang: str = "en") -> None:
    """Echo growing snapshots as they arrive. A reply written again (the first attempt failed
    the app's reply checks) starts on a fresh line marked so, as do a reply cut back to its
    last full sentence at its token cap and a first attempt kept because the second was no
    better: none reads as the same thing said twice. A shorter snapshot is a cut only when
    nothing follows it; followed by more, it was a new attempt beginning like the last."""
    typer.echo(f"{speaker}: ", nl=False)
    shown, shorter = "", None
    attempts: list[str] = []

    def again(why: str, text: str) -> None:
        typer.echo("")
        typer.echo(f"{speaker} ({i18n.t(lang, why)}): {text}", nl=False)

    for snapshot in snapshots:
        if shorter is None and snapshot.startswith(shown):
            typer.echo(snapshot[len(shown) :], nl=False)
        elif shorter is None and shown.startswith(snapshot):
            shorter = snapshot  # cut at the cap, or the start of a new attempt: see what follows
            continue
        else:
            attempts.append(shown)
            again("practice_cli_kept" if snapshot in attempts else "practice_cli_again", snapshot)
            shorter = None
        sys.stdout.flush()
        shown = snapshot
    if shorter is not None:
        again("practice_cli_cut", shorter)
    typer.echo("")


def print_debrief(
    drafts: Generator[DebriefDraft, None, DebriefResult | None], lang: str, person: str
) -> DebriefResult | None:
    """Print each section of a debrief the moment it is written (the measured counts first,
    before the model has written a word); returns the finished debrief."""
    printed: list[str] = []
    result: DebriefResult | None = None
    try:
        for draft in drafts:
            debrief = draft.result.debrief
            if debrief is not None and not printed:
                typer.echo("")
                notes = [*debrief.facts, *debrief.model_notes]
                typer.echo("\n".join(f"({note})" for note in notes))
                printed.append("facts")
            for section in SECTIONS:
                if section not in draft.pending and section not in printed:
                    typer.echo(render_section_text(draft.result, section, lang, person))
                    sys.stdout.flush()
                    printed.append(section)
            if draft.done:
                result = draft.result
    finally:
        drafts.close()
    if result is not None and result.passages:
        titles = ", ".join(p.title for p in result.passages)
        typer.echo(f"{i18n.t(lang, 'debrief_label_knowledge')}: {titles}")
    return result


def run_practice(
    mode: Rehearse,
    session: Session,
    lines: Iterator[str],
    json_debrief: bool,
    show_labels: bool = True,
) -> int:
    """Play one rehearsal from input lines; returns the exit code. With ``show_labels`` each
    of your lines is followed by its live labels (``assistant.turn_labels``)."""
    scenario = mode.scenario(session)
    person = scenario.counterpart.name.upper()
    you = "DIG" if session.lang == "da" else "YOU"
    commands = i18n.t(session.lang, "practice_cli_commands")
    typer.echo(f"# {scenario.title}\n{scenario.situation}\n{commands}\n")
    typer.echo(f"{person}: {scenario.opening_line}")
    result: DebriefResult | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        command, _, rest = line.partition(" ")
        try:
            if command == "/end":
                break
            if command == "/debrief":
                if json_debrief:
                    result = mode.debrief(session)
                else:
                    result = print_debrief(
                        mode.debrief_stream(session), session.lang, scenario.counterpart.name
                    )
                break
            if command == "/hint":
                stream_out(mode.time_out(session, rest), "COACH", session.lang)
            elif command == "/switch":
                switched = not mode.is_switched(session)
                speaker = you if switched else person
                stream_out(mode.switch_roles(session), speaker, session.lang)
            elif command == "/rewind":
                yours = mode.your_lines(session)
                index = int(rest) if rest.strip().isdigit() else 0
                if not 1 <= index <= len(yours):
                    need = i18n.t(session.lang, "practice_cli_rewind_number", count=len(yours))
                    typer.echo(need, err=True)
                    continue
                old = mode.rewind(session, yours[index - 1].id)
                typer.echo(i18n.t(session.lang, "practice_cli_rewound", line=old))
            elif command.startswith("/"):
                typer.echo(commands, err=True)
            else:
                switched = mode.is_switched(session)
                speaker = you if switched else person
                stream_out(mode.respond(session, line), speaker, session.lang)
                if show_labels and not switched:
                    labelled = session_labels(mode.conversation.store, session).lines
                    if labelled:
                        typer.echo("  " + labels_text(labelled[-1].data, session.lang))
        except CoachError as exc:
            typer.echo(exc.message(session.lang), err=True)
            if exc.code not in ("empty_message", "message_too_long"):
                return 1
    if json_debrief and result is None:
        try:
            result = mode.debrief(session)
        except CoachError as exc:
            typer.echo(exc.message(session.lang), err=True)
            return 1
    if result is not None and json_debrief:
        typer.echo(json.dumps(result.to_data(), ensure_ascii=False))
    return 0


def register(app: typer.Typer, load_settings: Callable[..., Settings]) -> None:
    """Add ``practice`` to ``app``; settings are loaded only when the command runs."""

    @app.command("practice")
    def practice(
        scenario: Annotated[str, typer.Option(help="Scenario id.")] = "missed-deadlines",
        difficulty: Annotated[
            str, typer.Option(help="cooperative, realistic or resistant.")
        ] = "realistic",
        lang: Annotated[
            str | None, typer.Option(help="da or en (default: COACH_LANGUAGE).")
        ] = None,
        json_debrief: Annotated[
            bool, typer.Option("--json-debrief", help="Print the debrief as JSON at the end.")
        ] = False,
        user: Annotated[str | None, typer.Option("--user", help=USER_HELP)] = None,
        labels: Annotated[
            bool | None,
            typer.Option("--labels/--no-labels", help="Print the labels of each of your lines."),
        ] = None,
    ) -> None:
        """Rehearse a scenario in the terminal; reads your lines from stdin (a pipe works)."""
        from assistant.services import build_services

        if difficulty not in DIFFICULTIES:
            typer.echo(f"--difficulty must be one of {', '.join(DIFFICULTIES)}.", err=True)
            raise typer.Exit(2)
        settings = load_settings()
        language = lang or settings.language
        if language not in ("da", "en"):
            typer.echo("--lang must be da or en.", err=True)
            raise typer.Exit(2)
        services = build_services(settings)
        mode = cast(Rehearse, services.modes["rehearse"])
        options: dict[str, Any] = {"scenario": scenario, "difficulty": difficulty}
        try:
            session = mode.start(cli_user_id(services.store, user), language, options)
        except CoachError as exc:
            typer.echo(exc.message(language), err=True)
            raise typer.Exit(2) from exc
        warm_up = services.conversation.warm_up
        if warm_up is not None and warm_up.progress(session.user_id) is not None:
            # The model reads the scenario while you do; your first line then waits only
            # for its own words (stderr, so a piped transcript stays clean).
            typer.echo(i18n.t(language, "warm_up_cli"), err=True)
        show = settings.live_labels if labels is None else labels
        code = run_practice(mode, session, iter(sys.stdin.readline, ""), json_debrief, show)
        if warm_up is not None:
            warm_up.close()
        raise typer.Exit(code)
