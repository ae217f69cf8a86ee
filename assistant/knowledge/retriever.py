"""Hybrid retrieval: cosine similarity of the stored vectors plus BM25 over the same chunks.

The embedding model is English-trained, so a Danish query often lands near the wrong Danish
text; the lexical ranker matches the Danish words themselves. Reciprocal rank fusion (RRF) adds
``weight / (rrf_k + rank)`` from each ranking, which needs no score calibration between the two.
Both rankings run on an in-memory copy of a collection (vectors, BM25, metadata columns), built
from Chroma on first use and rebuilt when the store has changed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import bm25s
import numpy as np

from .store import KnowledgeStore, Record
from .uploads import UPLOAD_KIND, user_folder

UNDETERMINED = "und"


def _words(text: str) -> list[str]:
    return text.split()


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    _words(
        """
        og i at det er en et den de til på som med for af har ikke jeg du vi han hun man der
        så om kan skal vil eller men min mit mine din dit dine sin sit sine os jer dem mig
        dig sig hvad hvordan hvorfor hvornår hvem hvilken hvilke hvis når da fra over under
        ved efter også bare lige meget mere være været blive bliver blev have havde får få
        the a an and or of to in on with by from is are was were be been being it its this
        that these those you he she we they me my your our their do does did how what why
        when who which can could should would will shall may might not no if so as about
        into than then there here get has had
        """
    )
)
PREFIX_CHARS = 5
OTHER_SECTIONS_WEIGHT = 0.5


def tokenize(text: str) -> list[str]:
    """Lower-case words without punctuation or stopwords, cut to their first five characters.

    Cutting words short ("truncation stemming") conflates Danish and English inflections and the
    first part of Danish compounds (feedbacken, feedbacksamtale -> feedb) with no language rules;
    on tests/data/retrieval_eval.yaml it beat a suffix-stripping stemmer and plain words.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return [w[:PREFIX_CHARS] for w in _WORD.findall(folded) if w not in _STOPWORDS]


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with the identity of the entry (or upload) it comes from."""

    id: str
    lang: str
    kind: str
    title: str
    section: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The hit as a JSON-ready dict with exactly the public fields."""
        return asdict(self)


@dataclass(frozen=True)
class Fusion:
    """How the two rankings are combined (the defaults measured best; see bench/README.md).

    A weight of 0 leaves that ranking out (dense-only or lexical-only search, for comparison).
    """

    rrf_k: int = 10
    dense_weight: float = 1.0
    lexical_weight: float = 2.0  # the model is English-trained; words carry Danish queries
    depth: int = 20  # candidates taken from each ranking


class ChunkIndex:
    """Every chunk of one collection in memory: unit vectors for cosine ranking, BM25 over the
    words, and metadata columns for the filters.

    Chroma stays the store of record; ranking happens here because a Chroma 1.5 query with a
    metadata filter costs 20-60 ms on this machine, while an exact matrix product over 10,000
    chunks takes about a millisecond (see bench/README.md).
    """

    FILTERED = ("lang", "kind", "user")

    def __init__(
        self, records: list[Record], vectors: np.ndarray, text_of: Callable[[Record], str]
    ) -> None:
        self.records = records
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(records) else 1.0
        self.vectors = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
        self.columns = {
            key: np.array([str(r.metadata.get(key, "")) for r in records]) for key in self.FILTERED
        }
        self._bm25 = bm25s.BM25()
        if records:
            corpus = [tokenize(text_of(r)) or ["∅"] for r in records]
            self._bm25.index(corpus, show_progress=False)

    def mask(self, **filters: Iterable[str] | None) -> np.ndarray:
        """Which chunks pass the filters (field -> allowed values; None allows all)."""
        keep = np.ones(len(self.records), dtype=bool)
        for key, allowed in filters.items():
            if allowed is not None:
                keep &= np.isin(self.columns[key], list(allowed))
        return keep

    def dense(self, vector: np.ndarray, n: int, keep: np.ndarray) -> list[Record]:
        """The ``n`` chunks closest in angle to ``vector`` among those kept."""
        if not len(self.records):
            return []
        unit = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return self._top(np.where(keep, self.vectors @ unit, -np.inf), n)

    def lexical(self, tokens: list[str], n: int, keep: np.ndarray) -> list[Record]:
        """The ``n`` best BM25 matches for the query tokens among the chunks kept."""
        if not len(self.records) or not tokens:
            return []
        scores = np.where(keep, self._bm25.get_scores(tokens), 0.0)
        return self._top(np.where(scores > 0, scores, -np.inf), n)

    def _top(self, scores: np.ndarray, n: int) -> list[Record]:
        n = min(n, len(scores))
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [self.records[i] for i in best if np.isfinite(scores[i])]


def library_text(record: Record) -> str:
    """Lexical text of a library chunk: its heading path, tags and summary help short queries."""
    meta = record.metadata
    parts = (meta.get("title"), meta.get("section"), meta.get("tags"), meta.get("summary"))
    return " ".join(str(p) for p in parts if p) + " " + record.text


def upload_text(record: Record) -> str:
    """Lexical text of an upload chunk: file name, section label and text."""
    meta = record.metadata
    return f"{meta.get('title', '')} {meta.get('section', '')} {record.text}"


class HybridRetriever:
    """Search the library (and a user's uploads) with dense + BM25 rankings fused by RRF."""

    def __init__(self, store: KnowledgeStore, fusion: Fusion | None = None) -> None:
        self.store = store
        self.fusion = fusion or Fusion()
        self._lock = threading.Lock()
        self._indexes: dict[
            str, tuple[tuple[int, int], ChunkIndex]
        ] = {}  # name -> (version, index)

    def search(
        self,
        query: str,
        lang: str | None = None,
        kinds: Iterable[str] | None = None,
        k: int = 5,
        user: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best entries for ``query``, one hit (the best section) per entry."""
        if not query.strip() or k <= 0:
            return []
        kind_set = set(kinds) if kinds else None
        tokens = tokenize(query)
        vector: np.ndarray | None = None
        fused: dict[str, tuple[float, Record]] = {}
        for name, filters, text_of in self._sources(lang, kind_set, user):
            index = self._index(name, text_of)
            keep = index.mask(**filters)
            rankings: list[tuple[list[Record], float]] = []
            if self.fusion.dense_weight and len(index.records):
                if vector is None:
                    vector = np.asarray(self.store.embedding([query])[0], dtype=np.float32)
                rankings.append(
                    (index.dense(vector, self.fusion.depth, keep), self.fusion.dense_weight)
                )
            if self.fusion.lexical_weight:
                rankings.append(
                    (index.lexical(tokens, self.fusion.depth, keep), self.fusion.lexical_weight)
                )
            for ranking, weight in rankings:
                for rank, record in enumerate(ranking):
                    key = f"{name}/{record.chunk_id}"
                    score = fused.get(key, (0.0, record))[0]
                    fused[key] = (score + weight / (self.fusion.rrf_k + rank + 1), record)
        return _best_entries(fused.values(), k)

    def warm_up(self) -> None:
        """Build the library's in-memory index now (reading it from Chroma, building BM25), so
        the first search does not wait for it."""
        self._index(self.store.library_name, library_text)

    def _sources(
        self, lang: str | None, kinds: set[str] | None, user: str | None
    ) -> list[tuple[str, dict[str, Any], Callable[[Record], str]]]:
        """(collection, metadata filters, lexical text) for each collection to search."""
        sources: list[tuple[str, dict[str, Any], Callable[[Record], str]]] = []
        library_kinds = None if kinds is None else kinds - {UPLOAD_KIND}
        if library_kinds is None or library_kinds:
            filters = {"lang": [lang] if lang else None, "kind": library_kinds}
            sources.append((self.store.library_name, filters, library_text))
        if user and (kinds is None or UPLOAD_KIND in kinds):
            filters = {"lang": [lang, UNDETERMINED] if lang else None, "user": [user_folder(user)]}
            sources.append((self.store.uploads_name, filters, upload_text))
        return sources

    def _index(self, name: str, text_of: Callable[[Record], str]) -> ChunkIndex:
        """The in-memory index of a collection, rebuilt when the store changed (in this process
        or, through the manifest another process rewrote, outside it)."""
        key = self.store.generation(name)
        with self._lock:
            cached = self._indexes.get(name)
            if cached is None or cached[0] != key:
                records, vectors = self.store.snapshot(name)
                cached = (key, ChunkIndex(records, vectors, text_of))
                self._indexes[name] = cached
            return cached[1]


def _best_entries(fused: Iterable[tuple[float, Record]], k: int) -> list[Hit]:
    """Rank entries by their best section plus half the score of their other matching sections.

    A plain sum favours entries with many sections, the best section alone ignores an entry that
    matches all over; on tests/data/retrieval_eval.yaml this blend beat both.
    """
    sections: dict[tuple[str, str, str], list[tuple[float, Record]]] = {}
    for score, record in fused:
        meta = record.metadata
        key = (str(meta.get("kind")), str(meta.get("id")), str(meta.get("lang")))
        sections.setdefault(key, []).append((score, record))
    ranked: list[tuple[float, Record]] = []
    for scored in sections.values():
        scored.sort(key=lambda pair: pair[0], reverse=True)
        best_score, best_record = scored[0]
        total = best_score + OTHER_SECTIONS_WEIGHT * sum(score for score, _ in scored[1:])
        ranked.append((total, best_record))
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    return [_hit(record, score) for score, record in ranked[:k]]


def _hit(record: Record, score: float) -> Hit:
    meta = record.metadata
    return Hit(
        id=str(meta.get("id", "")),
        lang=str(meta.get("lang", "")),
        kind=str(meta.get("kind", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        text=record.text,
        score=round(score, 6),
    )
