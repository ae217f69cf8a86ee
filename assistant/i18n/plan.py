"""Strings of the Plan tab (session planner)."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_plan": ("Plan", "Planlæg"),
    "planner_intro": (
        (
            "Prepare the questions for a coaching session. Describe the topic, choose who you "
            "are to each other and how long you have: you get the session in stages with "
            "timing and 2-5 questions per stage from the question bank, each tagged with its "
            "stage and strategy. The model can tailor the wording to your topic."
        ),
        (
            "Forbered spørgsmålene til en coachingsession. Beskriv emnet, vælg jeres relation, "
            "og hvor lang tid I har: du får sessionen i faser med tider og 2-5 spørgsmål pr. "
            "fase fra spørgsmålsbanken, hvert mærket med fase og strategi. Modellen kan tilpasse "
            "formuleringerne til dit emne."
        ),
    ),
    "planner_topic_label": ("Topic or challenge", "Emne eller udfordring"),
    "planner_topic_placeholder": (
        "e.g. Giving feedback to a colleague who keeps missing deadlines",
        "fx Feedback til en kollega, der bliver ved med at overskride deadlines",
    ),
    "planner_relationship_label": ("Who you are to each other", "Jeres relation"),
    "planner_minutes_label": ("Session length", "Sessionens længde"),
    "planner_minutes_choice": ("{n} min", "{n} min."),
    "planner_use_model": (
        "Let the model tailor the questions to the topic",
        "Lad modellen tilpasse spørgsmålene til emnet",
    ),
    "planner_use_model_info": (
        (
            "Without it, or when the model is not available, the questions come straight from "
            "the question bank."
        ),
        (
            "Uden den, eller når modellen ikke er tilgængelig, kommer spørgsmålene direkte fra "
            "spørgsmålsbanken."
        ),
    ),
    "planner_generate": ("Generate plan", "Lav plan"),
    "planner_download": ("Download .md", "Hent .md"),
    "planner_copy": ("Copy Markdown", "Kopiér Markdown"),
    "planner_copied": ("Copied ✓", "Kopieret ✓"),
    "planner_empty_topic": (
        "Describe the topic or challenge first.",
        "Beskriv emnet eller udfordringen først.",
    ),
    "planner_working": (
        "These are the question-bank questions; {model} is now tailoring them to your topic…",
        (
            "Her er spørgsmålene fra spørgsmålsbanken; {model} er nu ved at tilpasse dem til "
            "dit emne…"
        ),
    ),
    "planner_source_model": (
        (
            "Tailored to your topic by the model {model}: {count} of {total} questions (the "
            "others are the question bank's). Stages, strategies and timing come from the "
            "question bank."
        ),
        (
            "Tilpasset dit emne af modellen {model}: {count} af {total} spørgsmål (de øvrige er "
            "spørgsmålsbankens). Faser, strategier og tider kommer fra spørgsmålsbanken."
        ),
    ),
    "planner_tailoring": (
        (
            "Being tailored by {model}: {count} of {total} questions so far ({chars} "
            "characters of its answer so far). The others are still the question bank's."
        ),
        (
            "{model} er ved at tilpasse spørgsmålene: {count} af {total} indtil nu ({chars} "
            "tegn af svaret indtil nu). De øvrige er stadig spørgsmålsbankens."
        ),
    ),
    "planner_source_bank": (
        "Picked from the question bank, without a model: the same input gives the same plan.",
        "Valgt fra spørgsmålsbanken uden model: samme input giver samme plan.",
    ),
    "planner_source_fallback": (
        "Picked from the question bank, without a model. {reason}",
        "Valgt fra spørgsmålsbanken uden model. {reason}",
    ),
}
