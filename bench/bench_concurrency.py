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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._burst import Tally, burst, report  # noqa: E402
from bench.bench_cold_start import first_view  # noqa: E402
from bench.common import add_client_option, clients, machine, percentile, start_app  # noqa: E402
from bench.queue_client import QueueClient  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble  # noqa: E402


def message(tag: str) -> str:
    """A session's reflect message, led by its tag."""
    return f"{tag} needs to talk about the deadline."


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
            tally = Tally()
            for round_ in range(rounds):
                burst(clients, round_, message, double, token_delay, tally)
        finally:
            app.stop()
    waited = tally.waited
    return [
        limit,
        client_kind,
        *tally.cells(),
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
    report(
        ["COACH_CHAT_CONCURRENCY", "client"],
        ["submit -> request at the double p50 / p95"],
        rows,
        sessions=args.sessions,
        rounds=args.rounds,
        token_delay=args.token_delay,
    )


if __name__ == "__main__":
    main()
