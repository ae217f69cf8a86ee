"""Measure a real Ollama's prompt and generation rates and print them as a cost profile.

    OLLAMA_HOST=http://127.0.0.1:11434 python bench/calibrate_ollama.py --model gemma3:4b
    python bench/bench_user_latency.py --profile "$(python bench/calibrate_ollama.py --spec-only)"

Three short requests per round, each starting with a fresh nonce so nothing comes from the
prompt cache: a long prompt with ``num_predict`` 1 (prompt tokens/s, P), a short prompt asking
for a long answer (generated tokens/s, G), and the same with a JSON schema in ``format``
(schema G). Then the model is unloaded (``keep_alive`` 0) and loaded again with an empty
``messages`` list (load seconds). The rates come from Ollama's own ``prompt_eval_count`` /
``prompt_eval_duration`` and ``eval_count`` / ``eval_duration``; a server that does not report
a duration (the shim in ../shared/real-model/) is timed by the client instead, and the output
says so. It also prints characters per prompt token next to the cost model's estimate
(tests/fixtures/model_cost.py), to check that estimate against a real tokenizer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures.model_cost import CostProfile, chat_pieces  # noqa: E402

PASSAGE = (
    "Peer coaching works when both colleagues agree on what the session is for, keep the "
    "focus on the coachee's own goal, ask open questions before offering any advice, and end "
    "with one concrete step the coachee chooses. "
)
SCHEMA = {
    "type": "object",
    "properties": {"steps": {"type": "array", "items": {"type": "string"}}},
    "required": ["steps"],
}


def timed_chat(client: Any, model: str, messages: list[dict[str, str]], **kwargs: Any) -> dict:
    """One streamed chat; Ollama's final counts plus the client's own first-token and total
    times (seconds)."""
    started = time.perf_counter()
    first: float | None = None
    final: Any = None
    for part in client.chat(model=model, messages=messages, stream=True, **kwargs):
        if first is None and part.message.content:
            first = time.perf_counter() - started
        final = part
    total = time.perf_counter() - started
    return {
        "first": first if first is not None else total,
        "total": total,
        "prompt_count": final.prompt_eval_count or 0,
        "prompt_ns": final.prompt_eval_duration or 0,
        "eval_count": final.eval_count or 0,
        "eval_ns": final.eval_duration or 0,
        "load_ns": final.load_duration or 0,
        "chars": sum(len(m["content"]) for m in messages),
        "estimate": len(chat_pieces(messages)),
    }


def prompt_rate(result: dict) -> tuple[float, str]:
    """Prompt tokens/s: Ollama's counts, else the count over the client's time to first token."""
    if result["prompt_ns"] and result["eval_ns"]:
        return result["prompt_count"] / (result["prompt_ns"] / 1e9), "reported"
    return result["prompt_count"] / result["first"], "timed (first token)"


def gen_rate(result: dict) -> tuple[float, str]:
    """Generated tokens/s: Ollama's counts, else tokens after the first over the time after it."""
    if result["eval_ns"]:
        return result["eval_count"] / (result["eval_ns"] / 1e9), "reported"
    after = max(result["total"] - result["first"], 1e-9)
    return max(result["eval_count"] - 1, 1) / after, "timed (after first token)"


def calibrate(client: Any, model: str, rounds: int, tokens: int) -> tuple[CostProfile, list[str]]:
    """Measure the profile; returns it and lines describing how each figure was obtained."""
    prompts, gens, schemas, notes = [], [], [], []
    ratio = []
    for _ in range(rounds):
        nonce = uuid.uuid4().hex
        long = [
            {"role": "system", "content": f"[{nonce}] " + PASSAGE * 12},
            {"role": "user", "content": "Say OK."},
        ]
        read = timed_chat(client, model, long, options={"num_predict": 1})
        rate, how = prompt_rate(read)
        prompts.append(rate)
        ratio.append(
            (read["chars"] / max(read["prompt_count"], 1), read["chars"] / read["estimate"])
        )
        ask = [
            {"role": "user", "content": f"[{nonce}] List twenty short tips for a peer coach."},
        ]
        free = timed_chat(client, model, ask, options={"num_predict": tokens})
        gen, gen_how = gen_rate(free)
        gens.append(gen)
        shaped = timed_chat(client, model, ask, options={"num_predict": tokens}, format=SCHEMA)
        schemas.append(gen_rate(shaped)[0])
    notes.append(f"P from {read['prompt_count']} prompt tokens, {how}")
    notes.append(f"G from {free['eval_count']} generated tokens, {gen_how}")
    real, estimated = (statistics.median(r[i] for r in ratio) for i in (0, 1))
    notes.append(
        f"characters per prompt token: {real:.2f} reported by the server, "
        f"{estimated:.2f} by the cost model's estimate"
    )
    load = measure_load(client, model, notes)
    profile = CostProfile(
        name="measured",
        prompt_tps=round(statistics.median(prompts), 1),
        gen_tps=round(statistics.median(gens), 1),
        schema_tps=round(statistics.median(schemas), 1),
        load_s=round(load, 1),
        source=f"calibrate_ollama.py against {model}",
    )
    return profile, notes


def measure_load(client: Any, model: str, notes: list[str]) -> float:
    """Unload (keep_alive 0), then load with an empty messages list; seconds it took."""
    client.chat(model=model, messages=[], keep_alive=0)
    started = time.perf_counter()
    reply = client.chat(model=model, messages=[])
    elapsed = time.perf_counter() - started
    if reply.load_duration:
        notes.append("load from Ollama's load_duration")
        return reply.load_duration / 1e9
    notes.append("load timed by the client (the server reported no load_duration)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"))
    parser.add_argument("--model", default=os.environ.get("COACH_MODEL", "gemma3:4b"))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=48, help="num_predict of the G requests")
    parser.add_argument("--spec-only", action="store_true", help="print only P=..,G=..")
    args = parser.parse_args()

    import ollama

    client = ollama.Client(host=args.host, timeout=600)
    profile, notes = calibrate(client, args.model, args.rounds, args.tokens)
    if args.spec_only:
        print(profile.spec())
        return
    print(f"Ollama at {args.host}, model {args.model}, {args.rounds} round(s)")
    for note in notes:
        print(f"  {note}")
    print(f"\nprompt {profile.prompt_tps:g} tokens/s, generation {profile.gen_tps:g} tokens/s, ")
    print(f"schema-constrained {profile.schema_tps:g} tokens/s, load {profile.load_s:g} s\n")
    print("Plug it in:")
    print(f'  python bench/bench_user_latency.py --profile "{profile.spec()}"')


if __name__ == "__main__":
    main()
