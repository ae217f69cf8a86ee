"""Strings of the live labels under the user's lines and the openness chart (issue #18)."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "chip_open_question": ("open question", "åbent spørgsmål"),
    "chip_closed_question": ("closed question", "lukket spørgsmål"),
    "chip_reflection_simple": ("simple reflection", "simpel refleksion"),
    "chip_reflection_complex": ("complex reflection", "kompleks refleksion"),
    "chip_affirmation": ("affirmation", "anerkendelse"),
    "chip_advice": ("advice", "råd"),
    "chip_other": ("statement", "udsagn"),
    "chip_observation": ("concrete observation", "konkret iagttagelse"),
    "chip_i_statement": ("I-statement", "jeg-budskab"),
    "chip_blame": ("blame", "bebrejdelse"),
    "chip_generalisation": ("generalisation", "generalisering"),
    "chip_request": ("request / next step", "ønske / næste skridt"),
    "chip_check_understanding": ("checks understanding", "tjekker forståelse"),
    "chip_direct": ("answers in the first sentence", "svarer i første sætning"),
    "chip_not_direct": ("no answer in the first sentence", "intet svar i første sætning"),
    "chip_bridged": ("bridged back to the message", "bro tilbage til budskabet"),
    "chip_admitted_not_knowing": (
        "admitted not knowing, offered a follow-up",
        "indrømmede ikke at vide det, tilbød at vende tilbage",
    ),
    "chip_words": ("{words} words · {seconds} s", "{words} ord · {seconds} s"),
    "chip_openness": ("openness {level}/10", "åbenhed {level}/10"),
    "live_tip_blame": (
        "Try describing one thing you saw, without 'always' or 'never'.",
        "Prøv at beskrive én ting, du så, uden 'altid' eller 'aldrig'.",
    ),
    "live_tip_advice": (
        "Try one open question about how it looked from their side before advising.",
        "Prøv ét åbent spørgsmål om, hvordan det så ud fra deres side, før du giver råd.",
    ),
    "live_tip_closed": (
        "Try one open question about how it looked from their side.",
        "Prøv ét åbent spørgsmål om, hvordan det så ud fra deres side.",
    ),
    "live_tip_direct": (
        "Try answering in your first sentence, then give the reasons.",
        "Prøv at svare i din første sætning og give grundene bagefter.",
    ),
    "live_labels_toggle": ("Show labels under my lines", "Vis mærkater under mine replikker"),
    "openness_meter_toggle": ("Show the live openness meter", "Vis åbenhedsmåleren undervejs"),
    "openness_title": (
        "{person}'s openness over the conversation",
        "Hvor åben {person} var i samtalen",
    ),
    "openness_turn": ("Your line", "Din replik"),
    "openness_level": ("Openness (0-10)", "Åbenhed (0-10)"),
    "openness_reveal_line": ("shares a hidden concern", "deler en skjult bekymring"),
    "openness_opened_after": (
        "{person} opened up after: '{line}'",
        "{person} åbnede sig efter: '{line}'",
    ),
    "openness_closed_after": (
        "{person} closed down after: '{line}'",
        "{person} lukkede sig efter: '{line}'",
    ),
    "demo_blunt": ("Blunt", "Bramfri"),
    "demo_skilful": ("Skilful", "Dygtig"),
    "demo_heading": (
        "{kind}: {scenario} ({difficulty}, openness starts at {start})",
        "{kind}: {scenario} ({difficulty}, åbenheden starter på {start})",
    ),
    "demo_labels": ("Labels", "Mærkater"),
    "demo_revealed": (
        "Hidden concern: may be shared from line {line} (openness {level}, threshold {threshold}).",
        "Skjult bekymring: kan deles fra replik {line} (åbenhed {level}, grænse {threshold}).",
    ),
    "demo_hidden": (
        "Hidden concern: stays hidden (openness never reached {threshold}; highest {highest}).",
        (
            "Skjult bekymring: forbliver skjult (åbenheden nåede aldrig {threshold}; "
            "højest {highest})."
        ),
    ),
    "openness_empty": (
        "No lines yet: the chart shows how open the other person was after each of your lines.",
        (
            "Ingen replikker endnu: grafen viser, hvor åben den anden var efter hver af dine "
            "replikker."
        ),
    ),
}
