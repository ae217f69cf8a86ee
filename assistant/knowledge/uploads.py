"""User documents: a person's own .md, .txt or .pdf notes, searchable next to the library.

The original is kept under ``<uploads_dir>/<user>/<sanitised name>`` so it can be re-indexed when
the embedding configuration changes; its chunks go into the uploads collection, tagged with the
user. Adding is all-or-nothing: a file that breaks a limit, cannot be read or cannot be embedded
leaves neither a file nor a chunk behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.errors import CoachError

from .loader import LoadProblem, file_hash
from .store import IndexManifest, IngestReport, KnowledgeStore, Progress

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 50
ALLOWED_SUFFIXES = (".md", ".txt", ".pdf")
CHUNK_WORDS = 80  # about the 128 tokens MiniLM embeds, even for Danish
MAX_NAME_CHARS = 80
UPLOAD_KIND = "upload"


def _words(text: str) -> list[str]:
    return text.split()


_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_DA_WORDS = frozenset(
    _words(
        """
    og det er at jeg ikke til med på som har de for af den om kan vi du så hvad hvordan
    eller men hun han min mit mig hvis når skal vil også være blev efter
    """
    )
)
_EN_WORDS = frozenset(
    _words(
        """
    the and is to of in that it for with on you not what how but was are be this have my me
    if when will also can they from
    """
    )
)


class UploadError(CoachError, ValueError):
    """An upload was refused: a :class:`CoachError` whose ``messages`` hold the reason in
    English and Danish."""

    def __init__(self, code: str, en: str, da: str) -> None:
        super().__init__(code, en, da)
        self.messages = {"en": en, "da": da}

    def message(self, lang: str = "en") -> str:
        """The reason in ``lang`` ('en' or 'da')."""
        return self.messages.get(lang, self.messages["en"])


@dataclass(frozen=True)
class Upload:
    """One stored user document."""

    user: str
    name: str
    size: int
    chunks: int
    lang: str
    modified: float


def user_folder(user: str) -> str:
    """A folder name for a user id: the id itself when it is safe, else a slug plus a hash."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", user):
        return user
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", user).strip("-")[:40] or "user"
    return f"{slug}-{hashlib.sha256(user.encode()).hexdigest()[:10]}"


def safe_file_name(name: str) -> str:
    """The file name without any directory part, unsafe characters or hidden-file dot."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    stem, _, suffix = base.rpartition(".") if "." in base else (base, "", "")
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_.")[: MAX_NAME_CHARS - 6] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix).lower()
    return f"{stem}.{suffix}" if suffix else stem


def guess_language(text: str) -> str:
    """'da', 'en' or 'und' from common function words (good enough to filter notes by language)."""
    words = re.findall(r"\w+", text.lower())[:2000]
    da = sum(w in _DA_WORDS for w in words) + 3 * sum(ch in "æøå" for ch in text[:5000])
    en = sum(w in _EN_WORDS for w in words)
    if da + en < 3:
        return "und"
    return "da" if da > en else "en"


def check_upload(name: str, data: bytes) -> None:
    """Raise :class:`UploadError` when the type or size is not allowed."""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(ALLOWED_SUFFIXES)
        raise UploadError(
            "type",
            f"'{name}' is not a supported file type; upload {allowed} files.",
            f"'{name}' er ikke en understøttet filtype; upload {allowed}-filer.",
        )
    if not data:
        raise UploadError("empty", f"'{name}' is empty.", f"'{name}' er tom.")
    if len(data) > MAX_BYTES:
        size, limit = f"{len(data) / 1_048_576:.1f}", MAX_BYTES // 1_048_576
        raise UploadError(
            "size",
            f"'{name}' is {size} MB; the limit is {limit} MB.",
            f"'{name}' fylder {size.replace('.', ',')} MB; grænsen er {limit} MB.",
        )


def extract_sections(name: str, data: bytes) -> list[tuple[str, str]]:
    """The document as (section label, text) pairs: headings for .md, pages for .pdf."""
    check_upload(name, data)
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        sections = _pdf_pages(name, data)
    else:
        text = _decode(name, data)
        sections = _markdown_sections(text) if suffix == ".md" else [("", text)]
    sections = [(label, text.strip()) for label, text in sections if text.strip()]
    if not sections:
        raise UploadError(
            "no-text",
            f"No text found in '{name}' (a scanned PDF has only images).",
            f"Der blev ikke fundet tekst i '{name}' (en scannet PDF indeholder kun billeder).",
        )
    return sections


def split_into_chunks(sections: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Cut sections into chunks of at most ``CHUNK_WORDS`` words, along paragraphs if possible."""
    chunks: list[tuple[str, str]] = []
    for label, text in sections:
        part: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text):
            words = paragraph.split()
            if part and len(part) + len(words) > CHUNK_WORDS:
                chunks.append((label, " ".join(part)))
                part = []
            while len(words) > CHUNK_WORDS:
                chunks.append((label, " ".join(words[:CHUNK_WORDS])))
                words = words[CHUNK_WORDS:]
            part += words
        if part:
            chunks.append((label, " ".join(part)))
    return [(label or f"part {i}", text) for i, (label, text) in enumerate(chunks, start=1)]


class UploadShelf:
    """Add, list, delete and re-index user documents (originals on disk, chunks in Chroma)."""

    def __init__(self, store: KnowledgeStore, uploads_dir: Path) -> None:
        self.store = store
        self.uploads_dir = uploads_dir

    def add(self, user: str, file_name: str, data: bytes) -> Upload:
        """Store and index a document for ``user``; raises :class:`UploadError` when refused."""
        name = safe_file_name(file_name)
        chunks = split_into_chunks(extract_sections(name, data))
        folder = self.uploads_dir / user_folder(user)
        folder.mkdir(parents=True, exist_ok=True)
        name = _free_name(folder, name)
        lang = guess_language(" ".join(text for _, text in chunks))
        vectors = self.store.embed(_embedding_texts(name, chunks))
        tmp = folder / f".{name}.partial"
        tmp.write_bytes(data)
        source = f"{user_folder(user)}/{name}"
        try:
            self._write_chunks(source, name, data, chunks, lang, vectors)
            os.replace(tmp, folder / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            self.store.remove_sources(self.store.uploads_name, [source])
            raise
        self.store.record_manifest(self.store.uploads_name)
        return Upload(user, name, len(data), len(chunks), lang, (folder / name).stat().st_mtime)

    def documents(self, user: str) -> list[Upload]:
        """The user's documents, newest first."""
        folder = self.uploads_dir / user_folder(user)
        if not folder.is_dir():
            return []
        stored = self.store.records(self.store.uploads_name, where={"user": user_folder(user)})
        counts: dict[str, int] = {}
        langs: dict[str, str] = {}
        for record in stored:
            upload = str(record.metadata.get("upload", ""))
            counts[upload] = counts.get(upload, 0) + 1
            langs[upload] = str(record.metadata.get("lang", "und"))
        uploads = [
            Upload(
                user,
                path.name,
                stat.st_size,
                counts.get(path.name, 0),
                langs.get(path.name, "und"),
                stat.st_mtime,
            )
            for path in _documents(folder)
            for stat in [path.stat()]
        ]
        return sorted(uploads, key=lambda u: u.modified, reverse=True)

    def delete(self, user: str, name: str) -> bool:
        """Remove a document and its chunks; False when the user has no such document."""
        folder = self.uploads_dir / user_folder(user)
        path = folder / safe_file_name(name)
        source = f"{user_folder(user)}/{path.name}"
        found = path.is_file()
        self.store.remove_sources(self.store.uploads_name, [source])
        path.unlink(missing_ok=True)
        self.store.record_manifest(self.store.uploads_name)
        return found

    def needs_sync(self) -> bool:
        """True when the uploads collection of this embedding does not hold every stored file."""
        return uploads_need_sync(self.store.manifest, self.store.uploads_name, self.uploads_dir)

    def sync(self, progress: Progress | None = None) -> IngestReport:
        """Index stored documents the collection lacks (e.g. after an embedding switch); drop
        chunks whose file is gone."""
        report = IngestReport(collection=self.store.uploads_name)
        indexed = self.store.sources(self.store.uploads_name)
        on_disk = stored_uploads(self.uploads_dir)
        for source, path in sorted(on_disk.items()):
            data = path.read_bytes()
            if indexed.get(source, {}).get("file_hash") == file_hash(data):
                report.unchanged.append(source)
                continue
            try:
                chunks = split_into_chunks(extract_sections(path.name, data))
            except UploadError as exc:
                report.problems.append(LoadProblem(path, 1, str(exc)))
                continue
            lang = guess_language(" ".join(text for _, text in chunks))
            vectors = self.store.embed(_embedding_texts(path.name, chunks), progress)
            self._write_chunks(source, path.name, data, chunks, lang, vectors)
            (report.updated if source in indexed else report.added).append(source)
            report.chunks_embedded += len(chunks)
        report.removed = sorted(set(indexed) - set(on_disk))
        self.store.remove_sources(self.store.uploads_name, report.removed)
        self.store.record_manifest(self.store.uploads_name)
        return report

    def _write_chunks(
        self,
        source: str,
        name: str,
        data: bytes,
        chunks: list[tuple[str, str]],
        lang: str,
        vectors: list[object],
    ) -> None:
        user_key = source.split("/", 1)[0]
        digest = file_hash(data)
        self.store.replace_sources(
            self.store.uploads_name,
            [source],
            ids=[f"{source}#{i}" for i in range(len(chunks))],
            documents=[text for _, text in chunks],
            metadatas=[
                {
                    "source": source,
                    "file_hash": digest,
                    "user": user_key,
                    "upload": name,
                    "id": name,
                    "lang": lang,
                    "kind": UPLOAD_KIND,
                    "title": name,
                    "section": label,
                    "position": i,
                }
                for i, (label, _) in enumerate(chunks)
            ],
            embeddings=list(vectors),
        )


def stored_uploads(uploads_dir: Path) -> dict[str, Path]:
    """source ("<user folder>/<name>") -> path of every stored document."""
    if not uploads_dir.is_dir():
        return {}
    return {
        f"{folder.name}/{path.name}": path
        for folder in sorted(uploads_dir.iterdir())
        if folder.is_dir()
        for path in _documents(folder)
    }


def uploads_need_sync(manifest: IndexManifest, collection: str, uploads_dir: Path) -> bool:
    """True when ``collection`` (per the manifest) does not hold exactly the stored documents."""
    recorded = manifest.collection(collection).get("files", {})
    return set(recorded) != set(stored_uploads(uploads_dir))


def _embedding_texts(name: str, chunks: list[tuple[str, str]]) -> list[str]:
    """What the dense model sees: file name and section label give a chunk its context."""
    return [f"{name}. {label}.\n{text}" for label, text in chunks]


def _documents(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ALLOWED_SUFFIXES
    )


def _free_name(folder: Path, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``... when the user already has a file of that name."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = name, 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return candidate


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise _not_text(name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_text(name)


def _not_text(name: str) -> UploadError:
    return UploadError(
        "encoding",
        f"'{name}' is not a readable text file; save it as UTF-8 text.",
        f"'{name}' er ikke en læsbar tekstfil; gem den som UTF-8-tekst.",
    )


def _markdown_sections(text: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    label = ""
    lines: list[str] = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            sections.append((label, "\n".join(lines)))
            label, lines = match.group(1), []
        else:
            lines.append(line)
    sections.append((label, "\n".join(lines)))
    return sections


def _pdf_pages(name: str, data: bytes) -> list[tuple[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    unreadable = UploadError(
        "pdf",
        f"'{name}' could not be read as a PDF.",
        f"'{name}' kunne ikke læses som PDF.",
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadError(
                "encrypted",
                f"'{name}' is password-protected; upload a copy without a password.",
                f"'{name}' er beskyttet med adgangskode; upload en kopi uden adgangskode.",
            )
        pages = len(reader.pages)
        if pages > MAX_PAGES:
            raise UploadError(
                "pages",
                f"'{name}' has {pages} pages; the limit is {MAX_PAGES}.",
                f"'{name}' har {pages} sider; grænsen er {MAX_PAGES}.",
            )
        return [(f"page {i}", page.extract_text() or "") for i, page in enumerate(reader.pages, 1)]
    except UploadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise unreadable from None
