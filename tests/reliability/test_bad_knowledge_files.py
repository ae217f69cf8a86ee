"""Broken knowledge and scenario files: each is reported with a clear, specific problem (file,
line, what is wrong) and everything else in the library still loads, indexes and is searchable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.knowledge import Library
from assistant.knowledge.loader import MAX_FIELD_CHARS, load_entries
from assistant.scenarios import ScenarioBook
from assistant.store import Store

GOOD_FILES = (
    "frameworks/sbi-feedback.en.md",
    "strategies/active-listening.en.md",
    "scenarios/feedback-avoider.en.md",
)
HEAD = "---\nid: broken-entry\nlang: en\nkind: strategy\n"
BODY = "---\n\n# Broken\n\n## Section\n\nSome text about listening.\n"

BROKEN: list[tuple[str, str | bytes, int, str]] = [
    # (case, file text, line, message fragment)
    ("yaml unclosed list", HEAD + "title: Broken\ntags: [a, b\n" + BODY, 6, "invalid YAML"),
    ("yaml tab indent", HEAD + "title: Broken\n\tsummary: x\n" + BODY, 6, "invalid YAML"),
    ("yaml not a mapping", "---\n- just\n- a list\n" + BODY, 2, "must be a YAML mapping"),
    ("no front matter", "# Just a title\n\nText.\n", 1, "missing front matter"),
    ("front matter not closed", HEAD + "title: Broken\n", 1, "not closed by a '---' line"),
    ("missing title", HEAD + BODY, 1, "missing required field 'title'"),
    ("missing id", "---\nlang: en\nkind: strategy\ntitle: T\n" + BODY, 1, "field 'id'"),
    ("empty title", HEAD + 'title: "  "\n' + BODY, 5, "missing required field 'title'"),
    ("unknown kind", HEAD.replace("strategy", "recipe") + "title: T\n" + BODY, 4, "unknown kind"),
    ("bad id", HEAD.replace("broken-entry", "Broken Entry!") + "title: T\n" + BODY, 2, "slug"),
    ("tags not a list", HEAD + "title: T\ntags: 5\n" + BODY, 6, "'tags' must be a list"),
    ("huge title", HEAD + f"title: {'T' * 5000}\n" + BODY, 5, "field 'title' has 5000 characters"),
    (
        "huge summary",
        HEAD + f"title: T\nsummary: {'word ' * 2000}\n" + BODY,
        6,
        f"field 'summary' has 9999 characters; the limit is {MAX_FIELD_CHARS}",
    ),
    ("huge file", HEAD + "title: T\n" + BODY + "Text. " * 60_000, 1, "library file may be at most"),
    ("not utf-8", (HEAD + "title: Møde\n" + BODY).encode("cp1252"), 5, "not UTF-8"),
]


def write_library(root: Path, extra: dict[str, str | bytes]) -> Path:
    for name in GOOD_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / "knowledge" / name, root / name)
    for name, text in extra.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("case", "text", "line", "message"), BROKEN, ids=[row[0] for row in BROKEN]
)
def test_a_broken_knowledge_file_is_reported_precisely_and_the_rest_loads(
    tmp_path, case, text, line, message
):
    root = write_library(tmp_path, {"strategies/broken-entry.en.md": text})
    entries, problems = load_entries(root)

    assert sorted(e.id for e in entries) == ["active-listening", "feedback-avoider", "sbi-feedback"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path.name == "broken-entry.en.md"
    assert (problem.line, message in problem.message) == (line, True), str(problem)
    assert str(problem).startswith(f"{problem.path}:{line}: ")


def test_broken_files_are_skipped_by_ingest_and_the_library_stays_searchable(tmp_path, embedding):
    broken = {f"strategies/broken-{i}.en.md": row[1] for i, row in enumerate(BROKEN)}
    root = write_library(tmp_path / "knowledge", broken)
    library = Library(
        knowledge_dir=root,
        chroma_dir=tmp_path / "data" / "chroma",
        uploads_dir=tmp_path / "data" / "uploads",
        embedding=embedding,
    )
    report = library.ingest()

    assert len(report.added) == len(GOOD_FILES)
    assert sorted(p.path.name for p in report.problems) == sorted(Path(n).name for n in broken)
    assert library.search("situation behaviour impact", lang="en", k=1)[0].id == "sbi-feedback"


def scenario_text(**changes: str | None) -> str:
    """The built-in feedback-avoider scenario with top-level fields replaced or (None) removed."""
    source = (PROJECT_ROOT / "knowledge/scenarios/feedback-avoider.en.md").read_text("utf-8")
    lines, skipping = [], False
    for line in source.splitlines():
        key = line.split(":", 1)[0] if line and not line[0].isspace() else None
        if key is not None:
            skipping = key in changes
            if skipping and changes[key] is not None:
                lines.append(f"{key}: {changes[key]}")
        if not skipping:
            lines.append(line)
    return "\n".join(lines).replace("id: feedback-avoider", "id: broken-scenario") + "\n"


BROKEN_SCENARIOS = [
    ("missing situation", {"situation": None}, "situation: Field required"),
    ("missing counterpart", {"counterpart": None}, "counterpart: Field required"),
    ("counterpart not a mapping", {"counterpart": '"James"'}, "counterpart: Input should be"),
    (
        "huge situation",
        {"situation": "x" * 4000},
        "situation: String should have at most 3000 characters",
    ),
    ("no success criteria", {"success_criteria": "[]"}, "success_criteria: List should have"),
    ("difficulty level missing", {"difficulty": "{cooperative: [a], realistic: [b]}"}, "resistant"),
    ("opening line empty", {"opening_line": '""'}, "opening_line: String should have at least"),
]


@pytest.mark.parametrize(
    ("case", "changes", "message"), BROKEN_SCENARIOS, ids=[row[0] for row in BROKEN_SCENARIOS]
)
def test_a_broken_scenario_file_is_reported_and_the_other_scenarios_load(
    tmp_path, embedding, case, changes, message
):
    text = scenario_text(**changes)
    root = write_library(tmp_path / "knowledge", {"scenarios/broken-scenario.en.md": text})
    library = Library(
        knowledge_dir=root,
        chroma_dir=tmp_path / "chroma",
        uploads_dir=tmp_path / "uploads",
        embedding=embedding,
    )
    book = ScenarioBook(library, Store(tmp_path / "coach.sqlite3"))

    assert [s.id for s in book.builtin("en")] == ["feedback-avoider"]
    problems = book.problems("en")
    assert len(problems) == 1, problems
    assert "broken-scenario.en.md: The scenario 'broken-scenario' cannot be used" in problems[0]
    assert message in problems[0]
