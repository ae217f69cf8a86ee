"""Strings of the debrief: its section labels, the invitation phrase, the reference label, the
model-free facts and fallbacks, and the tiny answer forms of its sections."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "debrief_moment": (
        'Start from the moment {person} closed down most, right after they said: "{line}"',
        "Tag udgangspunkt i det øjeblik, hvor {person} lukkede mest af, "
        'lige efter de sagde: "{line}"',
    ),
    "debrief_try_next": (
        "One thing you could try next time is",
        "Én ting, du kunne prøve næste gang, er",
    ),
    "debrief_label_strengths": ("What worked", "Det, der virkede"),
    "debrief_label_growth": ("To try next time", "Til næste gang"),
    "debrief_label_ratings": ("Success criteria", "Succeskriterier"),
    "debrief_label_perspective": ("How {person} experienced it", "Sådan oplevede {person} det"),
    "debrief_label_knowledge": ("Read more", "Læs mere"),
    "debrief_label_plain": (
        "A simpler debrief (the structured one could not be read)",
        "En enklere opsamling (den strukturerede kunne ikke læses)",
    ),
    "debrief_label_say": ("You could say", "Du kunne sige"),
    "debrief_label_source": ("drawing on", "bygger på"),
    # the model-free facts
    "debrief_counts": ("Your lines, counted: {counts}.", "Dine replikker, talt op: {counts}."),
    "debrief_count_open": ("{n} open questions", "{n} åbne spørgsmål"),
    "debrief_count_closed": ("{n} closed questions", "{n} lukkede spørgsmål"),
    "debrief_count_reflections": ("{n} reflections", "{n} refleksioner"),
    "debrief_count_advice": ("{n} pieces of advice", "{n} gode råd"),
    # used when the model's section cannot be read (they follow from the counts alone)
    "debrief_fallback_try_advice": (
        "reflecting what you heard before you offer a suggestion.",
        "at spejle det, du hørte, før du kommer med et forslag.",
    ),
    "debrief_fallback_say_advice": (
        "So what matters most to you here is …",
        "Så det, der betyder mest for dig her, er …",
    ),
    "debrief_fallback_try_closed": (
        "turning one closed question into an open one.",
        "at gøre et lukket spørgsmål til et åbent.",
    ),
    "debrief_fallback_say_closed": (
        "What has been getting in the way?",
        "Hvad har stået i vejen?",
    ),
    "debrief_fallback_try_reflect": (
        "summing up what you heard before you move on.",
        "at opsummere det, du hørte, før du går videre.",
    ),
    "debrief_fallback_say_reflect": (
        "Let me check I understood: …",
        "Lad mig høre, om jeg har forstået det: …",
    ),
    "debrief_why_open_question": (
        "An open question let them tell it in their own words.",
        "Et åbent spørgsmål lod dem fortælle det med deres egne ord.",
    ),
    "debrief_why_closed_question": (
        "A clear question kept the conversation concrete.",
        "Et klart spørgsmål holdt samtalen konkret.",
    ),
    "debrief_why_reflection_simple": (
        "Reflecting their words showed that you listened.",
        "At spejle deres ord viste, at du lyttede.",
    ),
    "debrief_why_reflection_complex": (
        "Reflecting the meaning behind their words showed that you understood.",
        "At spejle meningen bag deres ord viste, at du forstod.",
    ),
    "debrief_why_affirmation": (
        "Naming what they did well built trust.",
        "At nævne det, de gjorde godt, skabte tillid.",
    ),
    "debrief_why_advice": (
        "A concrete suggestion gave them something to act on.",
        "Et konkret forslag gav dem noget at handle på.",
    ),
    "debrief_why_other": (
        "Saying it plainly and specifically kept the conversation clear.",
        "At sige det enkelt og konkret holdt samtalen klar.",
    ),
    # the tiny answer forms the model is asked to follow, one section at a time
    "debrief_form_strengths": (
        "<one sentence on why it helped>",
        "<én sætning om, hvorfor det hjalp>",
    ),
    "debrief_form_ratings": (
        "<rating 1-5> - <evidence, at most 12 words>",
        "<karakter 1-5> - <belæg, højst 12 ord>",
    ),
    "debrief_form_growth": (
        "TRY: <how the sentence ends, at most 20 words>\nSAY: <one line they could say instead>",
        "PRØV: <hvordan sætningen slutter, højst 20 ord>\nSIG: <én replik, de kunne sige i stedet>",
    ),
    "debrief_form_perspective": (
        "FELT: <how {person} felt, one sentence>\n"
        "LANDED: <what landed with {person}, one sentence>",
        "FØLTE: <hvordan {person} havde det, én sætning>\nLANDEDE: <hvad der ramte {person}, én "
        "sætning>",
    ),
}
