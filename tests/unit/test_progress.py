"""The Progress tab's data: ratings per scenario, listening ratios with the MITI lines, and
goals per week; empty data gives empty frames (the tab then shows how to get data)."""

from assistant.store import Store
from assistant.ui.progress_tab import goals_frame, ratings_frame, skills_frame


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
    assert set(skills["measure"]) >= {
        "Reflections per question",
        "MITI fair: 1 reflection per question",
        "MITI good: 2 reflections per question",
    }
    assert 0.5 in skills["value"].tolist() and 2.0 in skills["value"].tolist()
    goals = goals_frame(store, user, "da")
    assert dict(zip(goals["what"], goals["count"], strict=True)) == {"oprettet": 2, "nået": 1}
