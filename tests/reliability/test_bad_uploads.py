"""Bad uploads, one table: each is refused (or its name made safe) with a specific message in
English and Danish, nothing is written outside the data dir, and uploading and searching keep
working afterwards (real Chroma in a tmp dir, the real MiniLM embedding)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.knowledge.uploads import MAX_BYTES
from tests.integration.test_knowledge_store import make_pdf

GOOD = b"# Feedback to Lars\n\nI will describe the missed deadline and its impact on the team.\n"


@pytest.fixture
def library(tmp_path: Path, embedding) -> Library:
    (tmp_path / "knowledge").mkdir()
    data = tmp_path / "data"
    return Library(
        knowledge_dir=tmp_path / "knowledge",
        chroma_dir=data / "chroma",
        uploads_dir=data / "uploads",
        embedding=embedding,
    )


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


WRONG_TYPE = ("type", "not a supported file type", "understøttet filtype")
NOT_PDF = ("pdf", "could not be read as a PDF", "kunne ikke læses som PDF")
NOT_TEXT = ("encoding", "save it as UTF-8", "gem den som UTF-8")
REFUSED = [
    ("wrong type", "slides.pptx", b"PK\x03\x04 a zip", WRONG_TYPE),
    ("script", "run.sh", b"#!/bin/sh\nrm -rf /\n", WRONG_TYPE),
    ("only dots", "..", GOOD, WRONG_TYPE),
    (
        "too big",
        "huge.txt",
        b"word " * (MAX_BYTES // 5 + 1),
        ("size", "the limit is 5 MB", "grænsen er 5 MB"),
    ),
    ("empty", "empty.md", b"", ("empty", "is empty", "er tom")),
    ("scanned pdf", "scan.pdf", make_pdf([""]), ("no-text", "No text found", "ikke fundet tekst")),
    ("fake pdf", "fake.pdf", b"%PDF-1.7 this is not a pdf at all", NOT_PDF),
    ("zip named pdf", "report.pdf", b"PK\x03\x04\x14\x00 zip bytes", NOT_PDF),
    ("utf-16 text", "notes.txt", "Møde med Søren".encode("utf-16-le"), NOT_TEXT),
    ("undecodable bytes", "notes.md", b"\x81\x8d\x8f\x90\x9d" * 20, NOT_TEXT),
]


@pytest.mark.parametrize(("case", "name", "data", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_upload_says_why_in_both_languages_and_the_app_keeps_working(
    library, tmp_path, case, name, data, expected
):
    code, english, danish = expected
    before = files_under(tmp_path)
    with pytest.raises(CoachError) as refused:
        library.add_upload("ann", name, data)

    error = refused.value
    assert error.code == code
    assert english in error.message("en") and danish in error.message("da")
    assert error.en == error.message("en") and error.da == error.message("da")
    assert "/" not in error.en.split("'")[1]  # the message names the file, never a path
    assert library.list_uploads("ann") == []
    assert {p for p in files_under(tmp_path) - before if "uploads" in p.parts} == set()

    stored = library.add_upload("ann", "lars.md", GOOD)
    assert [u.name for u in library.list_uploads("ann")] == ["lars.md"]
    assert library.search("missed deadline impact", user="ann", k=1)[0].id == stored.name


HOSTILE_NAMES = [
    ("../../../etc/cron.d/evil.md", "evil.md"),
    ("..\\..\\Windows\\evil.md", "evil.md"),
    ("/tmp/absolute.md", "absolute.md"),
    ("notes/../../x.md", "x.md"),
    ("....//....//y.md", "y.md"),
    ("~/.ssh/authorized_keys.txt", "authorized_keys.txt"),
    ("\x00nul\x00.md", "nul.md"),
]


@pytest.mark.parametrize(("name", "stored_as"), HOSTILE_NAMES)
def test_a_file_name_with_path_parts_is_stored_under_a_safe_name_inside_the_data_dir(
    library, tmp_path, name, stored_as
):
    before = files_under(tmp_path)
    stored = library.add_upload("ann", name, GOOD)

    assert stored.name == stored_as
    data_dir = (tmp_path / "data").resolve()
    written = files_under(tmp_path) - before
    assert written and all(data_dir in p.resolve().parents for p in written)
    assert (library.uploads_dir / "ann" / stored_as).read_bytes() == GOOD
    assert library.search("missed deadline impact", user="ann", k=1)[0].id == stored_as


def test_a_hostile_user_id_gets_its_own_folder_inside_the_uploads_dir(library):
    stored = library.add_upload("../../../root", "notes.md", GOOD)
    folders = [p for p in library.uploads_dir.iterdir() if p.is_dir()]
    assert len(folders) == 1 and ".." not in folders[0].name and "/" not in folders[0].name
    assert (folders[0] / stored.name).read_bytes() == GOOD
    assert library.list_uploads("../../../root")[0].name == "notes.md"
    assert library.list_uploads("root") == []


def test_danish_text_saved_in_the_old_windows_encoding_is_read_not_refused(library):
    stored = library.add_upload(
        "ann", "møde.txt", "Møde med Søren om ærlig feedback.".encode("cp1252")
    )
    hit = library.search("Søren ærlig feedback", user="ann", k=1)[0]
    assert hit.id == stored.name and "Møde med Søren om ærlig feedback." in hit.text
