"""The knowledge loader: front matter, broken files reported with file and line, chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge.loader import (
    KINDS,
    Entry,
    LoadProblem,
    chunk_entry,
    library_files,
    load_entries,
    load_entry,
)
from assistant.knowledge.retriever import tokenize

STRATEGY_EN = """\
---
id: sbi-feedback
lang: en
kind: framework
title: "SBI feedback"
tags: [feedback, sbi]
summary: "Situation, behaviour, impact."
strategies: [balanced-feedback]
---

# SBI feedback

SBI is a way to give feedback about one concrete moment.

## What SBI is
SBI feedback names the Situation, the Behaviour and its Impact.

## Steps
1. Situation.
2. Behaviour.

```text
## not a heading inside a code fence
```
"""

STRATEGY_DA = STRATEGY_EN.replace("lang: en", "lang: da").replace('SBI feedback"', 'SBI-feedback"')

SCENARIO = """\
---
id: missed-deadlines
lang: en
kind: scenario
title: "A colleague who misses deadlines"
tags: [feedback]
summary: "Rehearse feedback about deadlines."
persona: {name: Lars, role: analyst}
difficulty: medium
---
# A colleague who misses deadlines

## Situation
Lars has missed three deadlines this month.
"""


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    write(root, "frameworks/sbi-feedback.en.md", STRATEGY_EN)
    write(root, "frameworks/sbi-feedback.da.md", STRATEGY_DA)
    write(root, "scenarios/missed-deadlines.en.md", SCENARIO)
    write(root, "FORMAT.md", "# Knowledge file format\n\nNot an entry.\n")
    return root


def test_loads_entries_with_their_front_matter(library: Path) -> None:
    entries, problems = load_entries(library)

    assert problems == []
    assert sorted((e.id, e.lang, e.kind) for e in entries) == [
        ("missed-deadlines", "en", "scenario"),
        ("sbi-feedback", "da", "framework"),
        ("sbi-feedback", "en", "framework"),
    ]
    sbi = next(e for e in entries if e.id == "sbi-feedback" and e.lang == "en")
    assert sbi.title == "SBI feedback"
    assert sbi.tags == ("feedback", "sbi")
    assert sbi.front_matter["strategies"] == ["balanced-feedback"]


def test_scenario_kind_is_accepted_with_its_own_fields(library: Path) -> None:
    assert "scenario" in KINDS
    entry = load_entry(library / "scenarios/missed-deadlines.en.md")

    assert isinstance(entry, Entry)
    assert entry.kind == "scenario"
    assert entry.front_matter["persona"] == {"name": "Lars", "role": "analyst"}
    assert entry.front_matter["difficulty"] == "medium"


def test_documentation_files_are_not_entries(library: Path) -> None:
    names = [p.name for p in library_files([library])]

    assert "FORMAT.md" not in names
    assert len(names) == 3


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        (
            "bad-yaml.en.md",
            "---\nid: bad-yaml\nlang: en\ntags: [a, b\nkind: strategy\n---\n# T\n",
            5,
            "invalid YAML",
        ),
        (
            "missing-id.en.md",
            "---\nlang: en\nkind: strategy\ntitle: T\n---\n# T\n## S\ntext\n",
            1,
            "missing required field 'id'",
        ),
        (
            "unknown-kind.en.md",
            "---\nid: unknown-kind\nlang: en\nkind: recipe\ntitle: T\n---\n# T\n",
            4,
            "unknown kind 'recipe'",
        ),
        (
            "bad-lang.en.md",
            "---\nid: bad-lang\nlang: sv\nkind: strategy\ntitle: T\n---\n# T\n",
            3,
            "unknown lang 'sv'",
        ),
        (
            "latin1.da.md",
            "---\nid: latin1\nlang: da\nkind: strategy\ntitle: T\n---\n# T\n## Mål\nfør\n".encode(
                "latin-1"
            ),
            8,
            "not UTF-8",
        ),
        ("no-front-matter.en.md", "# Just a title\n", 1, "missing front matter"),
    ],
)
def test_broken_file_is_reported_with_file_and_line_and_the_rest_loads(
    library: Path, name: str, content: str | bytes, line: int, words: str
) -> None:
    broken = write(library, f"strategies/{name}", content)

    entries, problems = load_entries(library)

    assert len(entries) == 3  # every good file still loads
    assert len(problems) == 1
    problem = problems[0]
    assert isinstance(problem, LoadProblem)
    assert problem.path == broken
    assert problem.line == line
    assert words in problem.message
    assert str(problem).startswith(f"{broken}:{line}: ")


def test_duplicate_id_and_lang_keeps_the_first_and_reports_the_second(library: Path) -> None:
    copy = write(library, "strategies/zz-copy.en.md", STRATEGY_EN)

    entries, problems = load_entries(library)

    assert [p.path for p in problems] == [copy]
    assert problems[0].line == 2  # the `id:` line
    assert "duplicate (id, lang) (sbi-feedback, en)" in problems[0].message
    kept = [e for e in entries if (e.id, e.lang) == ("sbi-feedback", "en")]
    assert [e.path.name for e in kept] == ["sbi-feedback.en.md"]


def test_chunks_follow_section_headings_and_carry_identity(library: Path) -> None:
    entry = load_entry(library / "frameworks/sbi-feedback.en.md")
    assert isinstance(entry, Entry)

    chunks = chunk_entry(entry)

    assert [c.section for c in chunks] == ["SBI feedback", "What SBI is", "Steps"]
    assert chunks[0].text.startswith("SBI is a way")  # text before the first ## keeps the title
    assert "## not a heading inside a code fence" in chunks[2].text
    for chunk in chunks:
        assert (chunk.id, chunk.lang, chunk.kind, chunk.title) == (
            "sbi-feedback",
            "en",
            "framework",
            "SBI feedback",
        )
        assert len(chunk.content_hash) == 64
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert "Steps" in chunks[2].embedding_text and "sbi" in chunks[2].lexical_text


def test_content_hash_changes_only_with_the_section(library: Path) -> None:
    path = library / "frameworks/sbi-feedback.en.md"
    before = chunk_entry(load_entry(path))  # type: ignore[arg-type]
    path.write_text(STRATEGY_EN.replace("2. Behaviour.", "2. Behaviour, seen."), encoding="utf-8")
    after = chunk_entry(load_entry(path))  # type: ignore[arg-type]

    pairs = zip(after, before, strict=True)
    assert [a.section for a, b in pairs if a.content_hash != b.content_hash] == ["Steps"]


def test_tokenizer_folds_case_punctuation_stopwords_and_inflections() -> None:
    assert tokenize("Hvordan giver jeg svær feedback?") == ["giver", "svær", "feedb"]
    assert tokenize("feedbacken, feedbacksamtalen") == ["feedb", "feedb"]
    assert tokenize("The Goals; goal-setting!") == ["goals", "goal", "setti"]
