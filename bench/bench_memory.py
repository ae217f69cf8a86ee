"""Memory: the app's resident set size after start and after 200 completed sessions.

    python bench/bench_memory.py                 # 200 sessions (a few minutes)
    python bench/bench_memory.py --sessions 40   # a quick run

Uses the Ollama HTTP double (tests/fixtures/ollama_double.py), not a real Ollama (a real
model's memory lives in the Ollama process, not in the app's).

Starts ``python app.py`` against the double and drives it with one gradio_client client that
takes a fresh browser session (``reset_session``) for every coaching session. The sessions go
round the four modes: reflect (3 messages), rehearse (start + 3 lines), practice (start + 3
lines), qa (start, which streams the first question, + 3 answers). The app's RSS is read from
/proc after the page first answered; after the first page view (made the way a browser's is
server-side, as bench_cold_start.py does) and the background warm-up it starts, once RSS has
settled (the chat model, and the search model and index that every debrief's grounding search
would otherwise load: about 180 MB, most of it the ONNX runtime's); after one warm-up session
per mode (first use loads prompt files, scenarios and lazily imported modules); every 50
sessions; and at the end. The built-in library is indexed before the app starts (``--data-dir``
reuses an indexed folder), so a first start's indexing is not counted. Growth is measured from
the warm-up sessions: what the one-off loads cost is reported, not counted as growth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_cold_start import first_view  # noqa: E402
from bench.bench_turn_overhead import PERSONA, QA_NOTES, SCENARIO  # noqa: E402
from bench.common import machine, start_app, table  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble  # noqa: E402

MODES = ("reflect", "rehearse", "practice", "qa")
LINES = (
    "I keep postponing the talk with Sam about the missed deadlines.",
    "What have you already tried, and what happened then?",
    "We move to quarterly releases because it halves the regressions.",
)


def session(client: Any, mode: str) -> None:
    """One complete coaching session in ``mode`` through the app's API."""
    client.reset_session()
    if mode == "reflect":
        for line in LINES:
            client.predict(line, "en", api_name="/send")
    elif mode in ("rehearse", "practice"):
        client.predict(
            SCENARIO if mode == "rehearse" else PERSONA, "realistic", "en", api_name=f"/{mode}"
        )
        for line in LINES:
            if mode == "rehearse":
                client.predict(line, "en", api_name="/rehearse_send")
            else:
                client.predict(line, True, "en", api_name="/practice_send")
    else:
        client.predict(QA_NOTES, "sceptical-executive", 3, "realistic", "en", api_name="/qa")
        for line in LINES:
            client.predict(line, "en", api_name="/qa_send")


def settled_rss(app: Any, *, quiet: float = 5.0, limit: float = 120.0) -> float:
    """The app's RSS once it has changed by under 1 MB for ``quiet`` seconds (or after
    ``limit`` seconds): the background warm-up after the first page view has finished."""
    deadline = time.monotonic() + limit
    last, since = app.rss_mb(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = app.rss_mb()
        if abs(now - last) >= 1.0:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return float(last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=None, help="an already indexed data dir")
    parser.add_argument(
        "--state-capacity",
        type=int,
        default=None,
        help="try Gradio's launch(state_session_capacity=N) (default: the app's own launch)",
    )
    args = parser.parse_args()
    from gradio_client import Client

    from assistant.config import Settings
    from assistant.knowledge import Library

    print(f"machine: {machine()}")
    print("Ollama: the HTTP double (tests/fixtures/ollama_double.py), not a real model\n")
    rows = []
    with OllamaDouble() as double:
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-mem-")) / "data"
        library = Library.open(Settings(data_dir=data_dir))
        if library.needs_ingest():  # index first, so the app does not index while measured
            started = time.monotonic()
            library.ingest()
            print(f"indexed the built-in library in {time.monotonic() - started:.0f} s")
        overrides = {"state_session_capacity": args.state_capacity} if args.state_capacity else None
        app = start_app(double.url, data_dir, launch_overrides=overrides)
        try:
            time.sleep(2)  # let start-up work settle
            start_rss = app.rss_mb()
            rows.append(["after start (page served)", 0, f"{start_rss:.1f}", "-"])
            first_view(app.url)
            settled = settled_rss(app)
            rows.append(["after the first view and background warm-up", 0, f"{settled:.1f}", "-"])
            client = Client(app.url, verbose=False)
            for mode in MODES:
                session(client, mode)
            warm_rss = app.rss_mb()
            rows.append(["after 1 warm-up session per mode", len(MODES), f"{warm_rss:.1f}", "-"])
            started = time.monotonic()
            for number in range(1, args.sessions + 1):
                session(client, MODES[number % len(MODES)])
                if number % 50 == 0 or number == args.sessions:
                    rss = app.rss_mb()
                    rows.append(
                        [
                            f"after {number} more sessions",
                            number + len(MODES),
                            f"{rss:.1f}",
                            f"{rss - warm_rss:+.1f} / {rss - start_rss:+.1f}",
                        ]
                    )
                    print(
                        f"  {number} sessions, {time.monotonic() - started:.0f} s, RSS {rss:.1f} MB"
                    )
            chats = len(double.requests_for("/api/chat"))
        finally:
            app.stop()
    print(f"\n{args.sessions} sessions round {', '.join(MODES)}; {chats} chat requests served\n")
    print(table(["when", "sessions", "RSS MB", "growth vs warm-up / vs start MB"], rows))
    print(f"\nmachine after the run: {machine()}")


if __name__ == "__main__":
    main()
