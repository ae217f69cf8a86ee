"""Strings of Practice: skill labels, measures, levels and the live tips."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_practice": ("Practice coaching", "Træn coaching"),
    "practice_intro": (
        (
            "Switch roles: the model is a colleague who wants coaching, and you are the coach. "
            "Each of your lines is counted (open and closed questions, reflections, advice, "
            "affirmations), and at the end you see where you stand against published MITI 4 "
            "thresholds, then a short balanced debrief."
        ),
        (
            "Byt roller: modellen er en kollega, der gerne vil coaches, og du er coach. Hver "
            "af dine replikker tælles (åbne og lukkede spørgsmål, refleksioner, råd, "
            "anerkendelser), og til sidst ser du, hvor du står i forhold til de offentliggjorte "
            "MITI 4-tærskler, og får en kort, afbalanceret evaluering."
        ),
    ),
    "practice_persona": ("Who you coach", "Hvem du coacher"),
    "practice_start": ("Start practice", "Start træning"),
    "practice_live": (
        "Show what each of my lines counts as",
        "Vis, hvad hver af mine replikker tæller som",
    ),
    "practice_badge_title": ("Counted as:", "Talt som:"),
    "practice_message": ("What you say as the coach", "Det, du siger som coach"),
    "practice_end": ("End and see my counts", "Afslut og se min optælling"),
    "practice_none": ("Start a practice session first.", "Start først en træning."),
    "practice_counts_title": ("Your listening, counted", "Din lytning, talt op"),
    "practice_measures_title": (
        "Against the MITI 4 thresholds",
        "Set i forhold til MITI 4-tærsklerne",
    ),
    "practice_thresholds": (
        (
            "MITI 4: reflections per question fair 1:1, good 2:1; complex reflections fair "
            "40 %, good 50 %. Counted by rules on each sentence, not by a model."
        ),
        (
            "MITI 4: refleksioner pr. spørgsmål rimeligt ved 1:1, godt ved 2:1; komplekse "
            "refleksioner rimeligt ved 40 %, godt ved 50 %. Talt med regler pr. sætning, ikke "
            "af en model."
        ),
    ),
    "practice_asked_for": ("asked for", "efterspurgt"),
    "label_open_question": ("Open questions", "Åbne spørgsmål"),
    "label_closed_question": ("Closed questions", "Lukkede spørgsmål"),
    "label_reflection_simple": ("Simple reflections", "Simple refleksioner"),
    "label_reflection_complex": ("Complex reflections", "Komplekse refleksioner"),
    "label_advice": ("Advice (unasked)", "Råd (uopfordrede)"),
    "label_affirmation": ("Affirmations", "Anerkendelser"),
    "label_other": ("Other", "Andet"),
    "measure_reflection_to_question_ratio": (
        "Reflections per question",
        "Refleksioner pr. spørgsmål",
    ),
    "measure_percent_complex_reflections": ("Complex reflections", "Komplekse refleksioner"),
    "measure_percent_open_questions": ("Open questions", "Åbne spørgsmål"),
    "measure_talk_share": ("Your share of the words", "Din andel af ordene"),
    "level_below": ("below fair", "under rimeligt"),
    "level_fair": ("fair", "rimeligt"),
    "level_good": ("good", "godt"),
    "practice_tip_closed_question": (
        'Try opening it: "What ..." or "How ..." invites a longer answer.',
        ('Prøv at åbne det: "Hvad ..." eller "Hvordan ..." inviterer til et længere svar.'),
    ),
    "practice_tip_advice": (
        (
            "Advice nobody asked for tends to close people down. Try asking what they "
            "have already considered."
        ),
        (
            "Råd, som ingen har bedt om, får ofte folk til at lukke sig. Prøv at spørge, "
            "hvad de selv har overvejet."
        ),
    ),
}
