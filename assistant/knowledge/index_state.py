"""The index's state outside the collections: the manifest, damage checks, and the Chroma client.

The manifest (a JSON file beside the Chroma files) and :func:`index_damage` answer "is the index
there and sound?" without importing chromadb; :func:`store_damage`, :func:`open_client` and the
rebuild helpers import it only when they run.
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
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # chromadb itself is imported when a client is opened (open_client)
    from chromadb.api import ClientAPI

    from .store import KnowledgeStore

MANIFEST_NAME = "peer-coach-index.json"
CHROMA_DB_NAME = "chroma.sqlite3"  # the embedded Chroma's own SQLite file


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
    Processes sharing one data dir share the id: the file is created only if absent, so two
    of them starting together on a new folder read the same one.
    """
    path = data_dir / "instance-id"
    key = _read_key(path)
    if key is not None:
        return key
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".instance-id.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(os.urandom(6).hex() + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)  # whole, and only if absent: else another process's is kept
    except FileExistsError:
        if _read_key(path) is None:  # not another process's key but a damaged file
            os.replace(tmp, path)
    except OSError:  # a filesystem without hard links: the last process to start wins
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key(path) or path.read_text(encoding="utf-8").strip()


def _read_key(path: Path) -> str | None:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return key if re.fullmatch(r"[a-f0-9]{12}", key) else None


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
