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

import json
import os
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

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

MANIFEST_NAME = "peer-coach-index.json"
CHROMA_DB_NAME = "chroma.sqlite3"  # the embedded Chroma's own SQLite file
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


class IndexManifest:
    """A JSON file remembering which files each collection holds (read without opening Chroma)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # uploads and a background ingest may write at once

    def read(self) -> dict[str, Any]:
        """The whole manifest; empty when missing or unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def collection(self, name: str) -> dict[str, Any]:
        """What is recorded for one collection: ``files`` (source -> hash), ``chunks``."""
        entry = self.read().get(name)
        return entry if isinstance(entry, dict) else {}

    def record(self, name: str, files: dict[str, str], chunks: int, **extra: Any) -> None:
        """Replace what is recorded for ``name`` (atomically: write a temporary file, rename)."""
        with self._lock:
            data = self.read()
            data[name] = {"files": files, "chunks": chunks, "written": time.time_ns(), **extra}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)


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


# -- damage, rebuild and server --------------------------------------------------------------

INDEX_PROBLEMS = ("missing", "corrupted", "collection-missing", "count-mismatch")
"""Why an index cannot be trusted (see :func:`index_damage` and :meth:`KnowledgeStore.damage`)."""


@dataclass
class IndexProgress:
    """What the (re)indexing is doing, for the log, the Knowledge tab and ``coach doctor``.

    ``state`` is 'idle', 'indexing', 'rebuilding', 'done' or 'failed'; ``reason`` is one of
    :data:`INDEX_PROBLEMS` during a rebuild. Each change writes one line to ``log`` (standard
    error by default), at most one per tenth of the work.
    """

    state: str = "idle"
    reason: str = ""
    done: int = 0
    total: int = 0
    log: Callable[[str], None] | None = None
    progress_lines: bool = True  # False where a progress bar already shows it (`coach ingest`)
    _step: int = field(default=-1, repr=False)

    @property
    def busy(self) -> bool:
        """True while indexing or rebuilding."""
        return self.state in ("indexing", "rebuilding")

    def begin(self, state: str, reason: str = "") -> None:
        """Start a run: 'indexing' (incremental) or 'rebuilding' (the index was damaged)."""
        self.state, self.reason, self.done, self.total, self._step = state, reason, 0, 0, -1
        if state == "rebuilding":
            self._say(
                f"Knowledge index {reason.replace('-', ' ')}: rebuilding it from the library "
                "and the stored uploads"
            )

    def __call__(self, done: int, total: int) -> None:
        """A :data:`Progress` callback: record (done, total) chunks and log every tenth."""
        self.done, self.total = done, total
        step = done * 10 // total if total else 10
        if step != self._step and self.progress_lines:
            self._step = step
            verb = "Rebuilding" if self.state == "rebuilding" else "Indexing"
            self._say(f"{verb} the knowledge index: {done}/{total} chunks")

    def finish(self, ok: bool, summary: str = "") -> None:
        """End a run; ``summary`` goes to the log."""
        self.state = "done" if ok else "failed"
        if summary:
            self._say(summary)

    def _say(self, line: str) -> None:
        if self.log is not None:
            self.log(line)
        else:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()


def index_damage(chroma_dir: Path, manifest: IndexManifest, names: Sequence[str]) -> str | None:
    """A cheap check (no chromadb import, a few ms) of the embedded index the manifest describes.

    Returns 'missing' when the Chroma database file is gone, 'corrupted' when it is not a
    readable SQLite database, 'collection-missing' when a collection the manifest records is
    not in it, and None when it looks sound or was never built (a normal ingest builds it).
    """
    recorded = [name for name in names if manifest.collection(name).get("files")]
    if not recorded:
        return None
    database = chroma_dir / CHROMA_DB_NAME
    if not database.is_file():
        return "missing"
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            present = {row[0] for row in db.execute("SELECT name FROM collections")}
    except sqlite3.Error:
        return "corrupted"
    return "collection-missing" if any(name not in present for name in recorded) else None


def store_damage(store: KnowledgeStore, names: Sequence[str]) -> str | None:
    """The same question asked through the Chroma client (works for a Chroma server too):
    'collection-missing', 'count-mismatch' (fewer or more chunks than the manifest records),
    'corrupted' (Chroma fails to answer) or None."""
    from chromadb.errors import NotFoundError

    for name in names:
        recorded = store.manifest.collection(name)
        if not recorded.get("files"):
            continue
        try:
            count = store.client.get_collection(name).count()
        except (NotFoundError, ValueError):
            return "collection-missing"
        except Exception:
            return "corrupted"
        if count != int(recorded.get("chunks", -1)):
            return "count-mismatch"
    return None


def external_sources(manifest: IndexManifest, name: str) -> list[Path]:
    """Files ingested by path from outside the library (``coach ingest ~/notes``) that still
    exist, so a rebuild can index them again."""
    files = manifest.collection(name).get("files", {})
    return sorted(Path(s) for s in files if Path(s).is_absolute() and Path(s).is_file())


def discard_embedded_index(client: ClientAPI | None, chroma_dir: Path) -> None:
    """Close the embedded Chroma client and delete its files (they are derived data: the
    library files and the stored upload originals rebuild them)."""
    close = getattr(client, "close", None)
    if callable(close):
        with suppress(Exception):  # a damaged store may fail to close; its files go anyway
            close()
    shutil.rmtree(chroma_dir, ignore_errors=True)


def drop_collections(client: ClientAPI, names: Sequence[str]) -> None:
    """Delete these collections on a Chroma server (ignoring ones that are already gone)."""
    for name in names:
        with suppress(Exception):  # already gone, or unreadable: it is recreated empty anyway
            client.delete_collection(name)


def instance_key(data_dir: Path) -> str:
    """A random id for this data dir, made once and kept in ``data_dir/instance-id``.

    App instances sharing a Chroma server add it to their uploads collection's name, so one
    instance never sees, nor (when syncing) deletes, another instance's user documents.
    """
    path = data_dir / "instance-id"
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError:
        key = ""
    if not re.fullmatch(r"[a-f0-9]{12}", key):
        key = os.urandom(6).hex()
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(key + "\n", encoding="utf-8")
    return key


def open_client(chroma_dir: Path, chroma_url: str | None = None) -> ClientAPI:
    """The Chroma client: a server's (``chromadb.HttpClient``) when ``chroma_url`` is set, else
    the embedded store in ``chroma_dir``; telemetry is off either way.

    ``chroma_url`` is ``http(s)://host[:port][/path]``; the port defaults to 8000 (Chroma's).
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.errors import CoachError

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlsplit

        url = urlsplit(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        ssl = url.scheme == "https"
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if ssl else 8000),
                ssl=ssl,
                settings=settings,
            )
        except ValueError as exc:  # chromadb's "Could not connect to a Chroma server"
            raise CoachError(
                "chroma_unreachable",
                f"Cannot reach the Chroma server at {chroma_url} ({exc}). Start it, or unset "
                "COACH_CHROMA_URL to use the built-in store.",
                f"Kan ikke nå Chroma-serveren på {chroma_url} ({exc}). Start den, eller fjern "
                "COACH_CHROMA_URL for at bruge det indbyggede lager.",
            ) from exc
    chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=settings)
