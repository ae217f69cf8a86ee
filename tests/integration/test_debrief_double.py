"""The debrief built for a CPU (#16), through the real ChatOllama against the Ollama double:
short sections that continue the session's own prompt with a token cap each, the first section
on the page before the last is generated, one malformed section repaired alone, cited ids that
exist, and (#15 item 7) a cancelled or abandoned debrief that ends its model request at once.

The double holds a reply at a chosen point (``pause_after``) until the test releases it, so
each stage is reached as a state, never by waiting for a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from assistant.services import build_services
from assistant.ui.debrief_view import draft_html

WHYS = "1. It named one concrete event.\n2. It asked for his side."
GROWTH = "TRY: reflecting his frustration first.\nSAY: It sounds like the priorities moved."
VIEW = "FELT: Heard, in the end.\nLANDED: The question about what got in the way."
LONG = " ".join(["word"] * 300)  # long enough that a closed connection shows on the server


def ratings(count: int) -> str:
    return "\n".join(f"{n}. {2 + n % 3} - said so" for n in range(1, count + 1))


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Until a state is reached (bounded, so a broken build fails instead of hanging)."""
    tick = threading.Event()
    for _ in range(3000):
        if condition():
            return
        tick.wait(0.01)
    raise AssertionError(f"never reached: {what}")


@pytest.fixture
def rehearsal(settings, double):
    services = build_services(settings)
    mode = services.modes["rehearse"]
    options = {"scenario": "missed-deadlines", "difficulty": "realistic"}
    session = mode.start(services.store.user_id(), "en", options)
    double.script("It was late, yes.", "The second team, mostly.")
    list(mode.respond(session, "Last Tuesday the extract came two days late."))
    list(mode.respond(session, "What has been getting in the way?"))
    criteria = len(mode.scenario(session).success_criteria)
    return services, mode, session, criteria


def chat_bodies(double):
    return [r.body for r in double.requests_for("/api/chat")]


def test_sections_continue_the_session_prompt_each_with_its_own_cap(double, rehearsal):
    services, mode, session, criteria = rehearsal
    double.script(WHYS, GROWTH, ratings(criteria), VIEW)
    result = mode.debrief(session)

    bodies = chat_bodies(double)
    conversation, sections = bodies[1], bodies[2:]
    assert len(sections) == 4  # four short requests, no whole-debrief retry
    # The first continues the session's own last request: its system prompt and turns.
    assert sections[0]["messages"][: len(conversation["messages"])] == conversation["messages"]
    for before, after in zip(sections, sections[1:], strict=False):
        assert after["messages"][: len(before["messages"])] == before["messages"]
    assert [b["options"]["num_predict"] for b in sections] == [70, 64, 20 * criteria + 10, 56]
    assert all(not b.get("format") for b in sections)  # plain text, no schema
    # The session's own requests keep the persona's cap: a section's cap never leaks into them.
    persona_cap = services.conversation.caps.persona
    assert conversation["options"]["num_predict"] == persona_cap

    d = result.debrief
    assert d.strengths[1].quote == "What has been getting in the way?"
    assert d.growth_areas[0].alternative_line == "It sounds like the priorities moved."
    known = {p.id for p in result.passages}
    assert d.knowledge_ids and set(d.knowledge_ids) <= known
    assert d.growth_areas[0].knowledge_id in known
    library = services.library
    assert all(library.entry(i, "en") is not None for i in d.knowledge_ids)  # ids that exist
    assert services.store.debriefs(session.id)[-1].rating == result.rating


def test_the_first_section_is_on_the_page_before_the_last_is_generated(double, rehearsal):
    services, mode, session, criteria = rehearsal
    double.script(WHYS, GROWTH, ratings(criteria), {"content": VIEW, "fault": {"pause_after": 0}})
    pages: list[str] = []
    person = mode.scenario(session).counterpart.name

    def run() -> None:
        for draft in mode.debrief_stream(session):
            pages.append(draft_html(draft, "en", person))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    # The double holds the last section's request before its first token ...
    wait_until(lambda: len(double.requests_for("/api/chat")) == 6, "the last section's request")
    wait_until(lambda: bool(pages) and "said so" in pages[-1], "three sections rendered")
    # ... while the page already shows the first section, and the last one as still to come.
    page = pages[-1]
    assert "It named one concrete event." in page
    assert "How Daniel experienced it" in page and "coach-pending" in page
    assert "Heard, in the end." not in page
    assert services.store.debriefs(session.id) == []  # stored only once it is finished
    double.release()
    worker.join(30)
    assert "Heard, in the end." in pages[-1] and "coach-pending" not in pages[-1]
    assert len(services.store.debriefs(session.id)) == 1


def test_a_malformed_section_is_repaired_alone(double, rehearsal):
    services, mode, session, criteria = rehearsal
    double.script(WHYS, "Reflect more.", GROWTH, "I cannot rate that.", ratings(criteria), VIEW)
    result = mode.debrief(session)

    sections = chat_bodies(double)[2:]
    # growth could not be read, then asked for alone; the same for ratings; no more.
    assert len(sections) == 6
    assert "could not be read" in sections[2]["messages"][-1]["content"]
    assert "could not be read" in sections[4]["messages"][-1]["content"]
    assert sections[2]["messages"][-2]["content"] == "Reflect more."
    assert sum("Pause the role-play" in b["messages"][-1]["content"] for b in sections) == 1
    d = result.debrief
    assert d.growth_areas[0].suggestion.endswith("reflecting his frustration first.")
    assert d.ratings[0].evidence == "said so"
    assert len(d.ratings) == criteria
    assert d.strengths[0].why_it_worked == "It named one concrete event."


def test_an_answer_is_cut_once_its_form_is_complete(double, rehearsal):
    services, mode, session, criteria = rehearsal
    # The double holds the answer a few words after its two numbered lines.
    rambling = {"content": WHYS + "\n" + LONG, "fault": {"pause_after": 16}}
    double.script(rambling, GROWTH, ratings(criteria), VIEW)
    result = mode.debrief(session)  # done while the double still holds the rambling answer
    double.release()
    # The model's request was closed after the two numbered lines, not run to its cap.
    wait_until(lambda: double.closed_by_client == 1, "the double sees the request closed")
    assert result.debrief.strengths[1].why_it_worked == "It asked for his side."
    growth_request = chat_bodies(double)[3]["messages"]
    assert growth_request[-2]["content"].rstrip() == WHYS


def test_a_cancelled_debrief_ends_its_model_request_at_the_next_chunk(double, rehearsal):
    services, mode, session, _ = rehearsal
    # The rest of the answer comes slowly, as a model's would: the cancel is seen at the first
    # chunk after the release, while the double is still sending.
    double.script({"content": LONG, "fault": {"pause_after": 3, "token_delay": 0.1}})
    cancelled = threading.Event()
    drafts = []

    def run() -> None:
        for draft in mode.debrief_stream(session, cancelled):
            drafts.append(draft)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    wait_until(lambda: any(d.live for d in drafts), "the first words of the first section")

    cancelled.set()
    double.release()
    worker.join(30)
    assert not worker.is_alive()
    wait_until(lambda: double.closed_by_client == 1, "the double sees the request closed")
    assert len(double.requests_for("/api/chat")) == 3  # no further section was asked for
    assert len(drafts[-1].live.split()) <= 4  # nothing after the cancel was shown
    assert services.store.debriefs(session.id) == []


def test_closing_an_abandoned_debrief_closes_its_model_request(double, rehearsal):
    services, mode, session, _ = rehearsal
    double.script({"content": LONG, "fault": {"pause_after": 3}})
    drafts = mode.debrief_stream(session)
    draft = next(drafts)
    while not draft.live:  # the first words have arrived; the double holds the rest
        draft = next(drafts)

    drafts.close()  # what Gradio does when the client cancels or goes away
    double.release()
    wait_until(lambda: double.closed_by_client == 1, "the double sees the request closed")
    assert len(double.requests_for("/api/chat")) == 3
    assert services.store.debriefs(session.id) == []


def test_the_growth_section_starts_from_the_line_that_closed_the_counterpart_down(settings, double):
    """Issue #18: the turn where openness fell most is the first candidate for "try next
    time": its exact words go into the growth request (and nothing when no line lowered it)."""
    services = build_services(settings)
    mode = services.modes["rehearse"]
    options = {"scenario": "missed-deadlines", "difficulty": "realistic"}
    blunt = "You always deliver late and it's your fault the client is angry."
    session = mode.start(services.store.user_id(), "en", options)
    double.script("It was late, yes.", "Fine.")
    list(mode.respond(session, "Last Tuesday the extract came two days late."))
    list(mode.respond(session, blunt))
    criteria = len(mode.scenario(session).success_criteria)
    double.script(WHYS, GROWTH, ratings(criteria), VIEW)
    mode.debrief(session)
    growth = chat_bodies(double)[-3]["messages"][-1]["content"]
    assert "TRY:" in growth  # the growth section's request
    assert f'closed down most, right after they said: "{blunt}"' in growth

    calm = mode.start(services.store.user_id(), "en", options)
    double.script("It was late, yes.")
    list(mode.respond(calm, "What has the last month been like for you?"))
    double.script(WHYS, GROWTH, ratings(criteria), VIEW)
    mode.debrief(calm)
    growth = chat_bodies(double)[-3]["messages"][-1]["content"]
    assert "TRY:" in growth and "closed down most" not in growth
