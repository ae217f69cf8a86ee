"""Strings of "Analyse a conversation" (Practice coaching) and `coach analyse`."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "mode_analyse": ("Analysed conversation", "Analyseret samtale"),
    "label_requested_advice": ("Advice (asked for)", "Råd (efterspurgt)"),
    "analyse_accordion": ("Analyse a conversation", "Analysér en samtale"),
    "analyse_intro": (
        (
            "Paste or upload a real coaching or feedback conversation (a .txt or .md file), "
            "one speaker per line as `Name: text`. Pick which speaker is you: your lines are "
            "labelled and counted against the same MITI thresholds as above. The text stays "
            "on this machine; it is kept in your History, where you can delete it."
        ),
        (
            "Indsæt eller upload en rigtig coaching- eller feedbacksamtale (en .txt- eller "
            ".md-fil) med én taler pr. linje som `Navn: tekst`. Vælg, hvilken taler du er: "
            "dine replikker mærkes og tælles mod de samme MITI-tærskler som ovenfor. Teksten "
            "bliver på denne maskine; den gemmes i din historik, hvor du kan slette den."
        ),
    ),
    "analyse_text": ("The conversation", "Samtalen"),
    "analyse_text_ph": (
        "Anna: How did the launch go from your side?\nBen: Honestly, it was a rush.",
        "Anna: Hvordan gik lanceringen set fra din side?\nBen: Ærligt talt var det et ræs.",
    ),
    "analyse_upload": ("Or upload a .txt or .md file", "Eller upload en .txt- eller .md-fil"),
    "analyse_me": ("Which speaker is you", "Hvilken taler er dig"),
    "analyse_button": ("Analyse", "Analysér"),
    "analyse_practise": ("Practise this conversation", "Øv denne samtale"),
    "analyse_speakers_found": (
        "Found {n} lines by {speakers}. Pick which speaker is you, then press Analyse.",
        "Fandt {n} replikker fra {speakers}. Vælg, hvilken taler du er, og tryk på Analysér.",
    ),
    "analyse_pick_me": ("Pick which speaker is you first.", "Vælg først, hvilken taler du er."),
    "analyse_first": (
        "Analyse a conversation first.",
        "Analysér først en samtale.",
    ),
    "analyse_stored": (
        "Analysed and kept in your History as session #{id}.",
        "Analyseret og gemt i din historik som session #{id}.",
    ),
    "analyse_session_title": ("Conversation with {others}", "Samtale med {others}"),
    "analyse_lines_title": ("Line by line", "Replik for replik"),
    "analyse_debrief_title": ("Debrief", "Evaluering"),
    "analyse_strengths": ("What worked", "Det, der virkede"),
    "analyse_try_next": ("To try next time", "Til næste gang"),
    "analyse_read_more": ("Read more:", "Læs mere:"),
    "analyse_tip_reflect": (
        (
            "There were no reflections: next time, say back what you heard before you ask "
            "the next question."
        ),
        (
            "Der var ingen refleksioner: sig næste gang tilbage, hvad du hørte, før du "
            "stiller det næste spørgsmål."
        ),
    ),
    "analyse_tip_complex": (
        (
            "Your reflections repeated the words: try adding what it may mean for them "
            '("It sounds like ...").'
        ),
        (
            "Dine refleksioner gentog ordene: prøv at tilføje, hvad det måske betyder for "
            'dem ("Det lyder som om ...").'
        ),
    ),
    "analyse_tip_keep": (
        "Keep it up: reflections and open questions carried this conversation.",
        "Bliv ved: refleksioner og åbne spørgsmål bar denne samtale.",
    ),
    "analyse_strategy_questions-not-advice": (
        "Focus on questions, not just advice",
        "Fokusér på spørgsmål, ikke kun råd",
    ),
    "analyse_strategy_active-listening": ("Use active listening", "Brug aktiv lytning"),
    "analyse_situation_intro": (
        (
            "A real conversation I ({me}) had with {other}, which I want to practise again. "
            "The transcript:"
        ),
        ("En rigtig samtale, jeg ({me}) havde med {other}, som jeg vil øve igen. Udskriften:"),
    ),
    "analyse_counterpart_intro": (
        "{other}, the other person in the conversation. What {other} said:",
        "{other}, den anden person i samtalen. Det, {other} sagde:",
    ),
    "analyse_excerpt_more": ("(the rest left out)", "(resten udeladt)"),
    "analyse_error_empty": (
        "The conversation is empty: paste the text or upload a .txt or .md file.",
        "Samtalen er tom: indsæt teksten, eller upload en .txt- eller .md-fil.",
    ),
    "analyse_error_huge": (
        (
            "The conversation has {chars} characters; the limit is {limit}. Analyse a part "
            "of it (for example the first half)."
        ),
        (
            "Samtalen har {chars} tegn; grænsen er {limit}. Analysér en del af den (for "
            "eksempel den første halvdel)."
        ),
    ),
    "analyse_error_binary": (
        (
            "This is not plain text (it holds binary data). Save the conversation as a "
            ".txt or .md file, or paste its text."
        ),
        (
            "Det er ikke almindelig tekst (den indeholder binære data). Gem samtalen som en "
            ".txt- eller .md-fil, eller indsæt teksten."
        ),
    ),
    "analyse_error_file_type": (
        "'{name}' is not a .txt or .md file. Save the conversation as plain text first.",
        "'{name}' er ikke en .txt- eller .md-fil. Gem først samtalen som almindelig tekst.",
    ),
    "analyse_error_no_speakers": (
        (
            "No speaker lines found. Write one speaker per line as 'Name: text', for "
            "example 'Anna: How did it go?'."
        ),
        (
            "Ingen replikker med navn fundet. Skriv én taler pr. linje som 'Navn: tekst', "
            "for eksempel 'Anna: Hvordan gik det?'."
        ),
    ),
    "analyse_error_one_speaker": (
        (
            "Only one speaker ({speaker}) was found. A conversation needs at least two: "
            "put each speaker's name before their line."
        ),
        (
            "Der blev kun fundet én taler ({speaker}). En samtale skal have mindst to: skriv "
            "hver talers navn foran deres replik."
        ),
    ),
    "analyse_error_unknown_speaker": (
        "'{name}' is not one of the speakers ({speakers}).",
        "'{name}' er ikke en af talerne ({speakers}).",
    ),
    "analyse_error_language_en": (
        (
            "This conversation looks Danish, but it is being analysed in English. Switch "
            "the language to Dansk (or use --lang da) and analyse it again."
        ),
        (
            "Samtalen ser ud til at være på dansk, men den analyseres på engelsk. Skift "
            "sproget til Dansk (eller brug --lang da), og analysér den igen."
        ),
    ),
    "analyse_error_language_da": (
        (
            "This conversation looks English, but it is being analysed in Danish. Switch "
            "the language to English (or use --lang en) and analyse it again."
        ),
        (
            "Samtalen ser ud til at være på engelsk, men den analyseres på dansk. Skift "
            "sproget til English (eller brug --lang en), og analysér den igen."
        ),
    ),
}
