"""How long "Analyse a conversation" takes, up to the largest conversation it accepts.

    python bench/bench_analyse.py              # 1,000 chars, 20,000 chars and the limit
    python bench/bench_analyse.py --rounds 5

Times, in process and without a model (the analysis is rules only): parsing, labelling and
counting (``analyse_only``), and the whole stored path (``ConversationAnalyser.analyse``:
the session, the text as its turn, the analysis in its options) in a fresh SQLite file.
The largest conversation is ``Settings.max_message_chars`` x 20 (160,000 characters by
default).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.analysis import ConversationAnalyser  # noqa: E402
from assistant.analysis.transcript import SIZE_FACTOR  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from bench.common import machine  # noqa: E402

EXCHANGE = (
    "Anna: How did the launch go from your side?\n"
    "Ben: Honestly it was a rush, and I felt nobody listened when I said the date was early.\n"
    "Anna: It sounds like you felt left alone with a deadline you did not believe in.\n"
    "Ben: Yes. And then the bug reports came in and I fixed them at night.\n"
    "Anna: Did you tell your manager? You should talk to her on Monday.\n"
)


def conversation(chars: int) -> str:
    """Whole exchanges up to ``chars`` characters."""
    return EXCHANGE * max(1, chars // len(EXCHANGE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    limit = Settings().max_message_chars
    print(machine())
    for chars in (1_000, 20_000, limit * SIZE_FACTOR):
        text = conversation(chars)
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "coach.db")
            store.migrate()
            analyser = ConversationAnalyser(store, limit)
            user = store.user_id("bench")
            analysed, stored = [], []
            for _ in range(args.rounds):
                start = time.perf_counter()
                analysis = analyser.analyse_only(analyser.parse(text, "en"), "Anna")
                analysed.append(time.perf_counter() - start)
                start = time.perf_counter()
                analyser.analyse(user, text, "en", "Anna")
                stored.append(time.perf_counter() - start)
        lines = len(analysis.lines)
        print(
            f"{len(text):>7} chars, {lines:>5} lines: analyse {statistics.median(analysed):.3f} s,"
            f" analyse + store {statistics.median(stored):.3f} s (median of {args.rounds})"
        )


if __name__ == "__main__":
    main()
