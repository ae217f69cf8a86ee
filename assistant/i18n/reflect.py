"""Strings of Reflect: the tab, its variants and action plan, the mode's stage and guard names."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_reflect": ("Reflect", "Reflektér"),
    "reflect_intro": (
        (
            "Think something through with a peer coach who asks open questions, one at a "
            "time, and gives advice only when you ask for it."
        ),
        (
            "Tænk noget igennem med en sparringspartner, der stiller åbne spørgsmål ét ad "
            "gangen og kun giver råd, når du beder om det."
        ),
    ),
    "message_label": ("Your message", "Din besked"),
    "stop": ("Stop", "Stop"),
    "retry": ("Retry", "Prøv igen"),
    "stopped": (
        "You stopped the reply. What arrived is saved.",
        "Du stoppede svaret. Det modtagne er gemt.",
    ),
    "nothing_to_retry": (
        "There is no message of yours to answer again yet.",
        "Der er endnu ingen besked fra dig at svare på igen.",
    ),
    "variant_label": ("How do you want to start?", "Hvordan vil du begynde?"),
    "variant_open": ("Open check-in", "Åben indtjekning"),
    "variant_after_event": ("After a meeting or project", "Efter et møde eller projekt"),
    "variant_prepare": ("Prepare a hard conversation", "Forbered en svær samtale"),
    "stage_label": ("Where we are", "Hvor vi er"),
    "stage_info": (
        "The coach moves on when a stage is done; click a stage to go back.",
        "Coachen går videre, når en fase er færdig; klik på en fase for at gå tilbage.",
    ),
    "plan_title": ("Action plan", "Handlingsplan"),
    "plan_what": ("What will you do?", "Hvad vil du gøre?"),
    "plan_when": ("By when?", "Hvornår?"),
    "plan_how": ("How will you know it worked?", "Hvordan ved du, at det virkede?"),
    "plan_draft": ("Draft from the conversation", "Lav et udkast ud fra samtalen"),
    "plan_save": ("Save action plan", "Gem handlingsplan"),
    "plan_drafted": (
        "Drafted from the conversation. Edit it, then save.",
        "Udkast lavet ud fra samtalen. Ret det til, og gem det så.",
    ),
    "plan_saved": (
        "Action plan saved with this session.",
        "Handlingsplanen er gemt med denne samtale.",
    ),
    "plan_empty": (
        "Write at least what you will do before saving.",
        "Skriv i det mindste, hvad du vil gøre, før du gemmer.",
    ),
    "plan_goal": ("Save as a goal", "Gem som mål"),
    "plan_goal_saved": (
        "Saved as a goal. The coach will ask how it went next time.",
        "Gemt som mål. Coachen spørger næste gang, hvordan det gik.",
    ),
    "reflect_rehearse_this": ("Rehearse this conversation", "Øv samtalen"),
    "reflect_problem_unasked_advice": (
        "it gave advice nobody asked for",
        "det gav råd, som ingen bad om",
    ),
    "reflect_problem_stacked_questions": (
        "it asked more than one question",
        "det stillede mere end ét spørgsmål",
    ),
    "reflect_stage_check-in": ("Check-in", "Indtjekning"),
    "reflect_stage_goal": ("Goal", "Mål"),
    "reflect_stage_exploration": ("Explore", "Udforsk"),
    "reflect_stage_action": ("Action plan", "Handlingsplan"),
    "reflect_stage_close": ("Close", "Afrunding"),
}
