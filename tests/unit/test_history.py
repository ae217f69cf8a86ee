"""History rows: filter by mode and by scenario, latest rating, per user."""

from assistant.store import Store
from assistant.ui.history_tab import history_rows, scenario_choices


def test_rows_filter_by_mode_and_scenario_and_show_the_rating(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.migrate()
    user = store.user_id()
    store.create_session(user, mode="reflect", lang="en", system_prompt="S", title="Think")
    rehearsal = store.create_session(
        user,
        mode="rehearse",
        lang="da",
        system_prompt="S",
        title="Forsinkede deadlines",
        options={"scenario": "missed-deadlines"},
    )
    store.add_debrief(rehearsal.id, kind="plain", text="ok", rating=4.0)
    store.create_session(
        user,
        mode="rehearse",
        lang="en",
        system_prompt="S",
        title="Boss",
        options={"scenario": "feedback-to-your-boss"},
    )
    assert len(history_rows(store, user, "", "en")) == 3
    assert [r[2] for r in history_rows(store, user, "reflect", "en")] == ["Think"]
    rows = history_rows(store, user, "", "en", "missed-deadlines")
    assert [(r[2], r[6]) for r in rows] == [("Forsinkede deadlines", "4.0")]
    assert [key for _, key in scenario_choices(store, user, "en")] == [
        "",
        "feedback-to-your-boss",
        "missed-deadlines",
    ]
    assert history_rows(store, store.user_id("other"), "", "en") == []
