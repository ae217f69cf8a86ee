"""Export round trip: Markdown and JSON hold every turn (all branches), the debrief, the
action plan and the goals touched; text comes back unchanged; file names stay safe."""

import json

from typer.testing import CliRunner

from assistant.cli import app
from assistant.export import safe_file_name, session_export, to_markdown
from assistant.store import Store

TEXTS = ["Hvad vil du tale om?", "Feedback til Søren 🙂 <b>bold</b>", "Hvad er vigtigst?"]


def make_session(store):
    user = store.user_id()
    session = store.create_session(user, mode="reflect", lang="da", system_prompt="S", title="T")
    for role, text in zip(["assistant", "user", "assistant"], TEXTS, strict=True):
        store.add_turn(session.id, role, text)
    store.update_options(session.id, action_plan={"what": "Tal med Søren", "by_when": "fredag"})
    store.add_debrief(session.id, kind="plain", text="Godt spurgt.", rating=4.0)
    store.add_goal(user, "Tal med Søren", session_id=session.id)
    return user, session


def test_json_and_markdown_hold_everything(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.migrate()
    user, session = make_session(store)
    data = session_export(store, user, session.id)
    assert [t["text"] for t in data["turns"]] == TEXTS
    assert data["debriefs"][0]["rating"] == 4.0
    assert data["action_plan"]["what"] == "Tal med Søren"
    assert data["goals"][0]["text"] == "Tal med Søren"
    markdown = to_markdown(data)
    assert all(text in markdown for text in TEXTS)
    assert "## Debrief" in markdown and "Godt spurgt." in markdown and "## Goals" in markdown
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert session_export(store, store.user_id("someone-else"), session.id) is None


def test_export_command_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data" / "coach.sqlite3")
    store.migrate()
    _, session = make_session(store)
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(session.id), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [t["text"] for t in json.loads(result.output)["turns"]] == TEXTS
    folder = tmp_path / "out"
    result = runner.invoke(app, ["export", "--all", "--format", "md", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    files = list(folder.iterdir())
    assert len(files) == 1 and TEXTS[1] in files[0].read_text(encoding="utf-8")
    assert runner.invoke(app, ["export", "999"]).exit_code == 1
    assert runner.invoke(app, ["export"]).exit_code == 2


def test_export_all_with_no_sessions_yet_says_so_and_succeeds(tmp_path, monkeypatch):
    """An empty history is not a failure: Markdown says there is nothing yet (on stderr, so
    a redirected stdout stays empty), JSON is an empty list, a folder gets no files."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--all"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "Nothing to export yet" in result.stderr
    assert "No session" not in result.output
    result = runner.invoke(app, ["export", "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    folder = tmp_path / "out"
    result = runner.invoke(app, ["export", "--all", "--out", str(folder)])
    assert result.exit_code == 0 and "Nothing to export yet" in result.stderr
    assert not folder.exists() or list(folder.iterdir()) == []
    assert runner.invoke(app, ["export", "1"]).exit_code == 1  # a named session still must exist


def test_file_names_cannot_escape_their_folder():
    name = safe_file_name("../../etc/passwd", 3, "md")
    assert "/" not in name and ".." not in name and name.endswith(".md")


def test_export_carries_the_live_labels_of_the_users_lines(tmp_path):
    from assistant.export import session_export, to_markdown
    from assistant.store import Store

    store = Store(tmp_path / "db.sqlite3")
    store.migrate()
    user = store.user_id()
    session = store.create_session(user, mode="rehearse", lang="en", system_prompt="S")
    line = store.add_turn(session.id, "user", "You always deliver late.")
    store.add_turn(session.id, "assistant", "Whatever.")
    store.set_turn_labels(session.id, line, {"kind": "rehearse", "labels": ["blame"]})
    data = session_export(store, user, session.id)
    assert data is not None
    assert data["turns"][0]["labels"]["labels"] == ["blame"]
    assert "labels" not in data["turns"][1]
    assert "_labels: blame_" in to_markdown(data)
