"""Exports with hostile session titles and scenario names write only inside the requested folder,
under safe names (real SQLite, the real ``coach export`` command)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from assistant import export_cli as export
from assistant.config import Settings
from assistant.errors import CoachError
from assistant.export import safe_file_name
from assistant.scenario_builder import scenario_from_file, scenario_to_file
from assistant.scenarios import scenario_from_data, slugify
from assistant.store import Store
from assistant.ui.scenario_panel import export_file_name

HOSTILE_TITLES = [
    "../../../../etc/passwd",
    "/etc/cron.d/evil",
    "..\\..\\Windows\\System32\\evil",
    "notes/../../escape",
    "....//....//x",
    "~/.bashrc",
    ".hidden",
    "..",
    "",
    "CON",
    "a\x00b\nc\rd\te",
    "<script>alert(1)</script>",
    "Møde med Søren: ærlig feedback?",
    "x" * 500,
]
SAFE_NAME = re.compile(r"^peer-coach-\d+-[A-Za-z0-9æøåÆØÅ_-]{1,50}\.(md|json)$")


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_session_title_becomes_a_file_name_that_stays_in_its_folder(title, tmp_path):
    for fmt in ("md", "json"):
        name = safe_file_name(title, 7, fmt)
        assert SAFE_NAME.match(name), name
        assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_coach_export_all_writes_only_inside_the_requested_folder(tmp_path):
    data_dir = tmp_path / "data"
    store = Store(data_dir / "coach.sqlite3")
    store.migrate()
    for title in HOSTILE_TITLES:
        session = store.create_session(
            store.user_id(), mode="reflect", lang="en", system_prompt="S", title=title
        )
        store.add_turn(session.id, "user", f"words of {title!r}")
    app = typer.Typer()
    export.register(app, lambda: Settings(data_dir=data_dir))

    @app.command("version")
    def version() -> None:  # a second command, so typer keeps subcommand names
        typer.echo("0")

    out = tmp_path / "exports"
    before = files_under(tmp_path)
    for fmt in ("md", "json"):
        result = CliRunner().invoke(app, ["export", "--all", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output

    written = files_under(tmp_path) - before
    assert len(written) == 2 * len(HOSTILE_TITLES)
    assert all(path.parent == out for path in written)
    assert all(SAFE_NAME.match(path.name) for path in written)
    exported = [json.loads(p.read_text("utf-8")) for p in sorted(written) if p.suffix == ".json"]
    assert sorted(d["title"] for d in exported) == sorted(HOSTILE_TITLES)  # kept in the content


@pytest.mark.parametrize("hostile", ["../../evil", "/etc/passwd", "a/b", "..", "Evil Name"])
def test_a_scenario_id_with_path_parts_is_refused_and_names_from_titles_are_slugs(hostile):
    with pytest.raises(CoachError) as caught:
        scenario_from_data({**valid_scenario(), "id": hostile})
    assert caught.value.code == "scenario_invalid" and "id" in caught.value.en

    text = scenario_to_file(scenario_from_data(valid_scenario())).replace(
        "id: own-scenario", f"id: {json.dumps(hostile)}"
    )
    with pytest.raises(CoachError):
        scenario_from_file(text)

    slug = slugify(hostile)
    assert re.fullmatch(r"[a-z0-9-]+", slug) and ".." not in slug


def test_the_scenario_download_name_stays_in_its_folder(tmp_path):
    scenario = scenario_from_data({**valid_scenario(), "title": "../../../etc/passwd"})
    name = export_file_name(scenario)
    assert name == "own-scenario.en.md"
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def valid_scenario() -> dict:
    return {
        "id": "own-scenario",
        "lang": "en",
        "title": "My own scenario",
        "situation": "A colleague keeps missing deadlines.",
        "user_goal": "Agree on a next step.",
        "success_criteria": ["Names the behaviour"],
        "counterpart": {"name": "Lars", "role": "Developer", "personality": "Friendly"},
        "opening_line": "You wanted to talk?",
        "difficulty": {"cooperative": ["a"], "realistic": ["b"], "resistant": ["c"]},
    }
