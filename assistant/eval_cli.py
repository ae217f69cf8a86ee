"""`coach eval`: a scorecard of an Ollama model in this app, from scripted users.

It plays the user scripts (see ``assistant.evaluation``) against the configured model through
the real modes, in a throwaway data directory, and prints a table (or ``--json``), and writes a
Markdown report the user can keep. A progress bar runs on stderr; Ctrl-C stops after the reply
in progress and keeps every finished script's results.

The ``--json`` shape::

    {"model": str, "host": str, "started_at": str, "finished": bool,
     "units": {"done": int, "planned": int}, "report": str,
     "results": [{"mode", "lang", "scripts", "partial_scripts", "replies", "errors", "regenerated",
                  "failed_before": {check: count}, "failed_after": {check: count},
                  "sentence_budget", "median_words", "p90_words", "language_ok_share",
                  "hidden_concern": {"revealed", "after_open_or_reflection",
                                     "after_blunt_demand"} | null,
                  "debriefs", "debrief_parsed_first_try_share",
                  "debrief_first_section_s_p50", "debrief_done_s_p50",
                  "debrief_cited_ids_ok_share", "ttft_p50_s", "tokens_per_s_p50"}]}
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.config import Settings

# How many kinds of user script there are (assistant.evaluation.ORDER; a test keeps them equal).
SCRIPT_KINDS = 6

FIGURES = (
    ("replies", "model replies played (user lines answered, plus Q&A's first question)"),
    ("errors", "replies that failed with an error (Ollama unreachable, timeout, empty twice)"),
    ("regenerated", "replies whose first attempt failed a check and was written again"),
    ("failed_before", "per check: replies whose first attempt failed it"),
    ("failed_after", "per check: replies still failing it after the one regeneration"),
    ("median_words / p90_words", "reply length in words, against the sentence budget"),
    ("language_ok_share", "share of replies (as kept) in the session's language"),
    (
        "hidden_concern",
        "Rehearse and Practice: concerns revealed, how many right after an open question "
        "or a reflection, how many after the blunt direct demand (should be 0)",
    ),
    ("debrief_parsed_first_try_share", "share of debriefs that came back as structured output"),
    (
        "debrief_first_section_s_p50",
        "median seconds until the debrief's first section is finished (the page shows it)",
    ),
    ("debrief_done_s_p50", "median seconds to a finished debrief"),
    ("debrief_cited_ids_ok_share", "share of debriefs whose cited knowledge ids all exist"),
    ("ttft_p50_s", "median seconds to the first streamed text of a reply"),
    (
        "tokens_per_s_p50",
        "median of Ollama's eval_count over the streaming time, of replies written in one "
        "attempt (null when every reply was regenerated)",
    ),
)


def _split(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown or not items:
        raise typer.BadParameter(
            f"unknown {what} {', '.join(unknown) or '(none)'}; choose from {', '.join(allowed)}"
        )
    return items


def run(
    settings: Settings,
    modes: list[str],
    langs: list[str],
    scenarios: int | None,
    *,
    progress: bool = True,
) -> dict[str, Any]:
    """Play the scripts and return the scorecard (``finished`` is False after Ctrl-C)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from assistant import evaluation
    from assistant.evaluation import Interrupted, load_scripts, scorecard_rows
    from assistant.services import build_services

    started = datetime.now(UTC).isoformat(timespec="seconds")
    scripts = load_scripts(langs, scenarios)
    plan = [(mode, script) for script in scripts for mode in modes]
    units = []
    finished = True
    with tempfile.TemporaryDirectory(prefix="coach-eval-") as data_dir:
        services = build_services(settings.model_copy(update={"data_dir": Path(data_dir)}))
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=_stderr_console(),
            disable=not progress,
        )
        with bar:
            task = bar.add_task("coach eval", total=len(plan))
            try:
                for mode, script in plan:
                    bar.update(task, description=f"{mode} {script.lang} {script.kind}")
                    units.append(evaluation.play(services, mode, script))
                    bar.advance(task)
            except Interrupted as stop:  # Ctrl-C: keep what the script had measured
                units.append(stop.unit)
                finished = False
            except KeyboardInterrupt:
                finished = False
    return {
        "model": settings.model,
        "host": settings.ollama_host,
        "started_at": started,
        "finished": finished,
        "units": {"done": sum(not u.partial for u in units), "planned": len(plan)},
        "results": scorecard_rows(units),
    }


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)


def _checks(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items()) or "-"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table_rows(card: dict[str, Any]) -> list[list[str]]:
    """The scorecard as table cells, one row per mode and language (header first)."""
    header = [
        "mode",
        "lang",
        "replies",
        "failed before",
        "failed after",
        "words p50/p90 (budget)",
        "language ok",
        "concern after open/blunt",
        "debrief structured",
        "debrief 1st/done s",
        "ttft s",
        "tok/s",
    ]
    rows = [header]
    for r in card["results"]:
        concern = r["hidden_concern"]
        rows.append(
            [
                r["mode"],
                r["lang"],
                f"{r['replies']} ({r['errors']} err)",
                _checks(r["failed_before"]),
                _checks(r["failed_after"]),
                f"{_cell(r['median_words'])}/{_cell(r['p90_words'])} "
                f"({r['sentence_budget']} sent.)",
                _cell(r["language_ok_share"]),
                f"{concern['after_open_or_reflection']}/{concern['after_blunt_demand']} "
                f"of {concern['revealed']}"
                if concern
                else "-",
                _cell(r["debrief_parsed_first_try_share"]),
                f"{_cell(r['debrief_first_section_s_p50'])}/{_cell(r['debrief_done_s_p50'])}",
                _cell(r["ttft_p50_s"]),
                _cell(r["tokens_per_s_p50"]),
            ]
        )
    return rows


def markdown_report(card: dict[str, Any]) -> str:
    """The scorecard as a Markdown document: the table, what each figure means, the JSON."""
    rows = table_rows(card)
    lines = [
        f"# coach eval: {card['model']}",
        "",
        f"Run {card['started_at']} against {card['host']}; "
        f"{card['units']['done']} of {card['units']['planned']} scripts played"
        + ("" if card["finished"] else " (interrupted; the finished ones are below)")
        + ".",
        "",
        "| " + " | ".join(rows[0]) + " |",
        "|" + "---|" * len(rows[0]),
        *("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows[1:]),
        "",
        "## What the figures mean",
        "",
        *(f"- **{name}**: {meaning}" for name, meaning in FIGURES),
        "",
        "## The numbers",
        "",
        "```json",
        json.dumps(card, indent=2, ensure_ascii=False),
        "```",
        "",
    ]
    return "\n".join(lines)


def default_report_path(settings: Settings, model: str) -> Path:
    """Where the report goes when no --report is given: the data dir's eval folder."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^\w.-]+", "-", model).strip("-") or "model"
    return settings.data_dir / "eval" / f"{safe}-{stamp}.md"


def register(app: typer.Typer, load_settings: Callable[..., Settings]) -> None:
    """Add `coach eval` to the command."""
    from assistant.evaluation import EVAL_MODES

    @app.command("eval")
    def eval_command(
        model: Annotated[
            str | None, typer.Option(help="Ollama model (default: COACH_MODEL).")
        ] = None,
        modes: Annotated[str, typer.Option(help="Modes to play, comma-separated.")] = ",".join(
            EVAL_MODES
        ),
        lang: Annotated[str, typer.Option(help="Languages, comma-separated.")] = "en,da",
        scenarios: Annotated[
            int | None,
            typer.Option(
                min=1,
                max=SCRIPT_KINDS,
                help="User scripts per mode and language (the first N kinds; all by default).",
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the scorecard as JSON.")
        ] = False,
        report: Annotated[
            Path | None, typer.Option(help="Markdown report file (default: data dir/eval/).")
        ] = None,
    ) -> None:
        """Score a model in this app: scripted users through the real modes, checks counted."""
        settings = load_settings(model=model)
        chosen_modes = _split(modes, EVAL_MODES, "mode")
        langs = _split(lang, ("en", "da"), "language")
        status = _status(settings)
        if status is not None:
            typer.echo(status, err=True)
            raise typer.Exit(2)
        card = run(settings, chosen_modes, langs, scenarios, progress=sys.stderr.isatty())
        path = report or default_report_path(settings, settings.model)
        path.parent.mkdir(parents=True, exist_ok=True)
        card["report"] = str(path)
        path.write_text(markdown_report(card), encoding="utf-8")
        if as_json:
            typer.echo(json.dumps(card, indent=2, ensure_ascii=False))
        else:
            for row in table_rows(card):
                typer.echo(" | ".join(row))
        typer.echo(f"Report: {path}", err=True)
        raise typer.Exit(0 if card["finished"] else 130)


def _status(settings: Settings) -> str | None:
    """Why no evaluation can run (Ollama down, model missing), or None."""
    from assistant.llm import OllamaService

    status = OllamaService(settings).status()
    if not status.reachable:
        reason = status.error.en if status.error else "not reachable"
        return f"Ollama at {settings.ollama_host}: {reason}"
    if not status.model_installed:
        return f"The model {settings.model} is not installed; run `coach pull` first."
    return None
