"""The knowledge library: built-in coaching knowledge plus each user's own notes, searchable.

Build one :class:`Library` per app (``Library.open(settings)``) and pass it to whoever needs it.
Opening is cheap: Chroma and the embedding model start on first use, and
:meth:`Library.needs_ingest` only hashes files and reads a manifest (10-20 ms), so app start can
decide quickly and ingest in the background::

    library = Library.open(settings)
    if library.needs_ingest():
        threading.Thread(target=library.ingest, name="ingest", daemon=True).start()

Importing this package is light: chromadb (about a second), the ONNX runtime and the BM25
index are imported on first use (building the embedding function, opening the store, the first
search), so the web app can serve its page before any of them has loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .embeddings import (
    EmbeddingSpec,
    EmbeddingUnavailable,
    ModelFilesError,
    embedding_from_spec,
    model_files_ok,
)
from .loader import KINDS, LANGS, Chunk, Entry, LoadProblem, chunk_entry, load_entries
from .store import (
    MANIFEST_NAME,
    IndexManifest,
    IndexProgress,
    IngestReport,
    KnowledgeStore,
    Progress,
    collection_names,
    discard_embedded_index,
    drop_collections,
    external_sources,
    index_damage,
    ingest_library,
    instance_key,
    library_hashes,
    open_client,
    store_damage,
)
from .uploads import Upload, UploadError, UploadShelf, uploads_need_sync
from .vectors import shipped_vectors_for

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

    from assistant.config import Settings

    from .chroma_embeddings import MiniLMEmbedding, OllamaEmbedding
    from .retriever import Fusion, Hit, HybridRetriever

# Exported names whose modules import chromadb or bm25s: imported on first access.
_LAZY = {
    "MiniLMEmbedding": "chroma_embeddings",
    "OllamaEmbedding": "chroma_embeddings",
    "Fusion": "retriever",
    "Hit": "retriever",
    "HybridRetriever": "retriever",
}


def __getattr__(name: str) -> Any:
    """Import the heavy exports (see ``_LAZY``) when first asked for."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "KINDS",
    "LANGS",
    "Chunk",
    "EmbeddingSpec",
    "EmbeddingUnavailable",
    "Entry",
    "Fusion",
    "Hit",
    "IngestReport",
    "Library",
    "LoadProblem",
    "MiniLMEmbedding",
    "ModelFilesError",
    "OllamaEmbedding",
    "Upload",
    "UploadError",
    "chunk_entry",
    "embedding_from_spec",
    "load_entries",
    "search",
]


class Library:
    """The built-in library and user uploads behind one object: ingest, search, read, upload."""

    def __init__(
        self,
        knowledge_dir: Path,
        chroma_dir: Path,
        uploads_dir: Path,
        embedding: MiniLMEmbedding | OllamaEmbedding | EmbeddingSpec,
        client: ClientAPI | None = None,
        chroma_url: str | None = None,
        exclusive: Callable[[str], AbstractContextManager[None]] | None = None,
    ) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.chroma_dir = Path(chroma_dir)
        self.uploads_dir = Path(uploads_dir)
        self._embedding = embedding  # a spec is built into the function on first use
        self.manifest = IndexManifest(self.chroma_dir / MANIFEST_NAME)
        self.library_name, self.uploads_name = collection_names(embedding.collection_slug)
        self._client = client
        self._owns_client = client is None  # one passed in is the caller's to close
        self.chroma_url = chroma_url or None  # a Chroma server instead of the embedded store
        if self.chroma_url:  # instances sharing a server keep their users' uploads apart
            self.uploads_name += f"-{instance_key(self.uploads_dir.parent)}"
        self.indexing = IndexProgress()  # what background (re)indexing is doing, for the UI
        # With a Chroma server: a lock every app process on the database sees (the store's
        # ``exclusive``), so processes started together index the library once, in turn.
        self.exclusive = exclusive
        self._lock = threading.RLock()
        self._ingesting = threading.Lock()
        self._store: KnowledgeStore | None = None
        self._retriever: HybridRetriever | None = None
        self._shelf: UploadShelf | None = None
        self._entries: dict[tuple[str, str], Entry] | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        exclusive: Callable[[str], AbstractContextManager[None]] | None = None,
    ) -> Library:
        """Build the library from settings (nothing heavy starts until it is used);
        ``exclusive`` is the store's lock for processes sharing a Chroma server."""
        embedding = EmbeddingSpec.parse(
            settings.embeddings, settings.ollama_host, settings.connect_timeout
        )
        return cls(
            knowledge_dir=settings.knowledge_dir,
            chroma_dir=settings.chroma_dir,
            uploads_dir=settings.data_dir / "uploads",
            embedding=embedding,
            chroma_url=settings.chroma_url,
            exclusive=exclusive,
        )

    # -- the pieces, built on first use -------------------------------------------------------

    @property
    def embedding(self) -> MiniLMEmbedding | OllamaEmbedding:
        """The embedding function (built on first use: building it imports chromadb)."""
        with self._lock:
            if isinstance(self._embedding, EmbeddingSpec):
                self._embedding = self._embedding.build()
            return self._embedding

    @property
    def store(self) -> KnowledgeStore:
        """The Chroma store (opened on first use: importing and starting Chroma takes ~1 s),
        with the library's shipped vectors when they fit the embedding (see ``vectors``)."""
        with self._lock:
            if self._store is None:
                embedding = self.embedding  # registers the function with Chroma first
                if self._client is None:
                    self._client = open_client(self.chroma_dir, self.chroma_url)
                    self._owns_client = True
                self._store = KnowledgeStore(
                    self._client,
                    embedding,
                    self.manifest,
                    uploads_name=self.uploads_name,
                    shipped=shipped_vectors_for(self.knowledge_dir, embedding),
                )
            return self._store

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever over this library's collections."""
        with self._lock:
            if self._retriever is None:
                from .retriever import HybridRetriever

                self._retriever = HybridRetriever(self.store)
            return self._retriever

    @property
    def shelf(self) -> UploadShelf:
        """User documents of this library."""
        with self._lock:
            if self._shelf is None:
                self._shelf = UploadShelf(self.store, self.uploads_dir)
            return self._shelf

    def close(self) -> None:
        """Close the Chroma client (the embedded store's files, or a server's HTTP
        connections) if one was opened; the next use opens a new one. A client passed in is
        the caller's and is left open."""
        with self._lock:
            client = self._client if self._owns_client else None
            self._store, self._retriever, self._shelf = None, None, None
            if client is not None:
                self._client = None
                close = getattr(client, "close", None)  # chromadb's Client has one
                if callable(close):
                    close()

    # -- ingest ---------------------------------------------------------------------------------

    def needs_ingest(self) -> bool:
        """True when the library files or stored uploads differ from what the index holds.

        Reads only the files and a small manifest (no Chroma), a few milliseconds; a damaged
        embedded index (see :meth:`index_problem`) also needs one.
        """
        if self.index_problem() is not None:
            return True
        recorded = self.manifest.collection(self.library_name).get("files")
        if recorded is None:
            return True  # never ingested with this embedding configuration
        # Files ingested by path from outside the library (`coach ingest ~/notes`) are skipped.
        inside = {s: digest for s, digest in recorded.items() if not Path(s).is_absolute()}
        if inside != library_hashes(self.knowledge_dir):
            return True
        return uploads_need_sync(self.manifest, self.uploads_name, self.uploads_dir)

    def ingest(
        self, paths: Iterable[Path] | None = None, progress: Progress | None = None
    ) -> IngestReport:
        """Index changed library files (all of the library when ``paths`` is None).

        Without ``paths`` this also re-indexes stored uploads the current embedding's collection
        lacks (after an embedding switch) and removes chunks of deleted uploads.

        On a Chroma server shared by several app processes, each ingest holds the shared
        lock (``exclusive``): the first process indexes, the next finds its work done (every
        file unchanged) and embeds nothing.
        """
        # One at a time: a start-up ingest and a UI one may overlap, and so may processes.
        with self._ingesting, self._shared_index():
            problem = self.index_problem(deep=True)
            self.indexing.begin("rebuilding" if problem else "indexing", problem or "")
            track = _both(self.indexing, progress)
            try:
                if problem:
                    report = self._rebuild(track)
                else:
                    report = ingest_library(self.store, self.knowledge_dir, paths, track)
                if paths is None or problem:
                    uploads = self.shelf.sync(track)
                    report.chunks_embedded += uploads.chunks_embedded
                    report.problems += uploads.problems
            except BaseException:
                self.indexing.finish(False, "Indexing the knowledge library failed")
                raise
            self.indexing.finish(True)
        with self._lock:
            self._entries = None
        return report

    def _shared_index(self) -> AbstractContextManager[None]:
        if self.chroma_url and self.exclusive is not None:
            return self.exclusive(f"knowledge-index:{self.chroma_url}:{self.library_name}")
        return nullcontext()

    def index_problem(self, deep: bool = False) -> str | None:
        """Why the index cannot be trusted ('missing', 'corrupted', 'collection-missing',
        'count-mismatch'), or None. Cheap for the embedded store (its SQLite file, no Chroma);
        ``deep`` also asks Chroma itself, which is the only check for a Chroma server."""
        names = (self.library_name, self.uploads_name)
        if self.chroma_url is None:
            problem = index_damage(self.chroma_dir, self.manifest, names)
            if problem or not deep:
                return problem
        elif not deep:
            return None
        try:
            store = self.store
        except Exception:  # Chroma cannot even open its files (a server may just be down)
            if self.chroma_url:
                raise
            return "corrupted"
        return store_damage(store, names)

    def _rebuild(self, progress: Progress) -> IngestReport:
        """Start the index afresh and fill it from the library (and from files once ingested
        by path that still exist); the caller re-indexes the stored uploads."""
        outside = external_sources(self.manifest, self.library_name)
        with self._lock:
            if self.chroma_url is None:
                discard_embedded_index(self._client, self.chroma_dir)
                self._client = None
            else:
                drop_collections(self.store.client, (self.library_name, self.uploads_name))
            self.manifest.path.unlink(missing_ok=True)
            self._store = self._retriever = self._shelf = None
        report = ingest_library(self.store, self.knowledge_dir, None, progress)
        if outside:
            extra = ingest_library(self.store, self.knowledge_dir, outside, progress)
            report.added += extra.added
            report.problems += extra.problems
            report.chunks_embedded += extra.chunks_embedded
        return report

    # -- retrieval and reading ------------------------------------------------------------------

    def warm_up(self) -> None:
        """Get the first search ready: load the embedding model (MiniLM: about half a second)
        and build the library's in-memory index (BM25 and vectors, a few tenths of a second).

        Ingest no longer loads the model when the library's shipped vectors cover it, so run
        this in a background thread after ingesting (or instead, when nothing needs it).
        """
        warm = getattr(self.embedding, "warm_up", None)
        if callable(warm):
            warm()
        self.retriever.warm_up()

    def search(
        self,
        query: str,
        lang: str | None = None,
        kinds: Iterable[str] | None = None,
        k: int = 5,
        user: str | None = None,
    ) -> list[Hit]:
        """The best ``k`` entries for ``query`` (one hit per entry), optionally filtered.

        Args:
            query: what the person asked, in Danish or English.
            lang: 'da' or 'en' to keep one language; None for both.
            kinds: entry kinds to keep (``KINDS`` plus 'upload'); None for all.
            k: how many hits.
            user: include this user's uploads (kind 'upload').
        """
        return self.retriever.search(query, lang=lang, kinds=kinds, k=k, user=user)

    def entry(self, id: str, lang: str) -> Entry | None:
        """The full entry (front matter and sections) for (id, lang), or None."""
        return self._loaded().get((id, lang))

    def entries(self, kind: str | None = None, lang: str | None = None) -> list[Entry]:
        """All loadable entries, optionally of one kind and/or language, in path order."""
        return [
            e
            for e in self._loaded().values()
            if (kind is None or e.kind == kind) and (lang is None or e.lang == lang)
        ]

    def _loaded(self) -> dict[tuple[str, str], Entry]:
        with self._lock:
            if self._entries is None:
                entries, _ = load_entries(self.knowledge_dir)
                self._entries = {(e.id, e.lang): e for e in entries}
            return self._entries

    # -- uploads --------------------------------------------------------------------------------

    def add_upload(self, user: str, file_name: str, data: bytes) -> Upload:
        """Store and index a user's .md/.txt/.pdf; raises :class:`UploadError` when refused."""
        return self.shelf.add(user, file_name, data)

    def list_uploads(self, user: str) -> list[Upload]:
        """The user's uploaded documents, newest first."""
        return self.shelf.documents(user)

    def delete_upload(self, user: str, name: str) -> bool:
        """Delete one of the user's documents; False when there was none of that name."""
        return self.shelf.delete(user, name)

    # -- health ---------------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """A cheap health summary for ``coach doctor`` (no Chroma, no model load)."""
        recorded = self.manifest.collection(self.library_name)
        files = recorded.get("files", {})
        embedding = self._embedding
        if isinstance(embedding, EmbeddingSpec):
            minilm = embedding.kind == "minilm"
        else:  # already built, so chromadb is already imported
            from .chroma_embeddings import MiniLMEmbedding

            minilm = isinstance(embedding, MiniLMEmbedding)
        return {
            "knowledge": {
                "entries": len(files),
                "chunks": int(recorded.get("chunks", 0)),
                "collection": self.library_name,
                "up_to_date": not self.needs_ingest(),
            },
            "embeddings": {
                "name": embedding.collection_slug,
                # None: an Ollama model has no local files to check.
                "model_files_ok": model_files_ok() if minilm else None,
            },
        }


def _both(first: Progress, second: Progress | None) -> Progress:
    def report(done: int, total: int) -> None:
        first(done, total)
        if second is not None:
            second(done, total)

    return report


def search(
    query: str,
    lang: str | None = None,
    kinds: Iterable[str] | None = None,
    k: int = 5,
    *,
    library: Library,
    user: str | None = None,
) -> list[Hit]:
    """Search ``library``; see :meth:`Library.search`."""
    return library.search(query, lang=lang, kinds=kinds, k=k, user=user)
