"""Concurrency: 20 people chatting at the same moment.

    python bench/bench_concurrency.py                        # 20 sessions, limits 4 and 20
    python bench/bench_concurrency.py --sessions 20 --limits 20 --rounds 3

Uses the Ollama HTTP double (tests/fixtures/ollama_double.py), not a real Ollama: it streams
every reply at ``--token-delay`` (20 ms) per token and serves any number of requests at once,
i.e. it behaves like an Ollama with ``OLLAMA_NUM_PARALLEL`` >= the number of sessions.

For each value of ``COACH_CHAT_CONCURRENCY`` in ``--limits`` the benchmark starts ``python
app.py`` against the double, opens ``--sessions`` gradio_client clients (each its own browser
session), and in each round sends one reflect message from every client at the same instant
(a barrier). Every message carries its session's tag; the double's reply echoes the first
words of the message it was sent, so each client checks that its reply carries its own tag
and no other (no cross-talk), and that the double received exactly one request per client.

Added latency = the client's time from submit to the final output minus the double's own
time for that reply (its per-token delays: the reply's chunks x ``--token-delay``). Before the
rounds the page is viewed once and one message is sent (not timed), as when people have the
app open: the first turn after a start also waits for the chat model to be built.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_cold_start import first_view  # noqa: E402
from bench.common import (  # noqa: E402
    add_client_option,
    chat_text,
    clients,
    machine,
    percentile,
    start_app,
    table,
)
from bench.queue_client import QueueClient  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble, default_reply, split_tokens  # noqa: E402


def tag(session: int, round_: int) -> str:
    """The marker a session's message (and so its reply) carries."""
    return f"S{session:02d}R{round_}"


def first_word(messages: list[dict[str, Any]]) -> str:
    """The first word of the newest user message (the session's tag)."""
    text = next(m["content"] for m in reversed(messages) if m["role"] == "user")
    return str(text).split(maxsplit=1)[0] if text else ""


def one_turn(client: Any, text: str, barrier: threading.Barrier, out: dict[str, Any]) -> None:
    """Wait for every client, send, collect the final reply and the time it took."""
    barrier.wait()
    started = out["started"] = time.monotonic()
    try:
        if isinstance(client, QueueClient):
            chat = [outputs for _, outputs in client.stream("/send", text, "en")][-1][0]
        else:
            chat = client.predict(text, "en", api_name="/send")[0]
        out["seconds"] = time.monotonic() - started
        out["reply"] = chat_text(chat[-1]) if chat and chat[-1].get("role") == "assistant" else ""
    except Exception as exc:  # a failed session is reported, not raised
        out["error"] = repr(exc)


def run_limit(
    limit: int, sessions: int, rounds: int, token_delay: float, client_kind: str
) -> list[Any]:
    """One app with COACH_CHAT_CONCURRENCY=limit; returns the table row. ``client_kind``:
    "browser" (bench/queue_client.py, the page's own protocol) or "gradio_client"."""
    from gradio_client import Client

    with OllamaDouble(token_delay=token_delay) as double:
        data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-conc-")) / "data"
        app = start_app(double.url, data_dir, COACH_CHAT_CONCURRENCY=str(limit))
        try:
            # As people do: the page is opened (which starts the background warm-up: the chat
            # model, the knowledge search) and has been used once before the burst.
            first_view(app.url)
            Client(app.url, verbose=False).predict("Warming up.", "en", api_name="/send")
            clients: list[Any] = [Client(app.url, verbose=False) for _ in range(sessions)]
            if client_kind == "browser":
                clients = [QueueClient(client) for client in clients]
            added: list[float] = []
            waited: list[float] = []
            completed = crossed = failed = 0
            for round_ in range(rounds):
                before = len(double.requests_for("/api/chat"))
                barrier = threading.Barrier(sessions)
                results: list[dict[str, Any]] = [{} for _ in range(sessions)]
                threads = [
                    threading.Thread(
                        target=one_turn,
                        args=(
                            client,
                            f"{tag(i, round_)} needs to talk about the deadline.",
                            barrier,
                            results[i],
                        ),
                    )
                    for i, client in enumerate(clients)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                requests = double.requests_for("/api/chat")[before:]
                arrivals = {first_word(r.body["messages"]): r.time for r in requests}
                tags = sorted(first_word(r.body["messages"]) for r in requests)
                if tags != sorted(tag(i, round_) for i in range(sessions)):
                    print(f"  round {round_}: the double saw {tags}")
                for i, result in enumerate(results):
                    if "error" in result:
                        failed += 1
                        print(f"  session {i}: {result['error']}")
                        continue
                    reply = result["reply"]
                    own = tag(i, round_)
                    others = [tag(j, round_) for j in range(sessions) if j != i]
                    if own not in reply or any(other in reply for other in others):
                        crossed += 1
                        print(f"  session {i}: reply {reply!r} is not its own")
                        continue
                    completed += 1
                    if own in arrivals:
                        waited.append(arrivals[own] - result["started"])
                    expected = default_reply(
                        [{"role": "user", "content": f"{own} needs to talk about the deadline."}]
                    )
                    double_time = len(split_tokens(expected)) * token_delay
                    added.append(result["seconds"] - double_time)
        finally:
            app.stop()
    return [
        limit,
        client_kind,
        f"{completed} / {sessions * rounds}",
        crossed,
        failed,
        f"{percentile(added, 50) * 1000:.0f} ms",
        f"{percentile(added, 95) * 1000:.0f} ms",
        f"{max(added) * 1000:.0f} ms",
        f"{percentile(waited, 50) * 1000:.0f} / {percentile(waited, 95) * 1000:.0f} ms",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limits", default="4,20", help="COACH_CHAT_CONCURRENCY values to try")
    parser.add_argument("--token-delay", type=float, default=0.02)
    add_client_option(parser, default="browser")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("Ollama: the HTTP double (tests/fixtures/ollama_double.py), not a real model\n")
    kinds = clients(args.client)
    rows = [
        run_limit(int(limit), args.sessions, args.rounds, args.token_delay, kind)
        for kind in kinds
        for limit in args.limits.split(",")
        if limit
    ]
    print(
        f"\n{args.sessions} simultaneous reflect sessions x {args.rounds} rounds, "
        f"double at {args.token_delay * 1000:.0f} ms per token:\n"
    )
    headers = [
        "COACH_CHAT_CONCURRENCY",
        "client",
        "completed",
        "cross-talk",
        "failed",
        "added p50",
        "added p95",
        "added max",
        "submit -> request at the double p50 / p95",
    ]
    print(table(headers, rows))
    print(f"\nmachine after the run: {machine()}")


if __name__ == "__main__":
    main()
