"""Retrieval quality and query latency of the knowledge library.

    python bench/bench_retrieval.py [--data-dir DIR] [--user-chunks 10000] [--rounds 3]
                                    [--fresh-vectors]

1. Ingests the built-in knowledge/ into DIR (a temporary folder by default; reusing a DIR skips
   the ingest on later runs) and prints recall@3 and MRR per language for
   tests/data/retrieval_eval.yaml with dense-only, lexical-only and hybrid search. The library's
   chunks take the float16 vectors shipped in knowledge/.vectors/ (as the app does);
   ``--fresh-vectors`` embeds them all with the model instead (float32), to compare.
2. Query latency p50/p95 of ``Library.search`` (embedding the query included) over the eval
   queries, for the built-in library alone and with N synthetic user chunks in the uploads
   collection. The synthetic chunks get random unit vectors (latency does not depend on what the
   vectors mean, and embedding 10,000 texts would take minutes) and text drawn from the library's
   own words, so the BM25 index has a realistic vocabulary.
3. The app-start check: ``Library.open`` + ``needs_ingest()`` without touching Chroma.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.knowledge import Fusion, Library  # noqa: E402

EVAL_FILE = ROOT / "tests" / "data" / "retrieval_eval.yaml"
USER = "bench-user"


def evaluate(library: Library, queries: dict[str, list[dict[str, Any]]]) -> dict[str, tuple]:
    """(queries, recall@3, MRR over the top 10) per language, with lang set to the query's."""
    results = {}
    for lang, items in queries.items():
        known = {e.id for e in library.entries(lang=lang)}
        usable = [q for q in items if set(q["ids"]) <= known]
        at_3, reciprocal = 0, 0.0
        for query in usable:
            ids = [h.id for h in library.search(query["q"], lang=lang, k=10)]
            rank = next((i for i, id in enumerate(ids) if id in query["ids"]), None)
            at_3 += rank is not None and rank < 3
            reciprocal += 0.0 if rank is None else 1 / (rank + 1)
        results[lang] = (len(usable), at_3 / len(usable), reciprocal / len(usable))
    return results


def latencies(library: Library, queries: list[tuple[str, str]], rounds: int, **kwargs: Any) -> list:
    """Milliseconds per search, after one warm-up pass (which builds the BM25 index)."""
    for text, lang in queries[:5]:
        library.search(text, lang=lang, **kwargs)
    timings = []
    for _ in range(rounds):
        for text, lang in queries:
            started = time.perf_counter()
            library.search(text, lang=lang, **kwargs)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100)
    load = os.getloadavg()[0]
    return f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms   (n={len(timings)}, load {load:.1f})"


def add_synthetic_uploads(library: Library, count: int, seed: int = 7) -> float:
    """Put ``count`` synthetic chunks for USER into the uploads collection; returns seconds."""
    rng = random.Random(seed)
    words = [w for e in library.entries() for s in e.sections for w in s.text.split()]
    store = library.store
    vectors = np.random.default_rng(seed).normal(size=(count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    per_file = 100
    started = time.perf_counter()
    for start in range(0, count, per_file):
        source = f"{USER}/synthetic-{start // per_file:04d}.txt"
        size = min(per_file, count - start)
        store.replace_sources(
            store.uploads_name,
            [source],
            ids=[f"{source}#{i}" for i in range(size)],
            documents=[" ".join(rng.choices(words, k=80)) for _ in range(size)],
            metadatas=[
                {
                    "source": source,
                    "file_hash": "synthetic",
                    "user": USER,
                    "upload": source.split("/")[1],
                    "id": source.split("/")[1],
                    "lang": rng.choice(["da", "en"]),
                    "kind": "upload",
                    "title": source.split("/")[1],
                    "section": f"part {i + 1}",
                    "position": i,
                }
                for i in range(size)
            ],
            embeddings=list(vectors[start : start + size]),
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--user-chunks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--fresh-vectors",
        action="store_true",
        help="embed the library with the model instead of taking its shipped vectors",
    )
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    settings = Settings(data_dir=data_dir, knowledge_dir=ROOT / "knowledge")

    started = time.perf_counter()
    library = Library.open(settings)
    stale = library.needs_ingest()
    print(
        f"app-start check: Library.open + needs_ingest() = {stale} in "
        f"{(time.perf_counter() - started) * 1000:.1f} ms"
    )
    if args.fresh_vectors:
        library.store.shipped = None
    report = library.ingest()
    print(f"ingest: {report.summary()}")
    print(f"library vectors: {'fresh (float32)' if args.fresh_vectors else 'shipped (float16)'}")

    queries = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    print(f"\n{'ranking':14} {'lang':4} {'queries':>7} {'recall@3':>9} {'MRR':>6}")
    hybrid = library.retriever.fusion
    for label, fusion in (
        ("dense only", replace(hybrid, lexical_weight=0.0)),
        ("lexical only", replace(hybrid, dense_weight=0.0)),
        ("hybrid (RRF)", hybrid),
    ):
        library.retriever.fusion = fusion
        for lang, (count, recall, mrr) in evaluate(library, queries).items():
            print(f"{label:14} {lang:4} {count:7d} {recall:9.3f} {mrr:6.3f}")
    library.retriever.fusion = Fusion()

    pairs = [(q["q"], lang) for lang, items in queries.items() for q in items]
    timings = latencies(library, pairs, args.rounds)
    print(f"\nquery latency, built-in library:        {percentiles(timings)}")
    if args.user_chunks:
        seconds = add_synthetic_uploads(library, args.user_chunks)
        print(f"(stored {args.user_chunks} synthetic user chunks in {seconds:.1f} s)")
        first = time.perf_counter()
        library.search("feedback", user=USER)
        print(
            f"first search with uploads (builds their BM25 index): "
            f"{(time.perf_counter() - first) * 1000:.0f} ms"
        )
        timings = latencies(library, pairs, args.rounds, user=USER)
        print(f"query latency, + {args.user_chunks} user chunks: {percentiles(timings)}")


if __name__ == "__main__":
    main()
