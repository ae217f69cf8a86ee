"""Whose files are in Gradio's cache: each signed-in user reads only their own.

Gradio serves every file in its cache (``GRADIO_TEMP_DIR``, by default ``/tmp/gradio``) to
anyone signed in who knows the path (``/gradio_api/file=<path>``), and accepts any such path as
an upload given to an event. Two kinds of cached file belong to a user here:

- what the app writes for them (exports, scenario files, plans): written into the user's own
  folder inside the cache, ``<cache>/peer-coach-users/<key of the name>/`` (0700), where Gradio
  serves it as it is (it copies only files outside its cache);
- what they upload (``POST /gradio_api/upload``): the guard records the paths Gradio answers
  with, per user: in the store when one is given (``owners``), so every app process on the
  same database and cache folder knows whose upload a file is; else in memory while the app
  runs.

Several app processes share files when they share the cache folder: set ``GRADIO_TEMP_DIR``
to one folder all of them can reach (see the README's "Team deployment"). A user's folder is
named from the user's name, so any process finds it.

``may_read(user, path)`` is the one rule: outside the cache Gradio's own rules apply; inside,
a path under a user folder is that user's only, and any other cached file only its uploader's.
Without sign-in there is one user, who may read everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from starlette.types import Message, Send

__all__ = ["UserFiles", "file_route_path", "gradio_cache_dir", "recording_uploads"]

USERS_FOLDER = "peer-coach-users"
LOCAL_FOLDER = "local"
# The routes through which Gradio 6.31 serves a file by path (routes.py: ``/file={path}``
# and its deprecated twin ``/file/{path}``, both under the API prefix).
FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/file/")


def gradio_cache_dir() -> Path:
    """Where Gradio keeps uploads and the files events return (its own rule, utils.py)."""
    configured = os.environ.get("GRADIO_TEMP_DIR")
    return Path(configured or Path(tempfile.gettempdir()) / "gradio").resolve()


def file_route_path(path: str) -> str | None:
    """The file path a request path asks Gradio to serve, or None when it asks for no file
    (a URL given to ``file=`` is fetched from the web, not read from the cache)."""
    for route in FILE_ROUTES:
        if path.startswith(route):
            asked = path[len(route) :]
            if asked.startswith(("http://", "https://")):
                return None
            return asked
    return None


class UploadOwners(Protocol):
    """Where uploads' owners are kept for every process (assistant/store/logins.py)."""

    def add_uploads(self, user: str, paths: list[str]) -> None: ...
    def upload_owner(self, path: str) -> str | None: ...


def _resolved(path: str | Path) -> Path:
    # Gradio's own reading of a path (utils.abspath, then resolve in is_in_or_equal).
    return Path(os.path.abspath(str(path))).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass
class UserFiles:
    """The per-user file rule described in the module docstring."""

    cache_dir: Path = field(default_factory=gradio_cache_dir)
    owners: UploadOwners | None = None
    _uploads: dict[str, set[Path]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def users_dir(self) -> Path:
        """The folder holding every user's folder."""
        return self.cache_dir / USERS_FOLDER

    def folder(self, user: str | None) -> Path:
        """The user's own folder in the cache (created 0700); ``None`` is the single user of
        an app without sign-in."""
        key = LOCAL_FOLDER if user is None else hashlib.sha256(user.encode()).hexdigest()[:20]
        folder = self.users_dir / key
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.users_dir.chmod(0o700)
        folder.chmod(0o700)
        return folder

    def write_text(self, user: str | None, name: str, text: str) -> str:
        """Write a download for the user (a folder of its own, so names never collide) and
        return its path, for a ``gr.File`` or ``gr.DownloadButton`` value."""
        folder = Path(tempfile.mkdtemp(dir=self.folder(user)))
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def record_uploads(self, user: str, paths: list[str]) -> None:
        """Remember that the user uploaded these files (Gradio's answer to an upload)."""
        if self.owners is not None:
            self.owners.add_uploads(user, [str(_resolved(p)) for p in paths])
            return
        with self._lock:
            self._uploads.setdefault(user, set()).update(_resolved(p) for p in paths)

    def may_read(self, user: str | None, path: str | Path) -> bool:
        """Whether this user may read (download, or hand to an event) the file at ``path``."""
        if user is None:
            return True
        asked = _resolved(path)
        if not _inside(asked, self.cache_dir.resolve()):
            return True  # not a cached file: Gradio's own allow and block lists decide
        users_dir = self.users_dir.resolve()
        if _inside(asked, users_dir):
            return _inside(asked, self.folder(user).resolve())
        if self.owners is not None:
            return self.owners.upload_owner(str(asked)) == user
        with self._lock:
            return asked in self._uploads.get(user, set())


def recording_uploads(files: UserFiles, user: str, send: Send) -> Send:
    """A ``send`` that passes Gradio's answer to an upload on and records, for ``user``, the
    paths it names (a JSON list of the cached files)."""
    status = 0
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and status == 200:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                try:
                    paths = json.loads(b"".join(chunks))
                except ValueError:
                    paths = []
                if isinstance(paths, list):
                    files.record_uploads(user, [p for p in paths if isinstance(p, str)])
        await send(message)

    return sending
