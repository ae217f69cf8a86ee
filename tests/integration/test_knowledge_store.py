"""The knowledge store end to end: real Chroma in a tmp dir, the real MiniLM embedding, the
library's shipped vectors, uploads, the Ollama embedding against the HTTP double, and the
``ingest``/``vectors``/``search`` CLI commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import chromadb
import numpy as np
import pytest
import typer
from chromadb.config import Settings as ChromaSettings
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from typer.testing import CliRunner

from assistant.config import PROJECT_ROOT, Settings
from assistant.knowledge import (
    EmbeddingUnavailable,
    Hit,
    Library,
    MiniLMEmbedding,
    ModelFilesError,
    OllamaEmbedding,
    UploadError,
    search,
)
from assistant.knowledge.cli import KindChoice, LangChoice, register
from assistant.knowledge.embeddings import ModelFiles, packaged_model_files
from assistant.knowledge.loader import KINDS, LANGS
from assistant.knowledge.uploads import MAX_BYTES, MAX_PAGES, UPLOAD_KIND, safe_file_name
from assistant.knowledge.vectors import (
    ShippedVectors,
    library_texts,
    make_library_vectors,
    vectors_path,
)
from tests.fixtures.ollama_double import OllamaDouble

ENTRIES = {
    "strategies/active-listening.en.md": (
        "active-listening",
        "en",
        "strategy",
        "Use active listening",
        [
            (
                "What active listening is",
                "Active listening means giving your full attention, reflecting back what you "
                "heard and summarising before you reply.",
            ),
            (
                "Common mistakes",
                "Active listening fails when you interrupt, plan your answer while the other "
                "person talks, or jump straight to advice.",
            ),
        ],
    ),
    "strategies/active-listening.da.md": (
        "active-listening",
        "da",
        "strategy",
        "Brug aktiv lytning",
        [
            (
                "Hvad aktiv lytning er",
                "Aktiv lytning betyder, at du giver din fulde opmærksomhed, spejler det, du "
                "hører, og opsummerer, før du svarer.",
            ),
            (
                "Typiske fejl",
                "Aktiv lytning mislykkes, når du afbryder, planlægger dit svar, mens den anden "
                "taler, eller springer direkte til gode råd.",
            ),
        ],
    ),
    "frameworks/sbi-feedback.en.md": (
        "sbi-feedback",
        "en",
        "framework",
        "SBI feedback",
        [
            (
                "What SBI is",
                "SBI feedback names the situation, the behaviour you saw and its impact, so "
                "difficult feedback stays concrete and fair.",
            ),
        ],
    ),
    "frameworks/sbi-feedback.da.md": (
        "sbi-feedback",
        "da",
        "framework",
        "SBI-feedback",
        [
            (
                "Hvad SBI er",
                "SBI-feedback beskriver situationen, den adfærd du så, og virkningen, så svær "
                "feedback bliver konkret og fair.",
            ),
        ],
    ),
    "scenarios/missed-deadlines.en.md": (
        "missed-deadlines",
        "en",
        "scenario",
        "A colleague who keeps missing deadlines",
        [
            (
                "Situation",
                "Your colleague Lars has missed three deadlines this month and the team is "
                "waiting for his reports.",
            ),
        ],
    ),
}


def entry_text(id: str, lang: str, kind: str, title: str, sections: list[tuple[str, str]]) -> str:
    body = "\n\n".join(f"## {heading}\n{text}" for heading, text in sections)
    return (
        f'---\nid: {id}\nlang: {lang}\nkind: {kind}\ntitle: "{title}"\n'
        f'tags: [coaching]\nsummary: "{title}."\n---\n# {title}\n\n{body}\n'
    )


def write_library(root: Path) -> Path:
    for name, (id, lang, kind, title, sections) in ENTRIES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(id, lang, kind, title, sections), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def embedding() -> MiniLMEmbedding:
    """One loaded model for the module (loading and verifying it takes about half a second)."""
    function = MiniLMEmbedding()
    function.warm_up()
    return function


@pytest.fixture
def library(tmp_path: Path, embedding: MiniLMEmbedding) -> Library:
    return Library(
        knowledge_dir=write_library(tmp_path / "knowledge"),
        chroma_dir=tmp_path / "chroma",
        uploads_dir=tmp_path / "uploads",
        embedding=embedding,
    )


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF with one line of Helvetica text per page, built with pypdf."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page.replace_contents(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- ingest -------------------------------------------------------------------------------------


def test_incremental_ingest_adds_updates_removes_and_skips(library: Library) -> None:
    first = library.ingest()
    assert (len(first.added), len(first.updated), len(first.removed), first.skipped) == (5, 0, 0, 0)
    assert first.chunks_embedded == 7
    assert library.store.count(library.library_name) == 7

    again = library.ingest()
    assert len(again.unchanged) == 5 and not again.changed and again.chunks_embedded == 0

    root = library.knowledge_dir
    sbi = root / "frameworks/sbi-feedback.en.md"
    sbi.write_text(sbi.read_text().replace("fair.", "fair and kind."), encoding="utf-8")
    (root / "scenarios/missed-deadlines.en.md").unlink()
    (root / "activities").mkdir()
    (root / "activities/role-play.en.md").write_text(
        entry_text("role-play", "en", "activity", "Role-play", [("How", "Rehearse the talk.")])
    )
    (root / "activities/broken.en.md").write_text("---\nid: broken\nlang: en\nkind: poem\n---\n")

    report = library.ingest()

    assert report.added == ["activities/role-play.en.md"]
    assert report.updated == ["frameworks/sbi-feedback.en.md"]
    assert report.removed == ["scenarios/missed-deadlines.en.md"]
    assert report.skipped == 1 and report.problems[0].line == 4
    assert report.chunks_embedded == 2  # only the two files that changed
    assert "added 1, updated 1, removed 1, unchanged 3, skipped 1" in report.summary()
    kinds = {hit.id for hit in library.search("missed deadlines Lars", k=10)}
    assert "missed-deadlines" not in kinds and "role-play" in kinds


def test_needs_ingest_compares_file_hashes_without_opening_chroma(
    library: Library, embedding: MiniLMEmbedding
) -> None:
    assert library.needs_ingest()
    library.ingest()
    fresh = Library(library.knowledge_dir, library.chroma_dir, library.uploads_dir, embedding)

    assert not fresh.needs_ingest()
    assert fresh._client is None  # decided from files and the manifest alone

    (library.knowledge_dir / "strategies/active-listening.en.md").write_text(
        entry_text("active-listening", "en", "strategy", "Listen", [("What", "Changed text.")])
    )
    assert fresh.needs_ingest()


def test_ingest_of_given_paths_touches_only_those(library: Library) -> None:
    library.ingest()
    (library.knowledge_dir / "scenarios/missed-deadlines.en.md").unlink()

    report = library.ingest([library.knowledge_dir / "frameworks"])

    assert report.removed == [] and len(report.unchanged) == 2
    assert library.ingest([library.knowledge_dir / "scenarios"]).removed == [
        "scenarios/missed-deadlines.en.md"
    ]


# -- retrieval ----------------------------------------------------------------------------------


def test_search_filters_by_language_and_kind(library: Library) -> None:
    library.ingest()

    danish = library.search("svær feedback", lang="da", k=5)
    assert danish[0].id == "sbi-feedback"
    assert {hit.lang for hit in danish} == {"da"}

    scenarios = library.search("deadlines", kinds=["scenario"], k=5)
    assert [hit.id for hit in scenarios] == ["missed-deadlines"]

    both = library.search("active listening", k=10)
    assert {(h.id, h.lang) for h in both} >= {
        ("active-listening", "en"),
        ("active-listening", "da"),
    }
    hit = both[0]
    assert isinstance(hit, Hit) and hit.score > 0 and hit.section and hit.text
    assert search("active listening", k=1, library=library) == both[:1]


def test_search_sees_a_change_made_through_the_store(library: Library) -> None:
    library.ingest()
    assert library.search("shadowing", kinds=["activity"]) == []
    (library.knowledge_dir / "activities").mkdir()
    (library.knowledge_dir / "activities/shadowing.en.md").write_text(
        entry_text("shadowing", "en", "activity", "Shadowing", [("How", "Shadow a colleague.")])
    )
    library.ingest()

    assert [h.id for h in library.search("shadowing", kinds=["activity"])] == ["shadowing"]


# -- embeddings ---------------------------------------------------------------------------------


def test_switching_embeddings_uses_its_own_collection(library: Library, tmp_path: Path) -> None:
    library.ingest()
    other = Library(
        library.knowledge_dir,
        library.chroma_dir,
        library.uploads_dir,
        MiniLMEmbedding(max_tokens=64),
    )

    assert other.library_name != library.library_name
    assert other.needs_ingest()
    progress: list[tuple[int, int]] = []
    report = other.ingest(progress=lambda done, total: progress.append((done, total)))

    assert len(report.added) == 5 and progress[-1] == (7, 7)
    assert not other.needs_ingest() and not library.needs_ingest()
    assert library.store.count(library.library_name) == 7  # the first index is untouched


def test_reopened_collection_keeps_the_registered_embedding_function(library: Library) -> None:
    library.ingest()
    client = chromadb.PersistentClient(
        path=str(library.chroma_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )

    collection = client.get_collection(library.library_name)  # no embedding function given

    # Chroma rebuilt our function from the stored config (not its downloading default) ...
    function = collection.configuration["embedding_function"]
    assert isinstance(function, MiniLMEmbedding)
    assert function.get_config() == library.embedding.get_config()
    assert collection.configuration["hnsw"]["space"] == "cosine"
    # ... and uses it to embed query texts, offline.
    found = collection.query(query_texts=["situation behaviour impact"], n_results=1)
    assert found["metadatas"][0][0]["id"] == "sbi-feedback"


def test_damaged_model_files_are_refused(tmp_path: Path) -> None:
    real = packaged_model_files()
    fake = tmp_path / "tokenizer.json"
    fake.write_text("{}")

    with pytest.raises(ModelFilesError, match="sha256"):
        MiniLMEmbedding(files=ModelFiles(model=real.model, tokenizer=fake)).warm_up()


def test_ollama_embedding_through_the_double(tmp_path: Path) -> None:
    with OllamaDouble(models=["gemma3:4b", "nomic-embed-text"]) as double:
        function = OllamaEmbedding("nomic-embed-text", host=double.url)
        vectors = function(["one", "two", "three"])
        assert len(vectors) == 3 and len(vectors[0]) == 384

        library = Library(
            write_library(tmp_path / "knowledge"), tmp_path / "chroma", tmp_path / "up", function
        )
        assert library.library_name == "coach-kb-ollama-nomic-embed-text"
        assert len(library.ingest().added) == 5
        assert library.search("feedback", lang="en")
        assert any(r.path == "/api/embed" for r in double.requests)

        with pytest.raises(EmbeddingUnavailable, match="ollama pull missing-model"):
            OllamaEmbedding("missing-model", host=double.url)(["x"])
    with pytest.raises(EmbeddingUnavailable, match="cannot reach Ollama"):
        OllamaEmbedding("nomic-embed-text", host="http://127.0.0.1:9", connect_timeout=1)(["x"])


# -- shipped vectors ----------------------------------------------------------------------------


def test_shipped_vectors_equal_freshly_computed_ones(embedding: MiniLMEmbedding) -> None:
    """The built-in library's shipped (float16) vectors are the model's, for a sample of chunks."""
    knowledge = PROJECT_ROOT / "knowledge"
    shipped = ShippedVectors.read(vectors_path(knowledge, embedding.collection_slug))
    assert shipped is not None and shipped.matches(embedding.vector_spec())
    sample = library_texts(knowledge)[::15]

    fresh = np.asarray(embedding(sample))
    cosines = []
    for text, vector in zip(sample, fresh, strict=True):
        stored = shipped.get(text)
        assert stored is not None, f"no shipped vector for {text[:60]!r}: run `coach vectors`"
        cosines.append(float(stored @ vector))

    assert len(sample) >= 25
    assert min(cosines) > 0.999, f"run `coach vectors`: lowest cosine {min(cosines):.5f}"


def stored_vectors(library: Library) -> dict[str, np.ndarray]:
    """The library collection's vectors by the text that was embedded (Chunk.embedding_text)."""
    records, vectors = library.store.snapshot(library.library_name)
    return {
        f"{r.metadata['title']}. {r.metadata['section']}.\n{r.text}": vector
        for r, vector in zip(records, vectors, strict=True)
    }


def test_ingest_takes_shipped_vectors_and_embeds_only_edited_sections(
    library: Library, embedding: MiniLMEmbedding
) -> None:
    make_library_vectors(library.knowledge_dir, embedding)
    shipped = ShippedVectors.read(vectors_path(library.knowledge_dir, embedding.collection_slug))
    assert shipped is not None and len(shipped) == 7

    first = library.ingest()

    assert first.chunks_embedded == 7 and first.chunks_shipped == 7
    assert "7 with shipped vectors, 0 embedded" in first.summary()
    stored = stored_vectors(library)
    assert len(stored) == 7
    for text, vector in stored.items():  # the file's float16 values, not a fresh float32 vector
        assert np.allclose(vector, shipped.get(text), atol=1e-6), text
    some = library_texts(library.knowledge_dir)[0]
    assert not np.allclose(stored[some], embedding([some])[0], atol=1e-6)

    listening = library.knowledge_dir / "strategies/active-listening.en.md"
    listening.write_text(
        listening.read_text(encoding="utf-8").replace("jump straight to advice", "fix it for them"),
        encoding="utf-8",
    )
    report = library.ingest()

    assert report.updated == ["strategies/active-listening.en.md"]
    assert report.chunks_embedded == 2 and report.chunks_shipped == 1  # the edited one embedded
    edited = next(text for text in stored_vectors(library) if "fix it for them" in text)
    assert edited not in shipped
    fresh = np.asarray(embedding([edited])[0])
    assert float(stored_vectors(library)[edited] @ fresh) > 0.9999
    assert library.search("fix it for them", lang="en", k=1)[0].id == "active-listening"


def test_warm_up_readies_the_first_search_after_an_ingest_from_shipped_vectors(
    tmp_path: Path,
) -> None:
    knowledge = write_library(tmp_path / "knowledge")
    make_library_vectors(knowledge, MiniLMEmbedding())
    function = MiniLMEmbedding()  # not loaded: ingest must not need the model
    library = Library(knowledge, tmp_path / "chroma", tmp_path / "uploads", function)

    assert library.ingest().chunks_shipped == 7
    assert function._session is None

    library.warm_up()

    assert function._session is not None
    assert library.library_name in library.retriever._indexes
    assert library.search("svær feedback", lang="da", k=1)[0].id == "sbi-feedback"


def test_shipped_vectors_of_another_model_are_not_used(
    library: Library, embedding: MiniLMEmbedding
) -> None:
    make_library_vectors(library.knowledge_dir, embedding)
    path = vectors_path(library.knowledge_dir, embedding.collection_slug)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["spec"] = np.array(str(arrays["spec"]).replace('"version": 1', '"version": 0'))
    np.savez(path, **arrays)

    report = library.ingest()

    assert report.chunks_embedded == 7 and report.chunks_shipped == 0
    assert "7 chunks embedded" in report.summary()


# -- uploads ------------------------------------------------------------------------------------


def test_uploads_are_searchable_listed_and_deleted(library: Library) -> None:
    library.ingest()
    md = b"# Notes\n\n## Meeting with Sara\nSara wants to practise saying no to extra projects.\n"
    txt = "Mine noter: Jeg vil øve mig i at give ros, der er konkret og ærlig.".encode()
    pdf = make_pdf(["Quarterly review notes", "Budget questions from the finance director"])

    added = [
        library.add_upload("ann", "../../etc/notes.md", md),
        library.add_upload("ann", "noter.txt", txt),
        library.add_upload("ann", "review.pdf", pdf),
    ]

    assert [u.name for u in added] == ["notes.md", "noter.txt", "review.pdf"]
    assert (library.uploads_dir / "ann" / "notes.md").read_bytes() == md
    assert added[1].lang == "da" and added[2].chunks == 2
    assert {u.name for u in library.list_uploads("ann")} == {"notes.md", "noter.txt", "review.pdf"}
    assert library.list_uploads("bob") == []

    hits = library.search("finance director budget", user="ann", k=3)
    assert hits[0].kind == UPLOAD_KIND and hits[0].title == "review.pdf"
    assert hits[0].section == "page 2"
    assert all(h.kind != UPLOAD_KIND for h in library.search("finance director budget", user="bob"))
    only_uploads = library.search("saying no", kinds=["upload"], user="ann")
    assert [h.id for h in only_uploads][:1] == ["notes.md"]
    assert library.search("ros", lang="da", kinds=["upload"], user="ann")[0].id == "noter.txt"

    assert library.add_upload("ann", "notes.md", md).name == "notes-2.md"  # never overwrites
    assert library.delete_upload("ann", "notes.md")
    assert not library.delete_upload("ann", "notes.md")
    assert not (library.uploads_dir / "ann" / "notes.md").exists()
    assert "notes.md" not in {h.id for h in library.search("saying no", user="ann", k=10)}


def test_uploads_follow_an_embedding_switch(library: Library) -> None:
    library.ingest()
    library.add_upload("ann", "notes.txt", b"Practise the budget conversation with the director.")
    other = Library(
        library.knowledge_dir,
        library.chroma_dir,
        library.uploads_dir,
        MiniLMEmbedding(max_tokens=64),
    )
    assert other.needs_ingest()

    other.ingest()

    assert not other.needs_ingest()
    assert other.search("budget director", kinds=["upload"], user="ann")[0].id == "notes.txt"


@pytest.mark.parametrize(
    ("name", "data", "code", "danish"),
    [
        ("notes.docx", b"PK\x03\x04", "type", "understøttet filtype"),
        ("big.txt", b"a" * (MAX_BYTES + 1), "size", "grænsen er 5 MB"),
        ("empty.md", b"", "empty", "er tom"),
        ("long.pdf", make_pdf(["x"] * (MAX_PAGES + 1)), "pages", f"grænsen er {MAX_PAGES}"),
        ("scan.pdf", make_pdf([""]), "no-text", "ikke fundet tekst"),
        ("broken.pdf", b"%PDF-1.7 this is not a pdf", "pdf", "kunne ikke læses"),
        ("binary.txt", b"\x00\x01\x02 data", "encoding", "ikke en læsbar tekstfil"),
    ],
)
def test_refused_uploads_explain_why_in_both_languages_and_leave_nothing(
    library: Library, name: str, data: bytes, code: str, danish: str
) -> None:
    with pytest.raises(UploadError) as refused:
        library.add_upload("ann", name, data)

    assert refused.value.code == code
    assert danish in refused.value.message("da")
    assert refused.value.message("en") == str(refused.value) and name in str(refused.value)
    assert library.list_uploads("ann") == []
    assert library.store.count(library.uploads_name) == 0
    folder = library.uploads_dir / "ann"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_failure_while_storing_leaves_no_half_upload(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = library.store.collection(library.uploads_name)

    def broken_add(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(collection), "add", broken_add)
    with pytest.raises(RuntimeError, match="disk full"):
        library.add_upload("ann", "notes.md", b"# Notes\n\nSomething worth keeping.\n")
    monkeypatch.undo()

    assert library.list_uploads("ann") == []
    assert list((library.uploads_dir / "ann").iterdir()) == []
    assert library.store.count(library.uploads_name) == 0


def test_file_names_are_sanitised() -> None:
    assert safe_file_name("../../etc/passwd.md") == "passwd.md"
    assert safe_file_name("C:\\Users\\ann\\Mine noter (1).TXT") == "Mine-noter-1.txt"
    assert safe_file_name(".hidden.md") == "hidden.md"
    assert safe_file_name("møde med Søren.pdf") == "møde-med-Søren.pdf"


# -- status and CLI -----------------------------------------------------------------------------


def test_status_is_cheap_and_reports_the_index(library: Library) -> None:
    before = library.status()
    assert before["knowledge"]["up_to_date"] is False
    library.ingest()

    status = library.status()

    assert status["knowledge"] == {
        "entries": 5,
        "chunks": 7,
        "collection": library.library_name,
        "up_to_date": True,
    }
    assert status["embeddings"] == {"name": "minilm-l6-int8-128", "model_files_ok": True}


def cli_app(tmp_path: Path, knowledge_dir: Path) -> typer.Typer:
    app = typer.Typer()
    register(app, lambda: Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir))

    @app.command("version")
    def version() -> None:  # a second command, so typer keeps subcommand names
        typer.echo("0")

    return app


def test_cli_ingest_then_search_json(tmp_path: Path) -> None:
    app = cli_app(tmp_path, write_library(tmp_path / "knowledge"))
    runner = CliRunner()

    ingested = runner.invoke(app, ["ingest"])
    assert ingested.exit_code == 0, ingested.output
    assert "added 5, updated 0, removed 0, unchanged 0, skipped 0" in ingested.stdout

    found = runner.invoke(app, ["search", "svær feedback", "--lang", "da", "--json", "--k", "2"])
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)
    assert hits[0]["id"] == "sbi-feedback"
    assert all(set(h) == {"id", "lang", "kind", "title", "section", "text", "score"} for h in hits)
    assert {h["lang"] for h in hits} == {"da"}

    kinds = runner.invoke(app, ["search", "feedback", "--kind", "scenario", "--kind", "framework"])
    assert kinds.exit_code == 0 and "sbi-feedback" in kinds.stdout
    assert runner.invoke(app, ["search", "x", "--lang", "sv"]).exit_code == 2


def test_cli_ingest_reports_broken_files_and_exits_non_zero(tmp_path: Path) -> None:
    knowledge = write_library(tmp_path / "knowledge")
    broken = knowledge / "strategies/broken.en.md"
    broken.write_text("---\nid: broken\nlang: en\ntitle: [unclosed\n---\n", encoding="utf-8")

    result = CliRunner().invoke(cli_app(tmp_path, knowledge), ["ingest"])

    assert result.exit_code == 1
    assert f"skipped {broken}:4: invalid YAML" in result.stderr
    assert "added 5" in result.stdout


def test_cli_vectors_makes_the_shipped_file_and_checks_it(tmp_path: Path) -> None:
    knowledge = write_library(tmp_path / "knowledge")
    app = cli_app(tmp_path, knowledge)
    runner = CliRunner()

    missing = runner.invoke(app, ["vectors", "--check"])
    assert missing.exit_code == 1
    assert "missing or unreadable" in missing.stderr and "run `coach vectors`" in missing.stderr

    made = runner.invoke(app, ["vectors"])
    assert made.exit_code == 0, made.output
    assert "minilm-l6-int8-128.npz: 7 vectors (7 embedded now)" in made.stdout
    path = vectors_path(knowledge, "minilm-l6-int8-128")
    first = ShippedVectors.read(path)

    current = runner.invoke(app, ["vectors", "--check"])
    assert current.exit_code == 0 and "current" in current.stdout

    (knowledge / "strategies/new.en.md").write_text(
        entry_text("new", "en", "strategy", "New", [("What", "Something new.")])
    )
    stale = runner.invoke(app, ["vectors", "--check"])
    assert stale.exit_code == 1 and "1 of 8 library chunks have no vector" in stale.stderr

    again = runner.invoke(app, ["vectors"])  # embeds the new chunk, keeps the others as stored
    assert "8 vectors (1 embedded now)" in again.stdout, again.output
    second = ShippedVectors.read(path)
    assert first is not None and second is not None and len(second) == 8
    for text in library_texts(knowledge):
        if text in first:
            assert np.array_equal(first.stored(text), second.stored(text))  # type: ignore[arg-type]
    assert runner.invoke(app, ["vectors", "--check"]).exit_code == 0
    assert "8 vectors (8 embedded now)" in runner.invoke(app, ["vectors", "--all"]).stdout


def test_cli_choices_match_the_library() -> None:
    assert {c.value for c in KindChoice} == {*KINDS, UPLOAD_KIND}
    assert {c.value for c in LangChoice} == set(LANGS)
