"""Vectors of the built-in library, shipped with it, so a first start does not embed 446 chunks.

``knowledge/.vectors/<embedding slug>.npz`` holds one vector per built-in chunk, made with the real
embedding model by ``coach vectors``. Each vector is keyed by a hash of the exact text the model
sees (:attr:`Chunk.embedding_text`), and the file records the embedding configuration it was made
with (:func:`assistant.knowledge.embeddings.minilm_vector_spec`: function, model and tokenizer
sha256, input cut, pooling). Ingest takes a chunk's vector from the file when its key is there and
the configuration matches, and embeds the others; so an edited or added knowledge file is still
embedded (only its changed sections), and a stale file only costs time, never correctness.

Vectors are stored as float16 (343 KB for 446 x 384; measured against fresh float32 vectors:
1 - cosine at most 1.2e-7, components within 7e-5, the same retrieval eval figures) and handed
out as unit-length float32. ``coach vectors`` keeps the stored vectors of unchanged chunks and
embeds only new and edited ones (``--all`` embeds everything again).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .loader import chunk_entry, load_entries

VECTORS_DIR = ".vectors"
KEY_BYTES = 16  # of the text's sha256: collisions are out of reach for a library's chunks
REGENERATE = "coach vectors"


def text_key(text: str) -> bytes:
    """The key of one embedding input: the first 16 bytes of the sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:KEY_BYTES]


def vectors_path(knowledge_dir: Path, slug: str) -> Path:
    """Where the library's shipped vectors for one embedding configuration live."""
    return Path(knowledge_dir) / VECTORS_DIR / f"{slug}.npz"


@dataclass(frozen=True)
class ShippedVectors:
    """Vectors read from a shipped file: look one up by the exact text that was embedded."""

    spec: Mapping[str, Any]
    rows: Mapping[bytes, int]
    vectors: np.ndarray
    path: Path

    @classmethod
    def read(cls, path: Path) -> ShippedVectors | None:
        """The file's vectors, or None when it is missing or unreadable (then all is embedded)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                spec = json.loads(str(data["spec"]))
                keys = np.asarray(data["keys"], dtype=np.uint8)
                vectors = np.asarray(data["vectors"])
        except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile):
            return None
        if (
            not isinstance(spec, dict)
            or keys.ndim != 2
            or keys.shape[1] != KEY_BYTES
            or vectors.ndim != 2
            or len(vectors) != len(keys)
        ):
            return None
        rows = {bytes(key): row for row, key in enumerate(keys)}
        return cls(spec=spec, rows=rows, vectors=vectors, path=Path(path))

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text_key(text) in self.rows

    def matches(self, spec: Mapping[str, Any] | None) -> bool:
        """True when the file was made with exactly this embedding configuration."""
        return spec is not None and dict(self.spec) == dict(spec)

    def get(self, text: str) -> np.ndarray | None:
        """The unit-length float32 vector of ``text``, or None when the file lacks it."""
        row = self.rows.get(text_key(text))
        if row is None:
            return None
        vector = self.vectors[row].astype(np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)

    def stored(self, text: str) -> np.ndarray | None:
        """The vector of ``text`` exactly as stored (float16), or None."""
        row = self.rows.get(text_key(text))
        return None if row is None else self.vectors[row]

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts (in order) that have no vector here."""
        return [text for text in texts if text_key(text) not in self.rows]


def shipped_vectors_for(knowledge_dir: Path, embedding: Any) -> ShippedVectors | None:
    """The shipped vectors usable with ``embedding``: None when it has no ``vector_spec`` (an
    Ollama model), the file is missing or unreadable, or it was made with another configuration.
    """
    spec_of = getattr(embedding, "vector_spec", None)
    if not callable(spec_of):
        return None
    shipped = ShippedVectors.read(vectors_path(knowledge_dir, embedding.collection_slug))
    return shipped if shipped is not None and shipped.matches(spec_of()) else None


def write_vectors(
    path: Path,
    spec: Mapping[str, Any],
    texts: Sequence[str],
    vectors: np.ndarray | Sequence[Any],
    dtype: type[np.floating[Any]] = np.float16,
) -> int:
    """Write ``texts``' vectors (deduplicated, sorted by key so the file is stable) atomically;
    returns the size of the file in bytes."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if not len(texts):
        matrix = matrix.reshape(0, 0)
    if matrix.ndim != 2 or len(matrix) != len(texts):
        raise ValueError(f"{len(texts)} texts but vectors of shape {matrix.shape}")
    by_key = {text_key(text): row for row, text in enumerate(texts)}
    keys = sorted(by_key)
    rows = [by_key[key] for key in keys]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    np.savez(
        tmp,
        spec=np.array(json.dumps(dict(spec), sort_keys=True)),
        keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), KEY_BYTES),
        vectors=matrix[rows].astype(dtype),
    )
    os.replace(tmp, path)
    return path.stat().st_size


def library_texts(knowledge_dir: Path) -> list[str]:
    """What the embedding model sees for every chunk of the loadable library files, in order."""
    entries, _ = load_entries(Path(knowledge_dir))
    return [chunk.embedding_text for entry in entries for chunk in chunk_entry(entry)]


def stale_vectors(knowledge_dir: Path, slug: str, spec: Mapping[str, Any]) -> str | None:
    """Why the shipped vectors do not fit the library exactly (a vector for every chunk, none
    for a chunk that is gone, made with ``spec``), or None when they do."""
    path = vectors_path(knowledge_dir, slug)
    shipped = ShippedVectors.read(path)
    if shipped is None:
        problem = f"{path} is missing or unreadable"
    elif not shipped.matches(spec):
        problem = f"{path} was made with {dict(shipped.spec)}, but the library embeds with {spec}"
    else:
        texts = library_texts(knowledge_dir)
        missing = shipped.missing(texts)
        extra = len(shipped) - len({text_key(text) for text in texts})
        if missing:
            first = missing[0].splitlines()[0][:80]
            problem = (
                f"{len(missing)} of {len(texts)} library chunks have no vector in {path} "
                f"(the first is {first!r})"
            )
        elif extra:
            problem = f"{path} holds {extra} vectors of chunks no longer in the library"
        else:
            return None
    return f"{problem}; run `{REGENERATE}` to make the shipped vectors again"


@dataclass(frozen=True)
class MadeVectors:
    """What :func:`make_library_vectors` wrote."""

    path: Path
    vectors: int
    embedded: int  # the others were kept from the previous file
    size: int  # bytes


def make_library_vectors(
    knowledge_dir: Path,
    embedding: Any,
    progress: Callable[[int, int], None] | None = None,
    everything: bool = False,
    group: int = 64,
) -> MadeVectors:
    """Write the shipped file for every library chunk, embedding with ``embedding`` (a function
    with ``vector_spec``) the chunks the current file lacks (all of them when ``everything``, or
    when the file was made with another configuration); vectors of chunks that are gone go."""
    path = vectors_path(knowledge_dir, embedding.collection_slug)
    spec = embedding.vector_spec()
    texts = sorted(set(library_texts(knowledge_dir)), key=len)
    previous = None if everything else ShippedVectors.read(path)
    kept = previous if previous is not None and previous.matches(spec) else None
    vectors: list[Any] = [kept.stored(text) if kept else None for text in texts]  # unchanged
    todo = [i for i, vector in enumerate(vectors) if vector is None]
    for start in range(0, len(todo), group):
        batch = todo[start : start + group]
        for index, vector in zip(batch, embedding([texts[i] for i in batch]), strict=True):
            vectors[index] = vector
        if progress:
            progress(min(start + group, len(todo)), len(todo))
    size = write_vectors(path, spec, texts, np.asarray(vectors))
    return MadeVectors(path, len(texts), len(todo), size)
