"""Analysed conversations in the real SQLite store: kept per user as an 'analyse' session,
listed and exported by History, deletable, invisible to another user, and nothing stored on
a refusal. The counts are the ones a Practice session with the same lines gets."""

from __future__ import annotations

import gradio as gr
import pytest
from gradio.context import LocalContext

from assistant.analysis import ANALYSE, ConversationAnalyser, TranscriptError
from assistant.config import Settings
from assistant.export import session_export
from assistant.modes.practice import skill_report
from assistant.services import build_services
from assistant.store import Store
from assistant.ui import build_app
from assistant.ui.history_tab import history_rows
from assistant.users import Accounts
from tests.integration.test_every_button import empty_value, injected, steps_of
from tests.unit.test_analysis import EN


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "coach.db")
    store.migrate()
    return store


@pytest.fixture
def analyser(store):
    return ConversationAnalyser(store, max_message_chars=8000)


def test_an_analysis_is_stored_listed_and_deleted_by_its_owner_only(store, analyser):
    alice, bob = store.user_id("alice"), store.user_id("bob")
    stored = analyser.analyse(alice, EN, "en", "anna")
    session = stored.session
    assert (session.mode, session.lang, session.user_id) == (ANALYSE, "en", alice)
    assert session.title == "Conversation with Ben"
    assert session.options["me"] == "Anna"
    assert session.options["analysis"]["counts"]["open_question"] == 1
    (turn,) = store.turns(session.id)
    assert (turn.role, turn.text) == ("user", EN)

    again = analyser.load(alice, session.id)
    assert again is not None and again.text == EN
    assert again.analysis.to_dict() == stored.analysis.to_dict()

    rows = history_rows(store, alice, "", "en")
    assert [row[:3] for row in rows] == [[session.id, "Analysed conversation", session.title]]
    assert history_rows(store, alice, "", "da")[0][1] == "Analyseret samtale"
    assert history_rows(store, bob, "", "en") == []
    exported = session_export(store, alice, session.id)
    assert exported is not None and exported["turns"][0]["text"] == EN
    assert session_export(store, bob, session.id) is None

    # Bob can neither read nor delete Alice's conversation.
    assert analyser.load(bob, session.id) is None
    assert analyser.delete(bob, session.id) is False
    assert store.session(alice, session.id) is not None

    assert analyser.delete(alice, session.id) is True
    assert store.session(alice, session.id) is None
    assert store.turns(session.id) == []
    assert analyser.load(alice, session.id) is None


def test_history_delete_removes_it_too(store, analyser):
    alice = store.user_id("alice")
    stored = analyser.analyse(alice, EN, "en", "Anna")
    assert store.delete_session(alice, stored.session.id)
    assert store.sessions(alice) == []


def test_another_modes_session_is_not_an_analysis(store, analyser):
    alice = store.user_id("alice")
    other = store.create_session(alice, mode="practice", lang="en", system_prompt="s")
    assert analyser.load(alice, other.id) is None
    assert analyser.delete(alice, other.id) is False
    assert store.session(alice, other.id) is not None


@pytest.mark.parametrize(
    ("text", "me", "code"),
    [
        ("", "Anna", "empty"),
        ("Anna: one\nAnna: two", "Anna", "one_speaker"),
        ("no speakers here", "Anna", "no_speakers"),
        ("Anna: hi\x00\nBen: hi", "Anna", "binary"),
        (EN, "Carla", "unknown_speaker"),
        ("Mette: Hvordan går det med planen?\nJonas: Det går fint, tak.", "Mette", "language_en"),
    ],
)
def test_nothing_is_stored_on_a_refusal(store, analyser, text, me, code):
    alice = store.user_id("alice")
    with pytest.raises(TranscriptError) as caught:
        analyser.analyse(alice, text, "en", me)
    assert caught.value.code == code
    assert store.sessions(alice) == []


def test_the_counts_are_the_ones_practice_gets_for_the_same_lines(store, analyser):
    alice = store.user_id("alice")
    analysis = analyser.analyse(alice, EN, "en", "Anna").analysis
    practice = store.create_session(alice, mode="practice", lang="en", system_prompt="s")
    for line in analysis.lines:
        store.add_turn(practice.id, "user" if line.mine else "assistant", line.text)
    report = skill_report(store, practice)
    assert analysis.counts == report.counts
    assert analysis.verdict == report.verdict
    assert [(u.text, u.label) for u in analysis.units] == [(u.text, u.label) for u in report.units]


def test_the_page_never_gives_bob_alices_analysed_conversation(tmp_path):
    """Every event of the page fired as bob with alice's analysis id in every state: nothing
    comes back with her words; as alice, "Practise this conversation" hands them over."""
    secret = "the Copenhagen budget nobody may see"
    services = build_services(Settings(data_dir=tmp_path / "data"))
    accounts = Accounts(services.store)
    alice = accounts.add("alice", "correct horse battery")
    accounts.add("bob", "another long password")
    text = f"Anna: How is {secret} going?\nBen: It sounds hard, but we manage somehow."
    analyser = ConversationAnalyser(services.store, services.settings.max_message_chars)
    stored = analyser.analyse(alice, text, "en", "Anna")
    demo = build_app(services)

    def fire_all(user: str, only: str = "") -> list[tuple[str, str]]:
        token = LocalContext.request.set(gr.Request(username=user))
        seen = []
        try:
            for fn in demo.fns.values():
                name = getattr(fn.fn, "__name__", "")
                if fn.fn is None or injected(fn.fn, len(fn.inputs)) or (only and name != only):
                    continue
                args = [
                    stored.session.id if isinstance(block, gr.State) else empty_value(block)
                    for block in fn.inputs
                ]
                try:
                    steps = steps_of(fn.fn(*args))
                except Exception as exc:  # a refusal is fine; a leak is not
                    steps = [str(exc)]
                seen.extend((name, repr(step)) for step in steps)
        finally:
            LocalContext.request.reset(token)
        return seen

    as_bob = fire_all("bob")
    assert any(name == "practise" for name, _ in as_bob)
    assert [name for name, step in as_bob if "Copenhagen budget" in step] == []
    # The same check sees her words when alice asks (so a leak would have been caught).
    as_alice = fire_all("alice", only="practise")
    assert any(secret in step for _, step in as_alice)


def test_history_resume_opens_an_analysis_in_practice_for_its_owner_only(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data"))
    accounts = Accounts(services.store)
    alice = accounts.add("alice", "correct horse battery")
    accounts.add("bob", "another long password")
    analyser = ConversationAnalyser(services.store, services.settings.max_message_chars)
    stored = analyser.analyse(alice, EN, "en", "Ben")  # not the first speaker
    demo = build_app(services)
    resume = next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "resume")

    def resumed(user: str) -> tuple:
        token = LocalContext.request.set(gr.Request(username=user))
        try:
            return resume(stored.session.id, "en")
        finally:
            LocalContext.request.reset(token)

    tab, notice, *shown = resumed("alice")
    assert tab.selected == "practice"
    assert "Analysed conversation" in notice
    values = list(shown)
    assert EN in values  # the text back in its box
    picker = next(v for v in values if isinstance(v, gr.Dropdown))
    assert picker.value == "Ben"  # the speaker who was you, not the first one
    assert any(isinstance(v, str) and "Your listening, counted" in v for v in values)

    tab, notice, *shown = resumed("bob")
    assert "Ben: Honestly" not in repr((tab, notice, shown))
    assert "Open a session first." in notice
