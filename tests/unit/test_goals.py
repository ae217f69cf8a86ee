"""Goals: lifecycle, per-user isolation, the opening check-in and `coach goals --json`."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.feedback import Debrief
from assistant.goals import (
    celebration,
    check_in_opening,
    checked_in_on,
    goal_from_debrief,
    goal_lines,
    goal_to_dict,
    is_overdue,
    record_check_in,
    record_check_ins,
)
from assistant.services import build_services
from assistant.store import Store
from assistant.ui.check_in_panel import due_for_check_in
from tests.fixtures.fake_models import ScriptedChatModel


def test_goal_lifecycle_with_check_ins(store):
    user = store.user_id()
    goal = store.add_goal(user, "Ask Sam for a 1:1", measure="It is booked", due="2026-12-04")
    assert goal.status == "open" and goal.progress == 0 and goal.check_ins == []
    goal = store.check_in(user, goal.id, progress=40, note="Sent the invite")
    assert goal.progress == 40 and goal.check_ins[-1].note == "Sent the invite"
    goal = store.check_in(user, goal.id, progress=150, note="Done", status="done")
    assert goal.status == "done" and goal.progress == 100
    assert [c.progress for c in goal.check_ins] == [40, 100]
    assert store.goals(user, status="open") == []


def test_goals_are_scoped_to_their_user(store):
    alice, bob = store.user_id("alice"), store.user_id("bob")
    goal = store.add_goal(alice, "Private goal")
    assert store.goals(bob) == [] and store.goal(bob, goal.id) is None
    assert store.check_in(bob, goal.id, progress=50) is None
    assert store.goal(alice, goal.id).check_ins == []


def test_opening_check_in_names_open_goals_and_flags_overdue_gently(store):
    user = store.user_id()
    store.add_goal(user, "Give Mette feedback", due="2026-11-20")
    store.add_goal(user, "Delegate the weekly report", due="Friday")
    text = check_in_opening(store.goals(user), "en", date(2026, 11, 27))
    assert "Give Mette feedback (by 2026-11-20); that date has passed" in text
    assert "Delegate the weekly report (by Friday)" in text
    assert "skip" in text and text.count("?") == 1
    danish = check_in_opening(store.goals(user), "da", date(2026, 11, 27))
    assert "springe indtjekningen over" in danish
    assert check_in_opening([], "en", date(2026, 11, 27)) is None
    overdue = [g for g in store.goals(user) if is_overdue(g, date(2026, 11, 27))]
    assert [g.text for g in overdue] == ["Give Mette feedback"]
    assert "Give Mette feedback" in celebration(overdue[0], "en")


def test_a_new_reflection_opens_with_the_check_in(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data"), chat_model=ScriptedChatModel())
    user = services.store.user_id()
    services.store.add_goal(user, "Ask Sam for a 1:1")
    text = check_in_opening(services.store.goals(user), "en", date.today())
    session = services.modes["reflect"].start(user, "en", {"check_in": text})
    assert services.store.turns(session.id)[0].text == text
    plain = services.modes["reflect"].start(user, "en")
    assert "Ask Sam" not in services.store.turns(plain.id)[0].text


def test_goals_command_json(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data" / "coach.sqlite3")
    store.migrate()
    goal = store.add_goal(store.user_id(), "Ask Sam for a 1:1", due="2000-01-01")
    store.check_in(store.user_id(), goal.id, progress=30, note="Invite sent")
    result = CliRunner().invoke(app, ["goals", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed[0]["text"] == "Ask Sam for a 1:1" and listed[0]["overdue"] is True
    assert listed[0]["latest_check_in"]["progress"] == 30
    assert set(listed[0]) == set(goal_to_dict(store.goals(store.user_id())[0], date.today()))


@pytest.mark.parametrize(("answer", "stored"), [("It went well, we met.", True), ("Skip", False)])
def test_the_answer_to_the_opening_check_in_is_stored(tmp_path, answer, stored):
    services = build_services(Settings(data_dir=tmp_path / "data"), chat_model=ScriptedChatModel())
    user = services.store.user_id()
    goal = services.store.add_goal(user, "Ask Sam for a 1:1")
    services.store.check_in(user, goal.id, progress=40, note="Invite sent")
    opening = check_in_opening(services.store.goals(user), "en", date.today())
    reflect = services.modes["reflect"]
    session = reflect.start(user, "en", {"check_in": opening, "check_in_goals": [goal.id]})
    list(reflect.respond(session, answer))
    list(reflect.respond(session, "Another message later"))
    check_ins = services.store.goal(user, goal.id).check_ins
    if stored:
        assert [c.note for c in check_ins] == ["Invite sent", answer]
        assert check_ins[-1].progress == 40 and check_ins[-1].session_id == session.id
    else:
        assert [c.note for c in check_ins] == ["Invite sent"]


def test_goal_from_debrief_takes_the_first_growth_area_and_the_weakest_criterion():
    debrief = Debrief.model_validate(
        {
            "strengths": [
                {"quote": "a", "why_it_worked": "b"},
                {"quote": "c", "why_it_worked": "d"},
            ],
            "growth_areas": [
                {
                    "suggestion": "One thing you could try next time is to name the impact.",
                    "alternative_line": "When the extract is late, the board report slips.",
                }
            ],
            "ratings": [
                {"criterion": "Describes the behaviour", "rating": 4, "evidence": "x"},
                {"criterion": "Asks for their view", "rating": 2, "evidence": "y"},
            ],
            "counterpart_perspective": {"how_they_felt": "ok", "what_landed": "ok"},
        }
    )
    text, measure = goal_from_debrief(debrief, "en")
    assert text.startswith("One thing you could try next time is to name the impact.")
    assert "“When the extract is late, the board report slips.”" in text
    assert "“Asks for their view” is rated at least 3/5 (it was 2/5)" in measure
    _, danish = goal_from_debrief(debrief, "da")
    assert "mindst 3/5 (det fik 2/5)" in danish
    assert goal_from_debrief(None, "en") == ("", "")


def test_check_in_panel_asks_about_open_goals_once_a_day(store):
    user = store.user_id()
    first = store.add_goal(user, "Ask Sam for a 1:1")
    second = store.add_goal(user, "Say no to one extra request")
    dropped = store.add_goal(user, "Old idea")
    store.check_in(user, dropped.id, progress=0, status="dropped")
    today = date.fromisoformat(store.goal(user, first.id).created_at[:10])
    due = due_for_check_in(store.goals(user), today)
    assert [g.id for g in due] == [second.id, first.id]  # newest first; not the dropped one
    store.check_in(user, first.id, progress=10, note="Booked for Monday")
    assert checked_in_on(store.goal(user, first.id), today)
    assert [g.id for g in due_for_check_in(store.goals(user), today)] == [second.id]
    lines = goal_lines(store.goals(user), "da", today)
    assert lines[0].startswith("- ") and len(lines) == 2


def test_check_ins_are_recorded_through_the_domain_calls(store):
    """The Goals tab records one goal's progress; the check-in panel one answer on several
    goals, their progress unchanged; neither touches another user's goal."""
    user, bob = store.user_id(), store.user_id("bob")
    first = store.add_goal(user, "Ask Sam for a 1:1")
    second = store.add_goal(user, "Book the room")
    goal = record_check_in(store, user, first.id, progress=40, note="Invite sent", status="open")
    assert goal is not None and goal.progress == 40
    record_check_ins(store, user, store.goals(user), "A busy week")
    check_ins = {g.text: [(c.progress, c.note) for c in g.check_ins] for g in store.goals(user)}
    assert check_ins == {
        "Ask Sam for a 1:1": [(40, "Invite sent"), (40, "A busy week")],
        "Book the room": [(0, "A busy week")],
    }
    assert record_check_in(store, bob, second.id, progress=90, status="done") is None
    assert store.goal(user, second.id).status == "open"
