"""Strings of goals: the Goals tab, the check-in panel and opening, goals from a debrief."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_goals": ("Goals", "Mål"),
    "goals_intro": (
        (
            "Peer coaching works through follow-up. Your goals come from action plans (Save "
            "as a goal) or are written here; the coach opens your next reflection with a "
            "check-in on the open ones."
        ),
        (
            "Peer coaching virker gennem opfølgning. Dine mål kommer fra handlingsplaner (Gem "
            "som mål) eller skrives her; coachen åbner din næste refleksion med en indtjekning "
            "på de åbne."
        ),
    ),
    "goals_none": (
        (
            "No goals yet. Finish a reflection with an action plan and press Save as a goal, "
            "or add one below."
        ),
        (
            "Ingen mål endnu. Afslut en refleksion med en handlingsplan, og tryk på Gem som "
            "mål, eller tilføj et herunder."
        ),
    ),
    "goals_overdue": ("past its date", "datoen er passeret"),
    "goals_col_goal": ("Goal", "Mål"),
    "goals_col_due": ("By when", "Hvornår"),
    "goals_col_status": ("Status", "Status"),
    "goals_col_progress": ("Progress", "Fremskridt"),
    "goal_status_open": ("open", "åben"),
    "goal_status_done": ("done", "nået"),
    "goal_status_dropped": ("dropped", "droppet"),
    "goals_checkin_title": ("Check in on a goal", "Tjek ind på et mål"),
    "goals_pick": ("Goal", "Mål"),
    "goals_progress": ("How far are you (%)?", "Hvor langt er du (%)?"),
    "goals_status": ("Status", "Status"),
    "goals_note": ("What happened since last time?", "Hvad er der sket siden sidst?"),
    "goals_checkin": ("Save check-in", "Gem indtjekning"),
    "goals_checked_in": ("Check-in saved.", "Indtjekningen er gemt."),
    "goals_pick_first": ("Pick a goal first.", "Vælg først et mål."),
    "goals_add_title": ("Add a goal by hand", "Tilføj et mål selv"),
    "goals_due": ("By when (YYYY-MM-DD)", "Hvornår (ÅÅÅÅ-MM-DD)"),
    "goals_add": ("Add goal", "Tilføj mål"),
    "goals_added": ("Goal added.", "Målet er tilføjet."),
    "debrief_goal_intro": (
        (
            "**Keep one thing as a goal.** Edit it to fit; the coach asks how it went when "
            "you start your next reflection."
        ),
        (
            "**Gem én ting som mål.** Ret den til; coachen spørger, hvordan det gik, når du "
            "starter din næste refleksion."
        ),
    ),
    "debrief_goal_text": ("Goal", "Mål"),
    "debrief_goal_measure": ("How you will know", "Sådan ved du, at det er lykkedes"),
    "debrief_goal_due": ("By when (YYYY-MM-DD)", "Hvornår (ÅÅÅÅ-MM-DD)"),
    "debrief_goal_save": ("Save as a goal", "Gem som mål"),
    "debrief_goal_empty": ("Write the goal first.", "Skriv målet først."),
    "check_in_title": (
        "Before you start: how is it going with your goals?",
        "Før du går i gang: hvordan går det med dine mål?",
    ),
    "check_in_answer": ("What has happened since last time?", "Hvad er der sket siden sidst?"),
    "check_in_save": ("Save check-in", "Gem indtjekning"),
    "check_in_skip": ("Skip for now", "Spring over for nu"),
    "check_in_empty": (
        "Write a few words first, or press Skip for now.",
        "Skriv et par ord først, eller tryk Spring over for nu.",
    ),
    "check_in_saved": (
        "Check-in saved. Update the progress in the Goals tab when you like.",
        "Indtjekning gemt. Opdatér fremskridtet under Mål, når du vil.",
    ),
    "check_in_opening_intro": (
        "Before we start, a quick check-in on what you planned last time:",
        "Før vi begynder, en kort indtjekning på det, du planlagde sidst:",
    ),
    "check_in_opening_by": ("by {due}", "senest {due}"),
    "check_in_opening_overdue": (
        "that date has passed; no judgement, I'm just curious how it went",
        "den dato er passeret; ingen dom, jeg er bare nysgerrig på, hvordan det gik",
    ),
    "check_in_opening_question": (
        (
            "How has it gone since then? If you would rather skip the check-in, just say so "
            "and tell me what you want to think through today."
        ),
        (
            "Hvordan er det gået siden? Hvis du hellere vil springe indtjekningen over, så sig "
            "det, og fortæl mig, hvad du vil tænke igennem i dag."
        ),
    ),
    "goal_celebrate": (
        "Well done: you finished “{text}”. What made the difference?",
        "Godt gået: du nåede “{text}”. Hvad gjorde forskellen?",
    ),
    "goal_from_debrief_measure": (
        "Next time I rehearse this, “{criterion}” is rated at least {target}/5 (it was {now}/5).",
        "Næste gang jeg øver det her, får “{criterion}” mindst {target}/5 (det fik {now}/5).",
    ),
}
