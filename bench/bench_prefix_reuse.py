"""Prefix reuse: how much of each request Ollama can take from its prompt cache.

    python bench/bench_prefix_reuse.py                      # 30 turns, num_ctx 8192 and 3072
    python bench/bench_prefix_reuse.py --turns 60 --num-ctx 4096

Uses the Ollama HTTP double (tests/fixtures/ollama_double.py), not a real Ollama, counting
prompt tokens with its tokenizer-like ``subword_prompt_tokens``. Runs in process:
``build_services`` + the reflect, rehearse and practice modes, one session of ``--turns``
turns each, through the real ChatOllama.

Ollama (llama.cpp) keeps the KV cache of the previous request *and the reply it generated*,
and reuses it for the longest common prefix of the next request. For every request after the
first this prints the share of its serialized messages (role + content of each, in order) that
is an exact prefix of the previous request's messages followed by the previous reply. The app's
default num_ctx (8192) does not trim within 30 turns; the small one (3072) trims a few times,
so those rows show what a trim costs.
The same run checks the budget: every request's ``prompt_eval_count`` as the double reported it
(read back from the stored turns) against the prompt budget (num_ctx minus the reply reserve).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, table  # noqa: E402
from tests.fixtures.ollama_double import (  # noqa: E402
    OllamaDouble,
    default_reply,
    subword_prompt_tokens,
)

MODES = ("reflect", "rehearse", "practice", "qa")
LINES = {
    "reflect": "Turn {n}: I keep postponing the talk with Sam about the missed deadlines. Every "
    "week I tell myself it will be easier next week, and every week the pile of late work grows "
    "and I feel more resentful, which makes the talk even harder to start.",
    "rehearse": "Turn {n}: Sam, I want to talk about the last three deadlines. The report came "
    "two days late each time, and the team had to wait for it. I would like to understand what "
    "is getting in the way and what we can change together.",
    "qa": "Turn {n}: We move the release because testing found two blockers. The first is the "
    "payment flow, which fails on older phones; the second is the data export, which is too slow "
    "for our largest customers. Both are fixed by May.",
    "practice": "Turn {n}: What have you already tried to get the handover done? And when you "
    "picture the end of next week with it finished, what is different for you then? Take your "
    "time, I am curious what comes up for you.",
}
START = {
    "rehearse": {"scenario": "missed-deadlines"},
    "practice": {"scenario": "wants-the-answer"},
    # The longest round (10 questions and their follow-ups).
    "qa": {"notes": "# Plan\nWe move the release to May.", "questions": 10},
}


def serialize(messages: Sequence[Mapping[str, Any]]) -> str:
    """The request as the model sees its order: role and content of every message."""
    return "".join(f"<{m.get('role')}>{m.get('content') or ''}</>" for m in messages)


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of two strings."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on slices: fast for long prompts
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def run_mode(services: Any, double: OllamaDouble, replies: list[str], mode: str, turns: int):
    """One session; returns (shares, shares at trims, prompt_eval_counts, budget)."""
    first = len(double.requests_for("/api/chat"))
    first_reply = len(replies)
    engine = services.modes[mode]
    session = engine.start(services.store.user_id(), "en", START.get(mode))
    if mode == "qa":
        list(engine.opening(session))  # the audience asks first
    for n in range(turns):
        if mode == "qa" and engine.progress(session)["done"]:
            break  # the round is over (at most 10 questions and their follow-ups)
        for _ in engine.respond(session, LINES[mode].format(n=n)):
            pass
    requests = [r.body["messages"] for r in double.requests_for("/api/chat")[first:]]
    answers = replies[first_reply:]
    shares, trims = [], []
    for index in range(1, len(requests)):
        previous = serialize(
            [*requests[index - 1], {"role": "assistant", "content": answers[index - 1]}]
        )
        current = serialize(requests[index])
        share = common_prefix(previous, current) / len(current)
        shares.append(share)
        if requests[index][1] != requests[index - 1][1]:  # the oldest kept message changed
            trims.append(share)
    counts = [
        t.prompt_tokens or 0
        for t in services.store.turns(session.id)
        if t.role == "assistant" and t.prompt_tokens
    ]
    return shares, trims, counts, len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--num-ctx", default="8192,3072", help="comma-separated values")
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()

    from assistant.config import Settings
    from assistant.services import build_services

    print(f"machine: {machine()}")
    print("Ollama: the HTTP double (tests/fixtures/ollama_double.py), not a real model\n")
    replies: list[str] = []

    def reply(messages: Sequence[Mapping[str, Any]]) -> str:
        text = "It sounds like this has weighed on you for a while. " + default_reply(messages)
        replies.append(text)
        return text

    rows = []
    with OllamaDouble(reply_generator=reply, prompt_tokens=subword_prompt_tokens) as double:
        for num_ctx in (int(n) for n in args.num_ctx.split(",") if n):
            data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-prefix-"))
            # No warm-up: it is a request of its own (bench_user_latency.py measures it).
            settings = Settings(
                data_dir=data_dir, ollama_host=double.url, num_ctx=num_ctx, warm_up=False
            )
            services = build_services(settings)
            rows += run_config(services, double, replies, args.modes.split(","), args.turns)
            ratio = services.conversation.calibration.ratio(settings.model)
            print(f"num_ctx {num_ctx}: calibrated ratio at the end {ratio:.2f} characters/token")
    print(f"\n{args.turns} turns per mode; budget = num_ctx - 1024 reserved for the reply\n")
    headers = [
        "num_ctx",
        "mode",
        "requests",
        "prefix share mean",
        "min",
        "trims",
        "share at each trim",
        "max prompt_eval_count / budget",
        "over budget",
    ]
    print(table(headers, rows))
    print(f"\nmachine after the run: {machine()}")


def run_config(
    services: Any, double: OllamaDouble, replies: list[str], modes: list[str], turns: int
) -> list[list[Any]]:
    """The table rows for one num_ctx."""
    budget = services.conversation.budget.prompt_tokens
    rows = []
    for mode in (m for m in modes if m):
        shares, trims, counts, requests = run_mode(services, double, replies, mode, turns)
        over = sum(count > budget for count in counts)
        rows.append(
            [
                services.settings.num_ctx,
                mode,
                requests,
                f"{sum(shares) / len(shares):.3f}",
                f"{min(shares):.3f}",
                len(trims),
                ", ".join(f"{s:.2f}" for s in trims) or "-",
                f"{max(counts)} / {budget}",
                over,
            ]
        )
    return rows


if __name__ == "__main__":
    main()
