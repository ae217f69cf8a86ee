"""Strings of the scenario panel and builder, and the difficulty names."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "difficulty_cooperative": ("Cooperative", "Samarbejdsvillig"),
    "difficulty_realistic": ("Realistic", "Realistisk"),
    "difficulty_resistant": ("Resistant", "Modvillig"),
    "builder_accordion": ("Build your own scenario", "Byg dit eget scenarie"),
    "builder_intro": (
        (
            "Describe the conversation in your own words and press **Draft the scenario**: the "
            "model writes a scenario you can edit. Or fill in the fields yourself. Saved "
            "scenarios are yours only and appear in the scenario list above."
        ),
        (
            "Beskriv samtalen med dine egne ord, og tryk på **Lav et udkast**: modellen skriver "
            "et scenarie, som du kan rette. Eller udfyld felterne selv. Gemte scenarier er kun "
            "dine og står i scenarielisten ovenfor."
        ),
    ),
    "builder_words_situation": ("The situation, in your words", "Situationen med dine ord"),
    "builder_words_situation_ph": (
        "What happened, what you want to say, why it is hard",
        "Hvad der skete, hvad du vil sige, hvorfor det er svært",
    ),
    "builder_words_counterpart": (
        "The other person, in your words",
        "Den anden person med dine ord",
    ),
    "builder_words_counterpart_ph": (
        "Who they are, how they react, what they care about",
        "Hvem de er, hvordan de reagerer, hvad de går op i",
    ),
    "builder_draft": ("Draft the scenario", "Lav et udkast"),
    "builder_fields_intro": (
        "**The scenario** (edit anything before you save)",
        "**Scenariet** (ret hvad som helst, før du gemmer)",
    ),
    "builder_title": ("Title", "Titel"),
    "builder_situation": ("Situation", "Situation"),
    "builder_goal": ("Your goal", "Dit mål"),
    "builder_criteria": ("Success criteria", "Succeskriterier"),
    "builder_one_per_line": ("One per line", "Ét pr. linje"),
    "builder_name": ("Their name", "Deres navn"),
    "builder_role": ("Their role", "Deres rolle"),
    "builder_personality": ("Their personality", "Deres personlighed"),
    "builder_cares": ("What they care about", "Det, de går op i"),
    "builder_hidden": ("Hidden concerns", "Skjulte bekymringer"),
    "builder_hidden_info": (
        "One per line; they reveal these only when you ask good questions",
        "Én pr. linje; de siger dem kun, når du stiller gode spørgsmål",
    ),
    "builder_opening": ("Their opening line", "Deres første replik"),
    "builder_opening_info": (
        "The first thing they say when the rehearsal starts",
        "Det første, de siger, når øvelsen starter",
    ),
    "builder_save": ("Save scenario", "Gem scenariet"),
    "builder_load": ("Edit the selected scenario", "Ret det valgte scenarie"),
    "builder_export": ("Export as file", "Eksportér som fil"),
    "builder_export_file": ("Your scenario file", "Din scenariefil"),
    "builder_import": ("Import a scenario file (.md)", "Importér en scenariefil (.md)"),
    "builder_drafting": (
        "Drafting the scenario… this can take a minute.",
        "Laver et udkast til scenariet … det kan tage et minut.",
    ),
    "builder_fields_progress": (
        (
            "Drafting with the model: {count} of {total} parts done, filled in below as they "
            "come ({chars} characters of its answer so far)."
        ),
        (
            "Laver et udkast med modellen: {count} af {total} dele er klar og udfyldt "
            "nedenfor, efterhånden som de kommer ({chars} tegn af svaret indtil nu)."
        ),
    ),
    "builder_draft_failed": (
        "You can also fill in the fields below yourself and save.",
        "Du kan også selv udfylde felterne nedenfor og gemme.",
    ),
    "builder_drafted": (
        "Here is a draft. Change anything that does not fit, then press Save.",
        "Her er et udkast. Ret det, der ikke passer, og tryk så på Gem.",
    ),
    "builder_saved": (
        "Saved “{title}”. It is selected in the scenario list: press Start rehearsal.",
        "“{title}” er gemt og valgt i scenarielisten: tryk på Start øvelsen.",
    ),
    "builder_pick": ("Pick a scenario in the list first.", "Vælg først et scenarie i listen."),
    "builder_loaded": (
        "The selected scenario is in the fields. Saving it stores your own copy.",
        "Det valgte scenarie står i felterne. Gemmer du, får du din egen kopi.",
    ),
    "builder_exported": (
        "Your scenario file is ready to download.",
        "Din scenariefil er klar til at blive hentet.",
    ),
    "builder_imported": (
        "Imported “{title}”. Check the fields, then press Save.",
        "“{title}” er importeret. Tjek felterne, og tryk så på Gem.",
    ),
    "builder_handover_empty": (
        "Describe the situation in the boxes below, then press Draft the scenario.",
        "Beskriv situationen i felterne nedenfor, og tryk så på Lav et udkast.",
    ),
    "builder_handover_drafting": (
        (
            "Your words from the reflection are below. Drafting a scenario from them… "
            "this can take a minute."
        ),
        (
            "Dine ord fra refleksionen står nedenfor. Laver et scenarie ud fra dem … "
            "det kan tage et minut."
        ),
    ),
    "builder_handover_failed": (
        (
            "Your words from the reflection are in the boxes below: press Draft the scenario "
            "when the model is available, or fill in the fields yourself."
        ),
        (
            "Dine ord fra refleksionen står i felterne nedenfor: tryk på Lav et udkast, når "
            "modellen er tilgængelig, eller udfyld felterne selv."
        ),
    ),
    "builder_own": ("{title} · yours", "{title} · din"),
    "difficulty_name_cooperative": ("cooperative", "samarbejdsvillig"),
    "difficulty_name_realistic": ("realistic", "realistisk"),
    "difficulty_name_resistant": ("resistant", "modvillig"),
}
