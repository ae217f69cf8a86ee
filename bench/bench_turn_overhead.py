"""Turn overhead: what the app adds to the model's time to first token.

    python bench/bench_turn_overhead.py                  # 200 turns per mode (about 12 minutes)
    python bench/bench_turn_overhead.py --turns 40       # a quick run
    python bench/bench_turn_overhead.py --skip-app       # only the in-process pipeline part

Uses the Ollama HTTP double (tests/fixtures/ollama_double.py), not a real Ollama: the double
waits a fixed ``--first-token-delay`` (300 ms) before the first token of every chat reply, so
whatever comes on top of it is the app's doing.

1. **Through the app.** ``python app.py`` runs as a subprocess against the double and a client
   sends turns in each mode (reflect ``/send``, rehearse ``/rehearse_send``, practice
   ``/practice_send``, qa ``/qa_send``; a new session every ``--session-turns`` turns, a new Q&A
   round whenever one ends). The client is ``--client``: ``browser`` (bench/queue_client.py,
   Gradio's queue protocol as the page speaks it), ``gradio_client`` (which adds its own
   latency, see bench/queue_client.py), or both. For every turn the double's recorded request
   is replayed with a direct ``ollama.Client.chat(stream=True)`` call: the same messages and
   options. Reported:
   time to first token (TTFT) through the app vs direct, their ratio p50/p95, and where the
   app's extra time goes: before the request reaches the double (Gradio queue + the mode's
   pipeline + HTTP) and after the first token leaves it (streaming back through Gradio).
2. **The app's own pipeline**, in process: ``build_services`` + the modes against the double
   (no delay), timing from the mode's entry (``respond``) to the moment the double records the
   request (both read ``time.monotonic`` in this process). Once with the built-in library
   indexed, once with ``--user-chunks`` synthetic user chunks added to the uploads collection
   (bench_retrieval.py's generator).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
from tests.fixtures.ollama_double import OllamaDouble  # noqa: E402

MODES = ("reflect", "rehearse", "practice", "qa")
SCENARIO = "missed-deadlines"
PERSONA = "wants-the-answer"
QA_NOTES = (
    "# Moving the release to quarterly\n\nWe ship four times a year instead of monthly.\n\n"
    "# Why\n\nFewer regressions and one test cycle per release.\n\n"
    "# Cost\n\nCustomers wait longer for small fixes."
)
QA_QUESTIONS = 10


def user_line(mode: str, turn: int) -> str:
    """A plausible line for the mode, unique per turn."""
    if mode == "qa":
        return f"Turn {turn}: we move to quarterly releases because it cuts regressions by half."
    if mode == "practice":
        return f"Turn {turn}: what have you already tried, and what happened then?"
    return f"Turn {turn}: I keep postponing the talk with Sam about the missed deadlines."


# --------------------------------------------------------------------------------------------
# 1. Through the app
# --------------------------------------------------------------------------------------------


class ModeDriver:
    """Starts a session in one mode through gradio_client and sends turns."""

    def __init__(
        self, client: Any, mode: str, queue: QueueClient | None = None, session_turns: int = 30
    ) -> None:
        self.client, self.mode, self.queue = client, mode, queue
        self.session_turns = session_turns
        self.turns_in_session = 0
        self.chat_length = 0
        self.qa_answers = QA_QUESTIONS

    def prepare(self) -> None:
        """Start a session (or a new Q&A round when the last one used its questions); after
        ``session_turns`` turns, a new browser session starts a new coaching session."""
        if self.turns_in_session >= self.session_turns:
            self.client.reset_session()  # the QueueClient follows: it reads the session hash
            self.turns_in_session = self.chat_length = 0
            self.qa_answers = QA_QUESTIONS
        self.turns_in_session += 1
        if self.mode == "rehearse" and not self.chat_length:
            self.chat_length = len(
                self.client.predict(SCENARIO, "realistic", "en", api_name="/rehearse")[0]
            )
        elif self.mode == "practice" and not self.chat_length:
            self.chat_length = len(
                self.client.predict(PERSONA, "realistic", "en", api_name="/practice")[0]
            )
        elif self.mode == "qa" and self.qa_answers >= QA_QUESTIONS:
            outputs = self.client.predict(
                QA_NOTES, "sceptical-executive", QA_QUESTIONS, "realistic", "en", api_name="/qa"
            )
            self.chat_length, self.qa_answers = len(outputs[0]), 0

    def submit(self, text: str) -> Iterator[tuple[float, list[Any]]]:
        """Send one turn; yields ``(time.monotonic(), outputs)`` for every streamed update."""
        api_name, args = self.turn_call(text)
        if self.queue is not None:
            yield from self.queue.stream(api_name, *args)
            return
        for outputs in self.client.submit(*args, api_name=api_name):
            yield time.monotonic(), outputs

    def turn_call(self, text: str) -> tuple[str, tuple[Any, ...]]:
        """The endpoint and arguments of one turn in this mode."""
        if self.mode == "reflect":
            return "/send", (text, "en")
        if self.mode == "rehearse":
            return "/rehearse_send", (text, "en")
        if self.mode == "practice":
            return "/practice_send", (text, True, "en")
        self.qa_answers += 1
        return "/qa_send", (text, "en")


def app_turn(driver: ModeDriver, double: OllamaDouble, turn: int) -> dict[str, Any] | None:
    """One turn through the app; returns the timings or None when no reply came back."""
    driver.prepare()
    before = len(double.requests_for("/api/chat"))
    started = time.monotonic()
    first = None
    chat: list[dict[str, Any]] = []
    for seen, outputs in driver.submit(user_line(driver.mode, turn)):
        chat = outputs[0]
        if (
            first is None
            and len(chat) >= driver.chat_length + 2
            and chat[-1].get("role") == "assistant"
            and chat_text(chat[-1])
        ):
            first = seen
    driver.chat_length = len(chat)
    requests = double.requests_for("/api/chat")[before:]
    if first is None or not requests:
        return None
    return {
        "ttft": first - started,
        "arrived": requests[0].time - started,
        "body": requests[0].body,
    }


def direct_ttft(client: Any, body: dict[str, Any]) -> float:
    """Time to first token of the same request sent with ``ollama.Client.chat``."""
    started = time.monotonic()
    stream = client.chat(
        model=body["model"], messages=body["messages"], options=body.get("options"), stream=True
    )
    first = None
    for part in stream:
        if first is None and part.message.content:
            first = time.monotonic()
    return (first or time.monotonic()) - started


def pair_ms(values: list[float]) -> str:
    """``"p50 / p95"`` in milliseconds."""
    return f"{percentile(values, 50) * 1000:.1f} / {percentile(values, 95) * 1000:.1f}"


def run_app(
    turns: int, modes: tuple[str, ...], delay: float, client: str, session_turns: int
) -> list[list[Any]]:
    """Part 1: TTFT through the app vs direct, per mode, seen by ``client`` ("browser":
    bench/queue_client.py, the page's own protocol; or "gradio_client")."""
    import ollama
    from gradio_client import Client

    rows = []
    with OllamaDouble(first_token_delay=delay) as double:
        data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-turn-")) / "data"
        started = time.monotonic()
        app = start_app(double.url, data_dir, COACH_FIRST_TOKEN_TIMEOUT="30")
        print(f"app started in {time.monotonic() - started:.1f} s ({app.url})")
        direct = ollama.Client(host=double.url)
        try:
            for mode in modes:
                gradio = Client(app.url, verbose=False)
                queue = QueueClient(gradio) if client == "browser" else None
                driver = ModeDriver(gradio, mode, queue, session_turns)
                app_ttft, ratios, arrived, after = [], [], [], []
                for turn in range(turns):
                    timing = app_turn(driver, double, turn)
                    if timing is None:
                        print(f"  {mode} turn {turn}: no reply")
                        continue
                    ttft_direct = direct_ttft(direct, timing["body"])
                    app_ttft.append(timing["ttft"])
                    ratios.append(timing["ttft"] / ttft_direct)
                    arrived.append(timing["arrived"])
                    after.append(timing["ttft"] - timing["arrived"] - ttft_direct)
                    if turn % 50 == 49:
                        print(f"  {mode}: {turn + 1} turns")
                rows.append(
                    [
                        mode,
                        client,
                        len(ratios),
                        f"{percentile(app_ttft, 50) * 1000:.0f} ms",
                        f"{percentile(ratios, 50):.3f}",
                        f"{percentile(ratios, 95):.3f}",
                        pair_ms(arrived),
                        pair_ms(after),
                    ]
                )
        finally:
            app.stop()
    return rows


# --------------------------------------------------------------------------------------------
# 2. The pipeline in process
# --------------------------------------------------------------------------------------------


def session_turns(services: Any, mode_name: str) -> Iterator[Callable[[], Iterator[str]]]:
    """Endless turns in one mode: each item starts the mode's ``respond`` for the next line."""
    mode = services.modes[mode_name]
    user = services.store.user_id()
    session = None
    for turn in itertools.count():
        if mode_name == "qa" and (session is None or turn % QA_QUESTIONS == 0):
            options = {"notes": QA_NOTES, "questions": QA_QUESTIONS}
            session = mode.start(user, "en", options)
            for _ in mode.opening(session):
                pass
        elif session is None:
            options = {"scenario": PERSONA if mode_name == "practice" else SCENARIO}
            session = mode.start(user, "en", options)
        else:  # re-read it each turn as the page does (e.g. reflect titles it on turn one)
            session = services.store.session(user, session.id) or session
        yield functools.partial(mode.respond, session, user_line(mode_name, turn))


def pipeline_times(services: Any, double: OllamaDouble, mode: str, turns: int) -> list[float]:
    """Seconds from the mode's entry to the double receiving the request, per turn."""
    times = []
    for _, start_turn in zip(range(turns + 5), session_turns(services, mode), strict=False):
        before = len(double.requests_for("/api/chat"))
        started = time.monotonic()
        for _ in start_turn():
            pass
        request = double.requests_for("/api/chat")[before]
        times.append(request.time - started)
    return times[5:]  # the first turns warm caches (prompt files, scenario book)


def run_pipeline(
    turns: int, modes: tuple[str, ...], user_chunks: int, data_dir: Path | None
) -> list[list[Any]]:
    """Part 2: the app's own time from message received to request sent."""
    from assistant.config import Settings
    from assistant.services import build_services
    from bench.bench_retrieval import USER, add_synthetic_uploads

    rows = []
    with OllamaDouble() as double:
        data_dir = data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-pipe-"))
        settings = Settings(data_dir=data_dir, ollama_host=double.url)
        services = build_services(settings)
        started = time.monotonic()
        if services.library.needs_ingest():
            services.library.ingest()
            print(f"indexed the built-in library in {time.monotonic() - started:.0f} s")
        for label in ("built-in library", f"+ {user_chunks:,} user chunks"):
            if label.startswith("+"):
                seconds = add_synthetic_uploads(services.library, user_chunks)
                print(f"added {user_chunks:,} user chunks for {USER} in {seconds:.0f} s")
                services.library.search("feedback", lang="en", user=USER)  # build its index
            for mode in modes:
                times = pipeline_times(services, double, mode, turns)
                rows.append(
                    [
                        label,
                        mode,
                        len(times),
                        f"{percentile(times, 50) * 1000:.1f} ms",
                        f"{percentile(times, 95) * 1000:.1f} ms",
                    ]
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200, help="turns per mode through the app")
    parser.add_argument("--pipeline-turns", type=int, default=200, help="turns per mode in process")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--first-token-delay", type=float, default=0.3)
    parser.add_argument("--user-chunks", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse an indexed data dir")
    add_client_option(parser, default="both")
    parser.add_argument(
        "--session-turns",
        type=int,
        default=30,
        help="turns per coaching session before a new one starts (Gradio's work per update "
        "grows with the chat's length; 30 is the prefix benchmark's session length)",
    )
    parser.add_argument("--skip-app", action="store_true")
    parser.add_argument("--skip-pipeline", action="store_true")
    args = parser.parse_args()
    modes = tuple(m for m in args.modes.split(",") if m)
    print(f"machine: {machine()}")
    print("Ollama: the HTTP double (tests/fixtures/ollama_double.py), not a real model\n")
    if not args.skip_app:
        kinds = clients(args.client)
        rows = [
            row
            for client in kinds
            for row in run_app(
                args.turns, modes, args.first_token_delay, client, args.session_turns
            )
        ]
        print(
            f"\nTime to first token through the app vs direct ollama.Client.chat "
            f"(double's first-token delay {args.first_token_delay * 1000:.0f} ms):\n"
        )
        headers = [
            "mode",
            "client",
            "turns",
            "app TTFT p50",
            "ratio p50",
            "ratio p95",
            "before request p50/p95 ms",
            "after first token p50/p95 ms",
        ]
        print(table(headers, rows))
    if not args.skip_pipeline:
        rows = run_pipeline(args.pipeline_turns, modes, args.user_chunks, args.data_dir)
        print("\nThe app's pipeline: mode entry -> request received by the double:\n")
        print(table(["knowledge store", "mode", "turns", "p50", "p95"], rows))
    print(f"\nmachine after the run: {machine()}")


if __name__ == "__main__":
    main()
