"""Strings of Rehearse: the tab, its hints and debrief, the mode's out-of-role names."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_rehearse": ("Rehearse", "Øv samtalen"),
    "rehearse_intro": (
        (
            "Rehearse a hard conversation: the model plays the other person and stays in "
            "character. Take a time-out for a hint, switch roles, rewind to try another line, "
            "and end with a debrief."
        ),
        (
            "Øv en svær samtale: modellen spiller den anden og bliver i rollen. Tag en timeout "
            "for et tip, byt roller, spol tilbage for at prøve en anden replik, og slut med en "
            "opsamling."
        ),
    ),
    "rehearse_scenario": ("Scenario", "Scenarie"),
    "rehearse_difficulty": ("Difficulty", "Sværhedsgrad"),
    "rehearse_start": ("Start rehearsal", "Start øvelsen"),
    "rehearse_situation": ("Situation:", "Situation:"),
    "rehearse_you_talk_to": ("You talk to:", "Du taler med:"),
    "rehearse_your_goal": ("Your goal:", "Dit mål:"),
    "rehearse_criteria": ("Success criteria:", "Succeskriterier:"),
    "rehearse_message": ("What you say", "Det, du siger"),
    "rehearse_timeout": ("Time-out (hint)", "Timeout (tip)"),
    "rehearse_switch": ("Switch roles", "Byt roller"),
    "rehearse_switch_back": ("Switch back", "Byt tilbage"),
    "rehearse_debrief": ("End and debrief", "Afslut og få opsamling"),
    "rehearse_rewind_to": ("Go back to one of your lines", "Gå tilbage til en af dine replikker"),
    "rehearse_rewind": ("Rewind", "Spol tilbage"),
    "rehearse_branches": ("Branches of this conversation", "Forgreninger af samtalen"),
    "rehearse_none": (
        "Start a rehearsal first: pick a scenario and press Start rehearsal.",
        "Start en øvelse først: vælg et scenarie, og tryk på Start øvelsen.",
    ),
    "rehearse_hint_title": (
        "Coach's hint (the other person does not hear this):",
        "Coachens tip (den anden hører det ikke):",
    ),
    "rehearse_pick_line": (
        "Pick one of your lines to go back to first.",
        "Vælg først en af dine replikker at gå tilbage til.",
    ),
    "rehearse_rewound": (
        (
            "Rewound. Your old line is in the box: change it and send. The earlier version "
            "stays under Branches."
        ),
        (
            "Spolet tilbage. Din gamle replik står i feltet: ret den, og send. Den tidligere "
            "udgave ligger under Forgreninger."
        ),
    ),
    "rehearse_debrief_working": ("Writing your debrief…", "Skriver din opsamling…"),
    "rehearse_interrupted": (
        "The reply ends here (stopped or cut off). Write your next line to go on.",
        "Svaret slutter her (stoppet eller afbrudt). Skriv din næste replik for at fortsætte.",
    ),
    "rehearse_swapped_note": ("(roles switched)", "(byttede roller)"),
    "rehearse_warning": (
        "Note: this reply may have stepped out of character.",
        "Bemærk: dette svar er måske faldet ud af rollen.",
    ),
    "rehearse_problem_ai_disclosure": ("it mentioned being an AI", "det omtalte sig selv som AI"),
    "rehearse_problem_technique_feedback": (
        "it coached or praised the other person",
        "det coachede eller roste den anden",
    ),
    "rehearse_problem_role_break": ("it talked about the role-play", "det talte om rollespillet"),
    # `coach practice`
    "practice_cli_commands": (
        "Commands: /hint [question]  /switch  /rewind N  /debrief  /end",
        "Kommandoer: /hint [spørgsmål]  /switch  /rewind N  /debrief  /end",
    ),
    "practice_cli_rewind_number": (
        "/rewind needs a number from 1 to {count}.",
        "/rewind skal have et tal fra 1 til {count}.",
    ),
    "practice_cli_rewound": ("(rewound to before: {line})", "(spolet tilbage til før: {line})"),
    # a reply shown again on a new line
    "practice_cli_again": ("written again", "skrevet igen"),
    "practice_cli_cut": ("cut at its last full sentence", "afkortet ved sidste hele sætning"),
    "practice_cli_kept": ("the first attempt, kept", "første forsøg, beholdt"),
}
