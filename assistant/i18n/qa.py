"""Strings of presentation Q&A: the tab, audiences, fallback criteria and the debrief context."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "qa_interrupted": (
        "The question ends here (stopped or cut off). Answer it, or write a line to go on.",
        "Spørgsmålet slutter her (stoppet eller afbrudt). Svar på det, eller skriv en linje "
        "for at fortsætte.",
    ),
    "tab_qa": ("Q&A practice", "Spørgerunde"),
    "qa_intro": (
        (
            "Practise the questions after a presentation. Paste your notes or upload a file, "
            "pick an audience and how many questions; each question names the part of your "
            "notes it targets, like [§2]. Under each answer: its length, the speaking time at "
            "about 140 words a minute, and whether your first sentence answered the question."
        ),
        (
            "Øv spørgsmålene efter en præsentation. Indsæt dine noter eller upload en fil, og "
            "vælg publikum og antal spørgsmål; hvert spørgsmål nævner den del af noterne, det "
            "går efter, fx [§2]. Under hvert svar: længden, taletiden ved cirka 140 ord i "
            "minuttet, og om din første sætning svarede på spørgsmålet."
        ),
    ),
    "qa_notes": ("Your presentation notes", "Dine præsentationsnoter"),
    "qa_notes_placeholder": (
        "Paste your notes; headings or blank lines separate the parts",
        "Indsæt dine noter; overskrifter eller tomme linjer deler dem op",
    ),
    "qa_upload": ("Or upload notes (.md, .txt, .pdf)", "Eller upload noter (.md, .txt, .pdf)"),
    "qa_audience": ("Audience", "Publikum"),
    "qa_audience_sceptical_executive": ("Sceptical executive", "Skeptisk direktør"),
    "qa_audience_technical_expert": ("Technical expert", "Teknisk ekspert"),
    "qa_audience_newcomer": ("Newcomer", "Nyansat"),
    "qa_audience_hostile_stakeholder": ("Hostile stakeholder", "Fjendtlig interessent"),
    "qa_questions": ("Number of questions", "Antal spørgsmål"),
    "qa_start": ("Start the Q&A", "Start spørgerunden"),
    "qa_answer": ("Your answer", "Dit svar"),
    "qa_metrics": (
        "{words} words · ~{seconds} s · answered directly in the first sentence: {direct}",
        "{words} ord · ~{seconds} s · svarede direkte i første sætning: {direct}",
    ),
    "qa_yes": ("yes", "ja"),
    "qa_no": ("no", "nej"),
    "qa_progress": ("Question {asked} of {questions}", "Spørgsmål {asked} af {questions}"),
    "qa_done": (
        "The question round is over. Start a new one to practise again.",
        "Spørgerunden er slut. Start en ny for at øve igen.",
    ),
    "qa_none": (
        "Start a Q&A first: paste your notes and press Start the Q&A.",
        "Start en spørgerunde først: indsæt dine noter, og tryk på Start spørgerunden.",
    ),
    "qa_debrief": ("End and debrief", "Afslut og få en opsamling"),
    "qa_audience_name_sceptical-executive": ("sceptical executive", "skeptisk direktør"),
    "qa_audience_name_technical-expert": ("technical expert", "teknisk ekspert"),
    "qa_audience_name_newcomer": ("newcomer", "nyansat"),
    "qa_audience_name_hostile-stakeholder": ("hostile stakeholder", "fjendtlig interessent"),
    "qa_criterion_direct": (
        "Answers each question directly in the first sentence",
        "Svarer direkte på hvert spørgsmål i første sætning",
    ),
    "qa_criterion_short": (
        "Keeps answers short enough to follow when spoken",
        "Holder svarene korte nok til at kunne følges, når de bliver sagt højt",
    ),
    "qa_criterion_honest": (
        "Is honest about what they do not know and offers a follow-up",
        "Er ærlig om det, de ikke ved, og tilbyder at vende tilbage",
    ),
    "qa_criterion_concern": (
        "Acknowledges the concern behind a tough question without becoming defensive",
        "Anerkender bekymringen bag et svært spørgsmål uden at gå i forsvar",
    ),
    "qa_answer_summary": (
        (
            "{answers} answers, on average {words} words (about {seconds} s spoken); "
            "{direct} answered directly in the first sentence."
        ),
        (
            "{answers} svar, i gennemsnit {words} ord (cirka {seconds} sek. talt); "
            "{direct} svarede direkte i første sætning."
        ),
    ),
}
