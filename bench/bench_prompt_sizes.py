"""Prompt sizes: what every mode's requests make the model read, in both languages.

    python bench/bench_prompt_sizes.py

For each mode: the fixed system prompt (read once per session, then cached) and its prompt
head (the start that is the same for every scenario, audience, difficulty and variant, read
when the page opens), the opening, and what each turn adds beyond the person's own words
(Reflect's stage note, Q&A's move note, the hint's time-out instruction). Each figure is taken
from the first request of its action: a retry after a failed reply check (the scripted model
answers in English, so Danish replies are retried) is not counted. Tokens are the
double's tokenizer-like estimate (``subword_prompt_tokens``: about 3-4 characters per token,
chat template included), not a real model's tokenizer; characters are exact.
Runs in process with a scripted chat model.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, table  # noqa: E402
from tests.fixtures.fake_models import ScriptedChatModel  # noqa: E402
from tests.fixtures.ollama_double import subword_prompt_tokens  # noqa: E402

LINE = {"en": "I keep postponing the talk with Sam.", "da": "Jeg udskyder samtalen med Sam."}
AUDIENCE = "sceptical-executive"
NOTES = "# Plan\nWe move the release to May.\n\n# Cost\nTwo extra weeks of testing."


def tokens(text: str) -> int:
    """The estimate for one message of this text."""
    return subword_prompt_tokens([{"role": "user", "content": text}]) if text else 0


def added(newest: str, words: str) -> str:
    """What the app put on the newest message beyond the person's words (a note leads
    them: it is known before they type, so it is read ahead)."""
    return newest[: -len(words)] if words and newest.endswith(words) else newest


def first_request(model: ScriptedChatModel, work: Any, *args: Any) -> list[Any]:
    """The first request ``work(*args)`` made (not a retry after a failed reply check)."""
    before = len(model.requests)
    result = work(*args)
    if result is not None and not isinstance(result, str | bytes):
        list(result)
    return model.requests[before]


def rows_for(services: Any, model: ScriptedChatModel, lang: str) -> list[list[Any]]:
    """One row per mode and kind of request."""
    user, rows = services.store.user_id(), []

    def row(mode: str, what: str, text: str) -> None:
        rows.append([mode, lang, what, len(text), tokens(text)])

    reflect = services.modes["reflect"]
    session = reflect.start(user, lang)
    request = first_request(model, reflect.respond, session, LINE[lang])
    row("reflect", "system prompt", str(request[0].content))
    row("reflect", "  its head (warmed when the page opens)", reflect.prompt_head(lang))
    row("reflect", "opening", str(request[1].content))
    row(
        "reflect",
        "stage note (stage start, every 4th line)",
        added(str(request[-1].content), LINE[lang]),
    )

    for mode, scenario in (("rehearse", "missed-deadlines"), ("practice", "wants-the-answer")):
        engine = services.modes[mode]
        session = engine.start(user, lang, {"scenario": scenario})
        request = first_request(model, engine.respond, session, LINE[lang])
        row(mode, "system prompt", str(request[0].content))
        row(mode, "  its head (warmed when the page opens)", engine.prompt_head(lang))
        row(mode, "opening", str(request[1].content))
        row(mode, "per-turn addition", added(str(request[-1].content), LINE[lang]))
        if mode == "rehearse":
            hint = first_request(model, engine.time_out, session, "What now?")
            row(mode, "hint: time-out instruction (after the cached prefix)", str(hint[-1].content))
            switch = first_request(model, engine.switch_roles, session)
            row(
                mode,
                "switch roles: instruction (after the cached prefix)",
                str(switch[-1].content),
            )

    qa = services.modes["qa"]
    session = qa.start(user, lang, {"notes": NOTES, "audience": AUDIENCE})
    first = first_request(model, qa.opening, session)
    row("qa", "system prompt", str(first[0].content))
    row("qa", "  its head (warmed when the page opens)", qa.prompt_head(lang))
    row(
        "qa",
        "  head + audience member (warmed when it is picked)",
        qa.audience_head(AUDIENCE, lang),
    )
    kickoff = services.prompts.render("qa", "kickoff", lang)
    row("qa", "first-question note", added(str(first[-1].content), kickoff))
    answer = "We move it because testing found two blockers."
    newest = str(first_request(model, qa.respond, session, answer)[-1].content)
    row("qa", "per-answer move note", added(newest, answer))
    return rows


def main() -> None:
    from assistant.config import Settings
    from assistant.services import build_services

    print(f"machine: {machine()}\n")
    model = ScriptedChatModel()
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="coach-bench-sizes-")), warm_up=False)
    services = build_services(settings, chat_model=model)
    rows = rows_for(services, model, "en") + rows_for(services, model, "da")
    print(table(["mode", "lang", "part", "characters", "tokens (estimate)"], rows))


if __name__ == "__main__":
    main()
