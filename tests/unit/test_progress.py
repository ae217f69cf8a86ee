"""The Progress tab's data: ratings per scenario, listening ratios with the MITI lines, and
goals per week; empty data gives empty frames (the tab then shows how to get data)."""

from assistant.store import Store
from assistant.ui.progress_tab import (
    goals_frame,
    listening_frames,
    moves_frames,
    ratings_frame,
    skills_frame,
)


def make_store(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.migrate()
    return store


def test_empty_store_gives_empty_frames(tmp_path):
    store = make_store(tmp_path)
    user = store.user_id()
    assert ratings_frame(store, user).empty
    assert skills_frame(store, user, "en").empty
    assert goals_frame(store, user, "en").empty


def test_frames_hold_ratings_ratios_with_miti_lines_and_weekly_goals(tmp_path):
    store = make_store(tmp_path)
    user = store.user_id()
    rehearsal = store.create_session(
        user, mode="rehearse", lang="en", system_prompt="S", title="Missed deadlines"
    )
    store.add_debrief(rehearsal.id, kind="structured", rating=3.5)
    practice = store.create_session(user, mode="practice", lang="en", system_prompt="S")
    store.update_options(
        practice.id,
        skills={
            "metrics": {"reflection_to_question_ratio": 0.5, "percent_complex_reflections": 60}
        },
    )
    goal = store.add_goal(user, "Ask Sam")
    store.check_in(user, goal.id, progress=100, status="done")
    store.add_goal(user, "Delegate the report")

    ratings = ratings_frame(store, user)
    assert ratings[["rating", "scenario"]].values.tolist() == [[3.5, "Missed deadlines"]]
    skills = skills_frame(store, user, "en")
    assert 0.5 in skills["value"].tolist() and 2.0 in skills["value"].tolist()
    ratio = listening_frames(store, user, "en")["reflection_to_question_ratio"]
    assert set(ratio["line"]) == {
        "Reflections per question",
        "MITI fair: 1 reflection per question",
        "MITI good: 2 reflections per question",
    }
    # Its own axis: the ratio's chart holds no percentages, the percentage chart no ratio.
    assert ratio["value"].max() == 2.0
    goals = goals_frame(store, user, "da")
    assert dict(zip(goals["what"], goals["count"], strict=True)) == {"oprettet": 2, "nået": 1}


def test_each_listening_measure_has_its_own_chart_on_a_session_axis(tmp_path):
    store = make_store(tmp_path)
    user = store.user_id()
    for ratio, share in ((0.5, 60), (1.5, 30)):
        session = store.create_session(user, mode="practice", lang="en", system_prompt="S")
        store.update_options(
            session.id,
            skills={
                "metrics": {
                    "reflection_to_question_ratio": ratio,
                    "percent_complex_reflections": share,
                }
            },
        )
    frames = listening_frames(store, user, "da")
    ratio, complex_share = (
        frames["reflection_to_question_ratio"],
        frames["percent_complex_reflections"],
    )
    measured = ratio[ratio["line"] == "Refleksioner pr. spørgsmål"]
    assert measured["value"].tolist() == [0.5, 1.5]
    sessions = measured["session"].tolist()
    assert [label[:2] for label in sessions] == ["01", "02"]  # session-indexed, dated labels
    assert all(len(label.split(" · ")[1]) == 10 for label in sessions)
    assert set(ratio["value"]) == {0.5, 1.5, 1.0, 2.0}
    assert set(complex_share["value"]) == {60.0, 30.0, 40.0, 50.0}
    assert set(complex_share["session"]) == set(sessions)


def test_feedback_moves_per_rehearsal(tmp_path):
    store = make_store(tmp_path)
    user = store.user_id()
    assert all(frame.empty for frame in moves_frames(store, user, "en").values())
    session = store.create_session(user, mode="rehearse", lang="en", system_prompt="S")
    lines = [
        (["other", "observation"], "I noticed the report was late."),
        (["reflection_simple", "blame", "generalisation"], "You always deliver late."),
        (["open_question"], "What happened?"),
        (["other", "observation", "request"], "On Monday the extract was missing."),
    ]
    for labels, text in lines:
        turn_id = store.add_turn(session.id, "user", text)
        store.set_turn_labels(session.id, turn_id, {"kind": "rehearse", "labels": labels})
    frames = moves_frames(store, user, "en")
    assert frames["observation"]["value"].tolist() == [50.0]
    assert frames["blame"]["value"].tolist() == [1.0]
    assert frames["blame"]["session"].tolist()[0].startswith("01 · ")
