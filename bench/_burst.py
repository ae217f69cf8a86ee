"""What the concurrency and scale benchmarks share: a burst of tagged reflect messages sent
from every client at the same instant, its checks (each reply is its own, the double saw one
request per client) and the table of the results.

Every message carries its session's tag; the double's reply echoes the first words of the
message it was sent, so a reply that carries another session's tag is cross-talk. Added
latency = the client's time from submit to the final output minus the double's own time for
that reply (its chunks x the token delay).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.common import chat_text, machine, percentile, table
from bench.queue_client import QueueClient
from tests.fixtures.ollama_double import OllamaDouble, default_reply, split_tokens

# The table's columns after the setup's own; ``Tally.cells`` fills them in this order.
TALLY_HEADERS = ["completed", "cross-talk", "failed", "added p50", "added p95", "added max"]


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


@dataclass
class Tally:
    """The results of every round of one setup."""

    sent: int = 0
    completed: int = 0
    crossed: int = 0
    failed: int = 0
    added: list[float] = field(default_factory=list)
    # Submit -> the request's arrival at the double, per completed reply.
    waited: list[float] = field(default_factory=list)

    def cells(self) -> list[Any]:
        """The table cells named by ``TALLY_HEADERS``."""
        return [
            f"{self.completed} / {self.sent}",
            self.crossed,
            self.failed,
            f"{percentile(self.added, 50) * 1000:.0f} ms",
            f"{percentile(self.added, 95) * 1000:.0f} ms",
            f"{max(self.added) * 1000:.0f} ms" if self.added else "-",
        ]


def burst(
    clients: Sequence[Any],
    round_: int,
    message: Callable[[str], str],
    double: OllamaDouble,
    token_delay: float,
    tally: Tally,
) -> None:
    """One round: every client sends ``message(its tag)`` at the same instant; the replies
    are checked and counted into ``tally``."""
    before = len(double.requests_for("/api/chat"))
    barrier = threading.Barrier(len(clients))
    results: list[dict[str, Any]] = [{} for _ in clients]
    threads = [
        threading.Thread(
            target=one_turn, args=(client, message(tag(i, round_)), barrier, results[i])
        )
        for i, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    requests = double.requests_for("/api/chat")[before:]
    arrivals = {first_word(r.body["messages"]): r.time for r in requests}
    seen = sorted(first_word(r.body["messages"]) for r in requests)
    if seen != sorted(tag(i, round_) for i in range(len(clients))):
        print(f"  round {round_}: the double saw {seen}")
    tally.sent += len(clients)
    for i, result in enumerate(results):
        if "error" in result:
            tally.failed += 1
            print(f"  session {i}: {result['error']}")
            continue
        own = tag(i, round_)
        others = [tag(j, round_) for j in range(len(clients)) if j != i]
        if own not in result["reply"] or any(other in result["reply"] for other in others):
            tally.crossed += 1
            print(f"  session {i}: reply {result['reply']!r} is not its own")
            continue
        tally.completed += 1
        if own in arrivals:
            tally.waited.append(arrivals[own] - result["started"])
        expected = default_reply([{"role": "user", "content": message(own)}])
        tally.added.append(result["seconds"] - len(split_tokens(expected)) * token_delay)


def report(
    setup: Sequence[str],
    extra: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sessions: int,
    rounds: int,
    token_delay: float,
    route: str = "",
) -> None:
    """Print the caption, the Markdown table (the ``setup`` columns, the tally's, the
    ``extra`` ones) and the machine's state after the run."""
    print(
        f"\n{sessions} simultaneous reflect sessions x {rounds} rounds{route}, "
        f"double at {token_delay * 1000:.0f} ms per token:\n"
    )
    print(table([*setup, *TALLY_HEADERS, *extra], rows))
    print(f"\nmachine after the run: {machine()}")
