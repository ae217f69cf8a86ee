"""First rehearsal reply after a warm-up vs cold, against a real model behind Ollama's API.

    bash ../shared/real-model/serve.sh 11435 &       # the small real model (see its README)
    python bench/bench_warm_up_real.py --host http://127.0.0.1:11435 --model coach-test:latest

For each of ``--runs`` rounds: first a request with an unrelated prompt, so the server's KV
cache does not hold the session's prefix; then a ``missed-deadlines`` rehearsal whose first
user line is answered, once cold (COACH_WARM_UP off) and once after the warm-up has finished
(the person read the scenario and typed for at least as long as the warm-up took). The time to
the first token is measured here (the first streamed snapshot) and, when the server is the
real-model shim, read from its ``GET /shim/log``. Target (#16): warmed <= 0.35 of cold.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, table  # noqa: E402

LINE = "Sam, I want to talk about the last three deadlines. What is getting in the way?"


def shim_log(host: str) -> list[dict[str, Any]]:
    """The shim's request log (empty for a real Ollama, which has none)."""
    try:
        with urllib.request.urlopen(f"{host}/shim/log", timeout=5) as response:
            return list(json.loads(response.read()).get("requests", []))
    except (OSError, ValueError):
        return []


def flush_cache(services: Any) -> None:
    """One short unrelated request, so the server's cache no longer holds a session prefix."""
    from langchain_core.messages import HumanMessage

    from assistant.token_caps import capped

    capped(services.conversation.chat_model, 1).invoke([HumanMessage("Say OK.")])


def first_reply(host: str, model: str, warm: bool) -> dict[str, Any]:
    """One rehearsal's first reply; returns the measured times."""
    from assistant.config import Settings
    from assistant.services import build_services

    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="coach-bench-warm-")),
        ollama_host=host,
        model=model,
        warm_up=warm,
        first_token_timeout=600,
        idle_timeout=600,
    )
    services = build_services(settings)
    flush_cache(services)
    rehearse = services.modes["rehearse"]
    user = services.store.user_id()
    started = time.monotonic()
    session = rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    warm_up_s = None
    if warm:
        progress = services.conversation.warm_up.wait(user, 600)
        assert progress is not None and progress.phase == "ready", progress
        warm_up_s = time.monotonic() - started
    sent = time.monotonic()
    first = None
    for _ in rehearse.respond(session, LINE):
        if first is None:
            first = time.monotonic() - sent
    total = time.monotonic() - sent
    log = shim_log(host)
    return {
        "warm": warm,
        "warm_up_s": warm_up_s,
        "ttft_s": first,
        "total_s": total,
        "shim_ttft_s": log[-1].get("ttft") if log else None,
        "prompt_chars": log[-1].get("chars") if log else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:11435")
    parser.add_argument("--model", default="coach-test:latest")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {machine()}\nserver: {args.host} model {args.model}\n")
    rows, results = [], []
    for run in range(args.runs):
        for warm in (False, True):
            result = first_reply(args.host, args.model, warm)
            results.append(result)
            rows.append(
                [
                    run + 1,
                    "after warm-up" if warm else "cold",
                    f"{result['warm_up_s']:.1f}" if result["warm_up_s"] else "-",
                    f"{result['ttft_s']:.2f}",
                    f"{result['shim_ttft_s']:.2f}" if result["shim_ttft_s"] else "-",
                    f"{result['total_s']:.2f}",
                    result["prompt_chars"] or "-",
                ]
            )
    headers = [
        "run",
        "first reply",
        "warm-up s",
        "first token s (app)",
        "first token s (server)",
        "reply done s",
        "prompt chars",
    ]
    print(table(headers, rows))
    cold = [r["ttft_s"] for r in results if not r["warm"]]
    warmed = [r["ttft_s"] for r in results if r["warm"]]
    ratio = (sum(warmed) / len(warmed)) / (sum(cold) / len(cold))
    print(f"\nwarmed / cold time to first token: {ratio:.2f} (target <= 0.35)")
    print(f"machine after the run: {machine()}")


if __name__ == "__main__":
    main()
