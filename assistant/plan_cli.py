"""The `coach questions` command: a timed plan of coaching questions for a topic.

Without ``--offline`` the local model tailors the questions, each printed to stderr as soon as
it is tailored; if it cannot, the question-bank plan is printed and the reason goes to stderr.
``--json`` prints the shape documented in docs/plan.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from enum import StrEnum
from typing import Annotated, cast

import typer

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.planner import (
    MAX_MINUTES,
    MIN_MINUTES,
    SessionPlan,
    TailoringStep,
    build_plan,
    load_question_bank,
    plan_to_dict,
    plan_to_markdown,
    tailor_plan_steps,
)


class PlanLang(StrEnum):
    """Languages a plan can be written in."""

    da = "da"
    en = "en"


class Relationship(StrEnum):
    """Who the two colleagues in the session are to each other."""

    peers = "peers"
    new_leader = "new-leader"
    cross_team = "cross-team"


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add the `questions` command to ``app``; settings are loaded only when it runs."""

    @app.command("questions")
    def questions(
        topic: Annotated[str, typer.Argument(help="The topic or challenge of the session.")],
        lang: Annotated[
            PlanLang | None,
            typer.Option("--lang", help="da or en (default: guessed from the topic)."),
        ] = None,
        relationship: Annotated[
            Relationship,
            typer.Option("--relationship", help="peers, new-leader or cross-team."),
        ] = Relationship.peers,
        minutes: Annotated[
            int,
            typer.Option(
                "--minutes",
                min=MIN_MINUTES,
                max=MAX_MINUTES,
                help="Length of the session in minutes (15, 30 and 60 are typical).",
            ),
        ] = 30,
        offline: Annotated[
            bool, typer.Option("--offline", help="Use only the question bank, no model.")
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON (see docs/plan.md).")
        ] = False,
    ) -> None:
        """Plan a coaching session: questions per stage with timing, from the question bank."""
        settings = load_settings()
        language = lang.value if lang is not None else _guess_lang(topic, settings.language)
        try:
            bank = load_question_bank(settings.knowledge_dir)
            plan = build_plan(topic, language, relationship.value, minutes, bank)
        except CoachError as exc:
            typer.echo(exc.message(language), err=True)
            raise typer.Exit(2) from exc
        if not offline:
            from assistant.llm import build_chat_model
            from assistant.prompts import PromptLibrary

            steps = tailor_plan_steps(
                plan,
                build_chat_model(settings),
                PromptLibrary(settings.prompts_dir),
                host=settings.ollama_host,
                model=settings.model,
            )
            plan = _print_as_tailored(steps, plan)
            if plan.notice is not None:
                typer.echo(plan.notice.message(language), err=True)
        if as_json:
            typer.echo(json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2))
        else:
            typer.echo(plan_to_markdown(plan), nl=False)


def _print_as_tailored(
    steps: Generator[TailoringStep, None, SessionPlan], plan: SessionPlan
) -> SessionPlan:
    """Drain the tailoring, printing each question to stderr as soon as the model has
    rephrased it ("3/11 <text>"), so nobody stares at a silent terminal for a minute while
    stdout stays the plan alone (Markdown or JSON, for a file); returns the tailored plan."""
    before = {q.id: q.text for q in plan.questions}
    printed: set[str] = set()
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return cast(SessionPlan, done.value)
        for question in step.plan.questions:
            if question.id in printed or question.text == before[question.id]:
                continue
            printed.add(question.id)
            typer.echo(f"{len(printed)}/{step.total} {question.text}", err=True)


def _guess_lang(topic: str, default: str) -> str:
    from assistant.skills import detect_lang

    return detect_lang(topic, default="da" if default == "da" else "en")
