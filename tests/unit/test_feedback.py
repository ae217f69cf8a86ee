"""The debrief, section by section: model-free quotes and counts, short sections continuing
the session's prompt, repair of one malformed section, fallbacks, both languages."""

import pytest

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.feedback import DebriefResult, Passage, library_passages, render_html
from assistant.knowledge import Library
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.rehearse import Rehearse
from assistant.prompts import PromptLibrary
from assistant.scenarios import ScenarioBook

PASSAGES = [
    Passage("sbi-feedback", "SBI feedback", "How to do it", "Name the situation, ..."),
    Passage("active-listening", "Active listening", "What it is", "Reflect back ..."),
]


@pytest.fixture
def rehearse(model, store, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    conversation = Conversation(model, store, Budget(8192), "http://127.0.0.1:11434", "gemma3:4b")
    return Rehearse(
        conversation=conversation,
        prompts=PromptLibrary(settings.prompts_dir),
        scenarios=ScenarioBook(Library.open(settings), store),
        grounding=lambda scenario: PASSAGES,
    )


@pytest.fixture
def session(rehearse, store, model):
    session = rehearse.start(store.user_id(), "en", {"scenario": "missed-deadlines"})
    model.enqueue("It was late, yes.", "The second team, mostly.")
    list(rehearse.respond(session, "Last Tuesday the extract came two days late."))
    list(rehearse.respond(session, "What has been getting in the way?"))
    return session


WHYS = "1. It named one concrete event.\n2. It invited his side of the story."
GROWTH = (
    "TRY: reflecting his frustration before you ask for a date.\n"
    "SAY: It sounds like you're pulled between two teams."
)
RATINGS = "1. 4 - named the late extract\n2. 3 - asked once\n3. 2 - no reflection\n4. 1 - none"
VIEW = "FELT: Relieved that you asked.\nLANDED: The open question."
SECTIONS = (WHYS, GROWTH, RATINGS, VIEW)


def criteria_count(rehearse, session):
    return len(rehearse.scenario(session).success_criteria)


def test_debrief_is_written_section_by_section_from_the_session_prompt(
    rehearse, store, model, session
):
    chat_requests = len(model.requests)
    model.enqueue(*SECTIONS)
    result = rehearse.debrief(session)

    d = result.debrief
    assert result.kind == "structured" and d is not None
    # The quotes are the user's own lines, picked without the model.
    assert [s.quote for s in d.strengths] == [
        "Last Tuesday the extract came two days late.",
        "What has been getting in the way?",
    ]
    assert d.strengths[1].why_it_worked == "It invited his side of the story."
    assert d.growth_areas[0].suggestion == (
        "One thing you could try next time is reflecting his frustration before you ask for a date."
    )
    assert d.growth_areas[0].alternative_line == "It sounds like you're pulled between two teams."
    assert d.growth_areas[0].knowledge_id == "sbi-feedback"  # the strategy it was drawn from
    assert [r.rating for r in d.ratings][:2] == [4, 3]
    assert d.counterpart_perspective.how_they_felt == "Relieved that you asked."
    assert d.facts[0].startswith("Your lines, counted: 1 open questions")
    # Four short requests, each continuing the one before it (the cached prefix).
    asked = model.requests[chat_requests:]
    assert len(asked) == 4
    conversation = model.requests[chat_requests - 1]
    assert asked[0][: len(conversation)] == conversation[: len(conversation)]
    assert asked[0][0].content == session.system_prompt
    for before, after in zip(asked, asked[1:], strict=False):
        assert after[: len(before)] == before
    assert "Pause the role-play" in asked[0][-1].content
    assert "sbi-feedback" not in asked[1][-1].content and "SBI feedback" in asked[1][-1].content
    stored = store.debriefs(session.id)
    assert [(x.kind, x.rating) for x in stored] == [("structured", result.rating)]
    page = render_html(result, "en", "Daniel")
    assert page.index("What worked") < page.index("To try next time") < page.index("Read more")
    assert "<details" in page and "SBI feedback" in page


def test_a_malformed_section_is_repaired_without_asking_for_the_others_again(
    rehearse, model, session
):
    chat_requests = len(model.requests)
    model.enqueue(WHYS, "Maybe reflect more, I think.", GROWTH, RATINGS, VIEW)
    result = rehearse.debrief(session)
    asked = model.requests[chat_requests:]
    assert len(asked) == 5  # one repair, for the growth section only
    repair = asked[2][-1].content
    assert "could not be read" in repair and "SAY:" in repair
    assert asked[2][-2].content == "Maybe reflect more, I think."  # it sees its own answer
    assert result.debrief.growth_areas[0].alternative_line.startswith("It sounds like")
    assert result.debrief.strengths[0].why_it_worked == "It named one concrete event."


def test_a_partial_section_is_kept_and_never_asked_for_again(rehearse, model, session):
    chat_requests = len(model.requests)
    # One "why" of two, and two ratings of four: what was read is kept, the rest is filled
    # from the facts (a fallback "why") or left out (no invented rating); no repair request.
    model.enqueue("1. It named one concrete event.", GROWTH, "1. 4 - named it\n2. 3 - asked", VIEW)
    result = rehearse.debrief(session)
    d = result.debrief
    assert len(model.requests) - chat_requests == 4
    assert d.strengths[0].why_it_worked == "It named one concrete event."
    assert d.strengths[1].why_it_worked == "An open question let them tell it in their own words."
    assert [r.rating for r in d.ratings] == [4, 3] and result.rating == 3.5
    assert d.counterpart_perspective.what_landed == "The open question."


def test_a_rambling_answer_is_cut_at_its_first_sentence_and_when_its_form_is_complete(
    rehearse, model, session
):
    chat_requests = len(model.requests)
    ramble = "1. It named the event. It named the event. It named the event.\n2. It asked.\n"
    model.enqueue(ramble + "3. And more and more " * 20, GROWTH, RATINGS, VIEW)
    result = rehearse.debrief(session)
    assert result.debrief.strengths[0].why_it_worked == "It named the event."
    assert result.debrief.strengths[1].why_it_worked == "It asked."
    assert len(model.requests) - chat_requests == 4
    # The next request carries the answer only up to where its form was complete.
    assert model.requests[chat_requests + 1][-2].content.rstrip().endswith("2. It asked.")


def test_growth_falls_back_to_the_counts_when_it_cannot_be_read(rehearse, model, session):
    model.enqueue(WHYS, "", "", RATINGS, VIEW)
    result = rehearse.debrief(session)
    growth = result.debrief.growth_areas[0]
    assert growth.suggestion.startswith("One thing you could try next time is")
    assert growth.alternative_line  # from the counts, never empty


def test_requests_are_capped_per_section(rehearse, session, model):
    from assistant.debrief.sections import token_cap
    from assistant.debrief.writer import capped
    from assistant.llm import build_chat_model

    real = build_chat_model(Settings())
    assert capped(real, token_cap("growth", 1)).num_predict == 64
    assert real.num_predict is None  # the session's own model is left as it was
    assert capped(model, 50) is model  # a model without the option is used as it is


def test_danish_debrief_asks_and_reads_in_danish(rehearse, store, model):
    session = rehearse.start(store.user_id(), "da", {"scenario": "missed-deadlines"})
    model.enqueue("Ja.")
    list(rehearse.respond(session, "I tirsdags kom udtrækket to dage for sent."))
    ratings = "\n".join(
        f"{n}. 4 - konkret" for n in range(1, criteria_count(rehearse, session) + 1)
    )
    model.enqueue(
        "1. Det var konkret.",
        "PRØV: at spejle hans frustration.\nSIG: Det lyder, som om du er presset.",
        ratings,
        "FØLTE: Lettet.\nLANDEDE: Spørgsmålet.",
    )
    result = rehearse.debrief(session)
    d = result.debrief
    assert d.growth_areas[0].suggestion == (
        "Én ting, du kunne prøve næste gang, er at spejle hans frustration."
    )
    assert d.counterpart_perspective.how_they_felt == "Lettet."
    assert "Sæt rollespillet på pause" in model.requests[-4][-1].content
    assert "Det, der virkede" in render_html(result, "da", "Lars")


def test_a_debrief_of_nothing_said_is_refused_with_a_message(rehearse, store, model):
    session = rehearse.start(store.user_id(), "en", {"scenario": "missed-deadlines"})
    with pytest.raises(CoachError) as caught:
        rehearse.debrief(session)
    assert caught.value.code == "debrief_nothing_said"
    assert "Sig mindst én replik" in caught.value.message("da")
    assert model.requests == [] and store.debriefs(session.id) == []


def test_a_draft_shows_the_sections_to_come(rehearse, model, session):
    model.enqueue(*SECTIONS)
    drafts = rehearse.debrief_stream(session)
    first = next(drafts)
    assert first.pending == ("strengths", "growth", "ratings", "perspective")
    page = render_html(first.result, "en", "Daniel", pending=first.pending)
    assert "Last Tuesday the extract came two days late." in page and "coach-pending" in page
    live = next(drafts)
    assert live.writing == "strengths" and live.live
    drafts.close()


def test_library_passages_use_the_named_entries_when_search_fails(tmp_path):
    library = Library.open(Settings(data_dir=tmp_path / "data"))

    def broken(*args, **kwargs):
        raise RuntimeError("no index")

    library.search = broken  # type: ignore[method-assign]
    passages = library_passages(library, "feedback", "en", ["sbi-feedback", "nope"])
    assert [p.id for p in passages] == ["sbi-feedback"]
    assert passages[0].title and passages[0].text


def test_a_stored_debrief_renders_again_as_it_was_shown(rehearse, store, model, session):
    model.enqueue(*SECTIONS)
    shown = render_html(rehearse.debrief(session), "en", "Daniel")
    stored = store.debriefs(session.id)[-1].data
    again = DebriefResult.from_data(stored)
    assert again.kind == "structured" and again.rating == stored["rating"]
    assert render_html(again, "en", "Daniel") == shown
    broken = DebriefResult.from_data({**stored, "debrief": {"strengths": []}, "text": "Plain."})
    assert broken.kind == "plain" and broken.text == "Plain." and broken.passages
