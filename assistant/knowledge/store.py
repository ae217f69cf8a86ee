"""The Chroma side of the library: one pair of collections per embedding configuration.

The built-in library and the user uploads live in separate collections whose names carry the
embedding configuration (``coach-kb-minilm-l6-int8-128``, ``coach-uploads-ollama-bge-m3``), so
switching embeddings never mixes vectors: the new configuration's collections are filled
(re-indexed) on the next ingest, and switching back finds the old ones intact.

Ingest is incremental by file hash, and a chunk whose exact text has a vector in the library's
shipped file (:mod:`assistant.knowledge.vectors`) takes it instead of being embedded. A small JSON
manifest beside the Chroma files remembers what each collection holds, so "does anything need
ingesting?" is answered without opening Chroma (which takes about a second to import and start).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

# The manifest, damage checks and client helpers live in index_state; they stay importable
# from here, where callers found them before.
from .index_state import CHROMA_DB_NAME as CHROMA_DB_NAME
from .index_state import INDEX_PROBLEMS as INDEX_PROBLEMS
from .index_state import MANIFEST_NAME as MANIFEST_NAME
from .index_state import IndexManifest as IndexManifest
from .index_state import IndexProgress as IndexProgress
from .index_state import discard_embedded_index as discard_embedded_index
from .index_state import drop_collections as drop_collections
from .index_state import external_sources as external_sources
from .index_state import index_damage as index_damage
from .index_state import instance_key as instance_key
from .index_state import open_client as open_client
from .index_state import store_damage as store_damage
from .loader import (
    Chunk,
    Entry,
    LoadProblem,
    chunk_entry,
    file_hash,
    front_matter_line,
    library_files,
    load_entry,
)
from .vectors import ShippedVectors

if TYPE_CHECKING:  # chromadb itself is imported when a client is opened (open_client)
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

Progress = Callable[[int, int], None]
"""Called with (done, total) chunks while embedding."""

EMBED_GROUP = 128  # chunks per embedding call between progress reports


@dataclass
class IngestReport:
    """What one ingest did, counted in files; ``problems`` are the files that were skipped."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    chunks_embedded: int = 0  # chunks written to the index (with a vector)
    chunks_shipped: int = 0  # ... of which took their vector from the library's shipped file
    seconds: float = 0.0
    collection: str = ""

    @property
    def skipped(self) -> int:
        """Files skipped because they are broken (``coach ingest`` exits non-zero when > 0)."""
        return len(self.problems)

    @property
    def changed(self) -> bool:
        """True when the index was written to."""
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One line: added/updated/removed/unchanged/skipped."""
        files = (
            f"added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, skipped {self.skipped}"
        )
        if not self.chunks_shipped:
            return f"{files} ({self.chunks_embedded} chunks embedded in {self.seconds:.1f} s)"
        return (
            f"{files} ({self.chunks_embedded} chunks indexed in {self.seconds:.1f} s: "
            f"{self.chunks_shipped} with shipped vectors, "
            f"{self.chunks_embedded - self.chunks_shipped} embedded)"
        )


@dataclass(frozen=True)
class Record:
    """One stored chunk as Chroma returns it."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]


def collection_names(slug: str) -> tuple[str, str]:
    """(library, uploads) collection names for an embedding configuration slug."""
    clean = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:200] or "default"
    return f"coach-kb-{clean}", f"coach-uploads-{clean}"


class KnowledgeStore:
    """Chroma collections for one embedding configuration, plus the manifest that mirrors them."""

    def __init__(
        self,
        client: ClientAPI,
        embedding: Any,
        manifest: IndexManifest,
        uploads_name: str | None = None,
        shipped: ShippedVectors | None = None,
    ) -> None:
        self.client = client
        self.embedding = embedding
        self.manifest = manifest
        self.shipped = shipped  # vectors made in advance for the built-in library
        self.library_name, self.uploads_name = collection_names(embedding.collection_slug)
        self.uploads_name = uploads_name or self.uploads_name  # per instance on a shared server
        self._generations: dict[str, int] = {}
        self._collections: dict[str, Collection] = {}

    def generation(self, name: str) -> tuple[int, int]:
        """Changes whenever the collection changed, here or (per the manifest) in another
        process, so in-memory indexes know when to rebuild."""
        written = self.manifest.collection(name).get("written", 0)
        return self._generations.get(name, 0), int(written)

    def collection(self, name: str) -> Collection:
        """Open (or create) a collection with this store's embedding function and cosine space."""
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding": self.embedding.name(), "app": "peer-coach"},
                embedding_function=self.embedding,
            )
        return self._collections[name]

    def records(self, name: str, where: dict[str, Any] | None = None) -> list[Record]:
        """Every stored chunk (text + metadata) of a collection, optionally filtered."""
        got = self.collection(name).get(where=where, include=["documents", "metadatas"])
        documents = got["documents"] or []
        metadatas = got["metadatas"] or []
        return [
            Record(chunk_id, documents[i] or "", dict(metadatas[i] or {}))
            for i, chunk_id in enumerate(got["ids"])
        ]

    def sources(self, name: str, where: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
        """source -> metadata of its first chunk (file hash, id, lang, ...)."""
        got = self.collection(name).get(where=where, include=["metadatas"])
        found: dict[str, dict[str, Any]] = {}
        for metadata in got["metadatas"] or []:
            source = metadata.get("source") if metadata else None
            if metadata and isinstance(source, str):
                found.setdefault(source, dict(metadata))
        return found

    def count(self, name: str) -> int:
        """Number of chunks in a collection."""
        return self.collection(name).count()

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> list[Any]:
        """Vectors for texts: from the shipped vectors where they hold the exact text, the
        others embedded in groups (longest-similar together), reporting (done, total)."""
        vectors: list[Any] = [None] * len(texts)
        if self.shipped is not None:
            for index, text in enumerate(texts):
                vectors[index] = self.shipped.get(text)
        todo = [i for i, vector in enumerate(vectors) if vector is None]
        done = len(texts) - len(todo)
        if progress and done:
            progress(done, len(texts))
        order = sorted(todo, key=lambda i: len(texts[i]))
        for start in range(0, len(order), EMBED_GROUP):
            group = order[start : start + EMBED_GROUP]
            for index, vector in zip(group, self.embedding([texts[i] for i in group]), strict=True):
                vectors[index] = vector
            if progress:
                progress(done + min(start + EMBED_GROUP, len(order)), len(texts))
        return vectors

    def shipped_count(self, texts: Sequence[str]) -> int:
        """How many of ``texts`` have a shipped vector."""
        return 0 if self.shipped is None else len(texts) - len(self.shipped.missing(texts))

    def replace_sources(
        self,
        name: str,
        sources: list[str],
        ids: list[str],
        documents: list[str],
        metadatas: list[dict[str, Any]],
        embeddings: list[Any],
    ) -> None:
        """Put new chunks in place of everything the collection held for ``sources``.

        One delete and batched adds (``get_max_batch_size``); if an add fails, the sources are
        removed completely rather than left half-written (the next ingest adds them again).
        """
        if not sources:
            return
        collection = self.collection(name)
        gone = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": sources}}
        step = self.client.get_max_batch_size()
        try:
            collection.delete(where=gone)  # type: ignore[arg-type]
            for start in range(0, len(ids), step):
                end = start + step
                collection.add(
                    ids=ids[start:end],
                    documents=documents[start:end],
                    metadatas=metadatas[start:end],  # type: ignore[arg-type]
                    embeddings=embeddings[start:end],
                )
        except Exception:
            collection.delete(where=gone)  # type: ignore[arg-type]
            raise
        finally:
            self._generations[name] = self._generations.get(name, 0) + 1

    def remove_sources(self, name: str, sources: list[str]) -> None:
        """Delete every chunk of these files."""
        if sources:
            gone = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": sources}}
            self.collection(name).delete(where=gone)  # type: ignore[arg-type]
            self._generations[name] = self._generations.get(name, 0) + 1

    def snapshot(self, name: str) -> tuple[list[Record], np.ndarray]:
        """Every chunk of a collection with its vector (rows of the returned matrix)."""
        got = self.collection(name).get(include=["documents", "metadatas", "embeddings"])
        documents = got["documents"] or []
        metadatas = got["metadatas"] or []
        embeddings = got["embeddings"]
        records = [
            Record(chunk_id, documents[i] or "", dict(metadatas[i] or {}))
            for i, chunk_id in enumerate(got["ids"])
        ]
        if embeddings is None or not len(records):
            return records, np.zeros((0, 0), dtype=np.float32)
        return records, np.asarray(embeddings, dtype=np.float32)

    def record_manifest(self, name: str) -> None:
        """Write what the collection now holds into the manifest."""
        files = {source: meta.get("file_hash", "") for source, meta in self.sources(name).items()}
        self.manifest.record(name, files, self.count(name))


def source_key(path: Path, knowledge_dir: Path) -> str:
    """How a library file is named in the index: relative to the library when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(knowledge_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def library_hashes(knowledge_dir: Path) -> dict[str, str]:
    """source -> sha256 of every library file (a few ms for the built-in library)."""
    hashes: dict[str, str] = {}
    for path in library_files([knowledge_dir]):
        try:
            hashes[source_key(path, knowledge_dir)] = file_hash(path.read_bytes())
        except OSError:
            hashes[source_key(path, knowledge_dir)] = ""
    return hashes


def chunk_metadata(chunk: Chunk, source: str, entry: Entry, position: int) -> dict[str, Any]:
    """The metadata stored with a library chunk (strings and ints only, as Chroma wants)."""
    return {
        "source": source,
        "file_hash": entry.file_hash,
        "id": chunk.id,
        "lang": chunk.lang,
        "kind": chunk.kind,
        "title": chunk.title,
        "section": chunk.section,
        "content_hash": chunk.content_hash,
        "position": position,
        "tags": ", ".join(chunk.tags),
        "summary": chunk.summary,
    }


def ingest_library(
    store: KnowledgeStore,
    knowledge_dir: Path,
    paths: Iterable[Path] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the library collection in line with the files under ``paths`` (default: the library).

    Unchanged files are skipped, changed ones re-embedded, deleted ones removed; broken files are
    reported and left out of the index. When two files claim the same (id, lang), a file already
    indexed outside the given paths wins, then the first in path order.
    """
    started = time.perf_counter()
    name = store.library_name
    report = IngestReport(collection=name)
    roots = [Path(p) for p in paths] if paths else [knowledge_dir]
    indexed = store.sources(name)
    in_scope = {s for s in indexed if _within(_source_path(s, knowledge_dir), roots)}
    claims = {(m.get("id"), m.get("lang")): s for s, m in indexed.items() if s not in in_scope}

    todo: list[tuple[str, Entry, list[Chunk]]] = []
    keep: set[str] = set()
    for path in library_files([r for r in roots if r.exists()]):
        source = source_key(path, knowledge_dir)
        loaded = load_entry(path)
        if isinstance(loaded, LoadProblem):
            report.problems.append(loaded)
            continue
        key = (loaded.id, loaded.lang)
        if key in claims and claims[key] != source:
            report.problems.append(
                LoadProblem(
                    path,
                    front_matter_line(path, "id"),
                    f"duplicate (id, lang) ({loaded.id}, {loaded.lang}); "
                    f"already defined in {claims[key]}",
                )
            )
            continue
        claims[key] = source
        keep.add(source)
        previous = indexed.get(source)
        if previous and previous.get("file_hash") == loaded.file_hash:
            report.unchanged.append(source)
        else:
            (report.updated if previous else report.added).append(source)
            todo.append((source, loaded, chunk_entry(loaded)))

    pairs = [(source, entry, i, c) for source, entry, chunks in todo for i, c in enumerate(chunks)]
    texts = [c.embedding_text for _, _, _, c in pairs]
    store.replace_sources(
        name,
        sources=[source for source, _, _ in todo],
        ids=[f"{source}#{i}" for source, _, i, _ in pairs],
        documents=[c.text for _, _, _, c in pairs],
        metadatas=[chunk_metadata(c, source, entry, i) for source, entry, i, c in pairs],
        embeddings=store.embed(texts, progress),
    )
    report.chunks_embedded = len(pairs)
    report.chunks_shipped = store.shipped_count(texts)
    report.removed = sorted(in_scope - keep)
    store.remove_sources(name, report.removed)
    store.record_manifest(name)
    report.seconds = time.perf_counter() - started
    return report


def _source_path(source: str, knowledge_dir: Path) -> Path:
    path = Path(source)
    return path if path.is_absolute() else knowledge_dir.resolve() / path


def _within(path: Path, roots: list[Path]) -> bool:
    for root in roots:
        resolved = root.resolve()
        if path == resolved or resolved in path.parents:
            return True
    return False
