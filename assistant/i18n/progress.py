"""Strings of the Progress tab."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_progress": ("Progress", "Udvikling"),
    "progress_ratings": ("Debrief ratings per scenario", "Vurderinger pr. scenarie"),
    "progress_ratings_empty": (
        (
            "No ratings yet: end a rehearsal or a practice session with a debrief, and its "
            "rating (1-5) appears here over time."
        ),
        (
            "Ingen vurderinger endnu: afslut en øvelse eller en træning med en evaluering, så "
            "vises dens vurdering (1-5) her over tid."
        ),
    ),
    "progress_skills": (
        "Listening over time (Practice coaching)",
        "Lytning over tid (Træn coaching)",
    ),
    "progress_skills_empty": (
        (
            "No counts yet: finish a session in Practice coaching with End and see my counts; "
            "your reflections per question and share of complex reflections appear here, with "
            "the MITI 'fair' and 'good' levels drawn as lines."
        ),
        (
            "Ingen optællinger endnu: afslut en træning med Afslut og se min optælling; så "
            "vises dine refleksioner pr. spørgsmål og andelen af komplekse refleksioner her, "
            "med MITI-niveauerne 'rimeligt' og 'godt' tegnet som linjer."
        ),
    ),
    "progress_goals": ("Goals opened and completed per week", "Mål oprettet og nået pr. uge"),
    "progress_goals_empty": (
        "No goals yet: save an action plan as a goal in Reflect, or add one in Goals.",
        (
            "Ingen mål endnu: gem en handlingsplan som mål under Reflektér, eller tilføj et "
            "under Mål."
        ),
    ),
    "progress_opened": ("opened", "oprettet"),
    "progress_completed": ("completed", "nået"),
    "progress_rq_fair": (
        "MITI fair: 1 reflection per question",
        "MITI rimeligt: 1 refleksion pr. spørgsmål",
    ),
    "progress_rq_good": (
        "MITI good: 2 reflections per question",
        "MITI godt: 2 refleksioner pr. spørgsmål",
    ),
    "progress_cr_fair": (
        "MITI fair: 40 % complex reflections",
        "MITI rimeligt: 40 % komplekse refleksioner",
    ),
    "progress_cr_good": (
        "MITI good: 50 % complex reflections",
        "MITI godt: 50 % komplekse refleksioner",
    ),
    "progress_session_axis": ("Session (number · date)", "Session (nummer · dato)"),
    "progress_axis_debrief": ("Debrief (number · date)", "Evaluering (nummer · dato)"),
    "progress_axis_rating": ("Rating (1-5)", "Vurdering (1-5)"),
    "progress_axis_scenario": ("Scenario", "Scenarie"),
    "progress_axis_miti": ("Your value and the MITI levels", "Din værdi og MITI-niveauerne"),
    "progress_axis_complex": ("Complex reflections (%)", "Komplekse refleksioner (%)"),
    "progress_axis_share": ("Share of your lines (%)", "Andel af dine replikker (%)"),
    "progress_axis_blame": ("Blame lines", "Bebrejdende replikker"),
    "progress_axis_measure": ("Measure", "Måling"),
    "progress_axis_week": ("Week (from Monday)", "Uge (fra mandag)"),
    "progress_axis_goals": ("Number of goals", "Antal mål"),
    "progress_axis_goal_status": ("Goals", "Mål"),
    "progress_moves": ("Feedback moves per rehearsal", "Feedback-greb pr. øvelse"),
    "progress_moves_empty": (
        (
            "No labelled rehearsals yet: rehearse a conversation in Rehearse, and the share of "
            "your lines with a concrete observation and your blame lines appear here per session."
        ),
        (
            "Ingen mærkede øvelser endnu: øv en samtale under Øv, så vises andelen af dine "
            "replikker med en konkret iagttagelse og dine bebrejdende replikker her pr. session."
        ),
    ),
    "progress_observation_line": (
        "Lines with a concrete observation (%)",
        "Replikker med en konkret iagttagelse (%)",
    ),
    "progress_blame_line": ("Blame lines per session", "Bebrejdende replikker pr. session"),
}
