"""Prompt sizes: what every mode's requests make the model read, in both languages.

    python bench/bench_prompt_sizes.py

For each mode: the fixed system prompt (read once per session, then cached), the opening,
and what each turn adds beyond the person's own words (Reflect's stage note, Q&A's move
note, the hint's time-out instruction). Tokens are the double's tokenizer-like estimate
(``subword_prompt_tokens``: about 3-4 characters per token, chat template included), not a
real model's tokenizer; characters are exact. Runs in process with a scripted chat model.
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
NOTES = "# Plan\nWe move the release to May.\n\n# Cost\nTwo extra weeks of testing."


def tokens(text: str) -> int:
    """The estimate for one message of this text."""
    return subword_prompt_tokens([{"role": "user", "content": text}]) if text else 0


def added(newest: str, words: str) -> str:
    """What the app put on the newest message beyond the person's words (a note leads
    them: it is known before they type, so it is read ahead)."""
    return newest[: -len(words)] if words and newest.endswith(words) else newest


def rows_for(services: Any, model: ScriptedChatModel, lang: str) -> list[list[Any]]:
    """One row per mode and kind of request."""
    user, rows = services.store.user_id(), []

    def row(mode: str, what: str, text: str) -> None:
        rows.append([mode, lang, what, len(text), tokens(text)])

    reflect = services.modes["reflect"]
    session = reflect.start(user, lang)
    list(reflect.respond(session, LINE[lang]))
    request = model.requests[-1]
    row("reflect", "system prompt", str(request[0].content))
    row("reflect", "opening", str(request[1].content))
    row(
        "reflect",
        "stage note (stage start, every 4th line)",
        added(str(request[-1].content), LINE[lang]),
    )

    for mode, scenario in (("rehearse", "missed-deadlines"), ("practice", "wants-the-answer")):
        engine = services.modes[mode]
        session = engine.start(user, lang, {"scenario": scenario})
        list(engine.respond(session, LINE[lang]))
        request = model.requests[-1]
        row(mode, "system prompt", str(request[0].content))
        row(mode, "opening", str(request[1].content))
        row(mode, "per-turn addition", added(str(request[-1].content), LINE[lang]))
        if mode == "rehearse":
            list(engine.time_out(session, "What now?"))
            row(
                mode,
                "hint: time-out instruction (after the cached prefix)",
                str(model.requests[-1][-1].content),
            )
            list(engine.switch_roles(session))
            row(
                mode,
                "switch roles: instruction (after the cached prefix)",
                str(model.requests[-1][-1].content),
            )

    qa = services.modes["qa"]
    session = qa.start(user, lang, {"notes": NOTES, "audience": "sceptical-executive"})
    list(qa.opening(session))
    first = model.requests[-1]
    row("qa", "system prompt", str(first[0].content))
    kickoff = services.prompts.render("qa", "kickoff", lang)
    row("qa", "first-question note", added(str(first[-1].content), kickoff))
    answer = "We move it because testing found two blockers."
    list(qa.respond(session, answer))
    row("qa", "per-answer move note", added(str(model.requests[-1][-1].content), answer))
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
