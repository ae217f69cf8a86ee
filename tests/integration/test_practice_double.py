"""Practice against the Ollama double: the coachee persona reaches the model with its hidden
issue and its open-up / close-down rules, and the counts come from the person's lines."""

from assistant.modes.practice import skill_report
from assistant.services import build_services


def test_coachee_persona_wiring_and_counts(settings, double):
    services = build_services(settings)
    practice = services.modes["practice"]
    session = practice.start(services.store.user_id(), "da", {"scenario": "cant-delegate"})
    double.script("Jeg ved ikke rigtig. Det er nemmest, hvis jeg bare gør det selv.")
    list(practice.respond(session, "Hvad gør det svært at give opgaver fra dig?"))
    request = double.requests_for("/api/chat")[-1].body
    system = request["messages"][0]["content"]
    scenario = services.modes["rehearse"].scenarios.get("cant-delegate", "da", None)
    assert scenario.hidden_issue in system
    assert all(rule in system for rule in scenario.opens_up_when)
    assert all(rule in system for rule in scenario.closes_down_when)
    note, line = request["messages"][-1]["content"].split("</counterpart-state>\n\n")
    assert line == "Hvad gør det svært at give opgaver fra dig?"  # led by its openness note
    assert note.startswith("<counterpart-state>")
    assert "åbenhed" in note
    counts = skill_report(services.store, session).counts
    assert counts.open_question == 1 and counts.other_party_words > 5
