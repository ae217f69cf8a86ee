"""Scenarios: every built-in scenario validates in both languages; bad data is refused."""

import pytest

from assistant.config import Settings
from assistant.knowledge import Library
from assistant.scenarios import (
    DIFFICULTIES,
    ScenarioBook,
    ScenarioError,
    scenario_from_data,
    slugify,
)
from assistant.store import Store


@pytest.fixture
def book(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    store = Store(settings.database_path)
    store.migrate()
    return ScenarioBook(Library.open(settings), store)


@pytest.mark.parametrize("lang", ["en", "da"])
def test_all_twenty_builtin_scenarios_validate(book, lang):
    scenarios = book.builtin(lang)
    assert len(scenarios) == 20
    for scenario in scenarios:
        assert scenario.lang == lang and scenario.success_criteria
        assert scenario.counterpart.name and scenario.opening_line
        for level in DIFFICULTIES:
            assert scenario.difficulty.of(level)
    qa = [s for s in scenarios if s.is_presentation_qa]
    assert {s.audience for s in qa} >= {"hostile-stakeholder", "newcomer"}


def test_same_ids_in_both_languages(book):
    assert {s.id for s in book.builtin("en")} == {s.id for s in book.builtin("da")}


def test_missing_fields_give_a_bilingual_error():
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data({"id": "x", "lang": "en", "title": "X"})
    assert caught.value.code == "scenario_invalid"
    assert "situation" in caught.value.en and "situation" in caught.value.da


def test_unknown_id_is_an_error(book):
    with pytest.raises(ScenarioError) as caught:
        book.get("no-such-scenario", "en")
    assert caught.value.code == "scenario_unknown"


def test_saved_scenarios_are_per_user(book):
    base = book.get("missed-deadlines", "en")
    own = base.model_copy(update={"id": "my-own", "title": "My own"})
    alice, bob = book.store.user_id("alice"), book.store.user_id("bob")
    saved = book.save(alice, own)
    assert not saved.builtin
    assert book.get("my-own", "en", alice).title == "My own"
    with pytest.raises(ScenarioError):
        book.get("my-own", "en", bob)


def test_slugify_handles_danish_letters():
    assert slugify("Svær samtale på 5. sal!") == "svaer-samtale-paa-5-sal"
