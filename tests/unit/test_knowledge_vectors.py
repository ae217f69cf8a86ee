"""The vectors shipped with the built-in library: current for knowledge/, and the file format.

The file-format tests store seeded random unit vectors (what is checked there is the file, not
what the vectors mean); the real model's vectors are compared with the shipped ones in
tests/integration/test_knowledge_store.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.config import PROJECT_ROOT
from assistant.knowledge.chroma_embeddings import MiniLMEmbedding, OllamaEmbedding
from assistant.knowledge.embeddings import MAX_TOKENS, minilm_slug, minilm_vector_spec
from assistant.knowledge.loader import library_files
from assistant.knowledge.vectors import (
    REGENERATE,
    ShippedVectors,
    library_texts,
    shipped_vectors_for,
    stale_vectors,
    text_key,
    vectors_path,
    write_vectors,
)

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SLUG = minilm_slug(MAX_TOKENS)
SPEC = minilm_vector_spec(MAX_TOKENS)

ENTRY = """\
---
id: {id}
lang: en
kind: strategy
title: "{title}"
tags: [listening]
summary: "One sentence."
number: 1
---

# {title}

## What it is
{first}

## How to practise it
{second}
"""


def write_entry(root: Path, id: str, first: str, second: str = "Practise it daily.") -> Path:
    path = root / "strategies" / f"{id}.en.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = id.replace("-", " ").capitalize()
    path.write_text(ENTRY.format(id=id, title=title, first=first, second=second), "utf-8")
    return path


def unit_vectors(count: int, seed: int = 3) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    write_entry(root, "active-listening", "Listen fully, then reflect back what you heard.")
    write_entry(root, "open-questions", "Ask what and how, not yes-or-no questions.")
    return root


def ship(library: Path, spec: dict[str, str | int] = SPEC) -> np.ndarray:
    texts = library_texts(library)
    vectors = unit_vectors(len(texts))
    write_vectors(vectors_path(library, SLUG), spec, texts, vectors)
    return vectors


# -- the built-in library ---------------------------------------------------------------------


def test_shipped_vectors_cover_every_built_in_chunk() -> None:
    """Fails after a knowledge file was edited without making the shipped vectors again."""
    stale = stale_vectors(KNOWLEDGE_DIR, SLUG, SPEC)

    assert stale is None, stale


def test_shipped_vectors_are_float16_and_small() -> None:
    shipped = ShippedVectors.read(vectors_path(KNOWLEDGE_DIR, SLUG))

    assert shipped is not None
    assert shipped.vectors.dtype == np.float16 and shipped.vectors.shape[1] == 384
    assert vectors_path(KNOWLEDGE_DIR, SLUG).stat().st_size < 1024 * len(shipped)


def test_the_vectors_folder_is_not_part_of_the_library() -> None:
    files = library_files([KNOWLEDGE_DIR])

    assert files and not any(".vectors" in path.parts for path in files)


# -- staleness is reported with the command that fixes it ---------------------------------------


def test_current_vectors_are_not_stale(library: Path) -> None:
    ship(library)

    assert stale_vectors(library, SLUG, SPEC) is None


def test_a_missing_file_is_stale(library: Path) -> None:
    stale = stale_vectors(library, SLUG, SPEC)

    assert stale is not None
    assert "missing" in stale and f"run `{REGENERATE}`" in stale


def test_an_edited_section_is_stale_and_named(library: Path) -> None:
    ship(library)
    write_entry(library, "open-questions", "Ask open questions that start with what or how.")

    stale = stale_vectors(library, SLUG, SPEC)

    assert stale is not None
    assert "1 of 4 library chunks have no vector" in stale
    assert "Open questions" in stale and f"run `{REGENERATE}`" in stale


def test_vectors_of_a_deleted_file_are_stale(library: Path) -> None:
    ship(library)
    (library / "strategies" / "open-questions.en.md").unlink()

    stale = stale_vectors(library, SLUG, SPEC)

    assert stale is not None
    assert "holds 2 vectors of chunks no longer in the library" in stale


def test_vectors_made_with_another_model_are_stale_and_not_used(library: Path) -> None:
    ship(library, {**SPEC, "model_sha256": "0" * 64})

    stale = stale_vectors(library, SLUG, SPEC)

    assert stale is not None and "was made with" in stale and f"run `{REGENERATE}`" in stale
    assert shipped_vectors_for(library, MiniLMEmbedding()) is None


# -- the file -------------------------------------------------------------------------------------


def test_vectors_come_back_by_exact_text_as_unit_float32(library: Path) -> None:
    vectors = ship(library)
    texts = library_texts(library)

    shipped = shipped_vectors_for(library, MiniLMEmbedding())

    assert shipped is not None and len(shipped) == len(texts) == 4
    for text, original in zip(texts, vectors, strict=True):
        got = shipped.get(text)
        assert got is not None and got.dtype == np.float32
        assert abs(float(np.linalg.norm(got)) - 1.0) < 1e-6
        assert float(got @ original) > 0.9999  # float16 keeps the direction
    assert shipped.get(texts[0] + " ") is None  # one character more is another text
    assert shipped.missing([texts[1], "new text"]) == ["new text"]


def test_an_embedding_without_a_vector_spec_gets_no_shipped_vectors(library: Path) -> None:
    ship(library)
    ollama = OllamaEmbedding(model="nomic-embed-text")  # no request is made
    assert not hasattr(ollama, "vector_spec")

    assert shipped_vectors_for(library, ollama) is None


@pytest.mark.parametrize("content", [b"", b"not a zip file", b"PK\x03\x04broken"])
def test_an_unreadable_file_is_ignored(library: Path, content: bytes) -> None:
    path = vectors_path(library, SLUG)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    assert ShippedVectors.read(path) is None
    assert shipped_vectors_for(library, MiniLMEmbedding()) is None
    assert stale_vectors(library, SLUG, SPEC) is not None


def test_the_file_holds_the_same_whatever_the_order_of_texts(tmp_path: Path) -> None:
    texts = [f"chunk {i}" for i in range(10)] + ["chunk 3"]  # a repeated text is stored once
    vectors = np.concatenate([unit_vectors(10), unit_vectors(10)[3:4]])

    write_vectors(tmp_path / "a.npz", SPEC, texts, vectors)
    write_vectors(tmp_path / "b.npz", SPEC, texts[::-1], vectors[::-1])
    first = ShippedVectors.read(tmp_path / "a.npz")
    second = ShippedVectors.read(tmp_path / "b.npz")

    assert first is not None and second is not None and len(first) == 10
    assert first.rows == second.rows and text_key("chunk 1") in first.rows
    assert np.array_equal(first.vectors, second.vectors)
