"""Strings of the reply checks: what each failed check is called in a reminder to the model,
in the debrief's count and in `coach eval`'s report."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "reply_check_empty": ("it was empty", "det var tomt"),
    "reply_check_repetition_loop": (
        "it repeated itself in a loop",
        "det gentog sig selv i ring",
    ),
    "reply_check_wrong_language": (
        "it was not written in English",
        "det var ikke skrevet på dansk",
    ),
    "reply_check_instructions_read_back": (
        "it repeated the app's instructions out loud; never mention them",
        "det gentog appens instruktioner højt; nævn dem aldrig",
    ),
    "reply_check_echo": (
        "it repeated words already said instead of answering them; answer in your own words",
        "det gentog ord, der allerede var sagt, i stedet for at svare på dem; svar med egne ord",
    ),
    "reply_check_hint_voice": (
        "it was written as the other person; write as the coach beside them",
        "det var skrevet som den anden; skriv som coachen ved siden af",
    ),
    "reply_check_assistant_voice": (
        "it sounded like a helpful assistant, not like the person you play",
        "det lød som en hjælpsom assistent, ikke som den person, du spiller",
    ),
    "reply_check_refusal": (
        "it refused to answer; stay in the conversation and answer as asked",
        "det afviste at svare; bliv i samtalen, og svar som bedt om",
    ),
    "reply_check_coaching_user": (
        "it coached the other person or spoke for them",
        "det coachede den anden eller talte på deres vegne",
    ),
    "reply_check_repeated_sentence": (
        "it said the same sentence twice",
        "det sagde den samme sætning to gange",
    ),
    "reply_check_too_long": (
        "it was too long; keep to the few short sentences asked for",
        "det var for langt; hold dig til de få korte sætninger, der er bedt om",
    ),
    "reply_check_hint_reminder": (
        (
            "Note from the rehearsal app: your last hint was not usable ({problems}). Write it "
            "again as the coach beside the person, in at most three sentences."
        ),
        (
            "Besked fra øve-appen: dit sidste tip kunne ikke bruges ({problems}). Skriv det "
            "igen som coachen ved siden af personen, i højst tre sætninger."
        ),
    ),
    "reply_check_stand_in_reminder": (
        (
            "Note from the rehearsal app: your last line as the person practising was not "
            "usable ({problems}). Say it again in your own words as that person only, in one "
            "to three short spoken sentences."
        ),
        (
            "Besked fra øve-appen: din sidste replik som den, der øver sig, kunne ikke bruges "
            "({problems}). Sig den igen med dine egne ord og kun som den person, i én til tre "
            "korte talte sætninger."
        ),
    ),
    # The debrief's sentence about the model's own replies (never about the user's skill),
    # and each kind as it names what the model did.
    "model_replies": (
        "About the model, not your lines: {failed} of {total} of its replies failed the app's "
        "reply checks and {written} written again.",
        "Om modellen, ikke dine replikker: {failed} af {total} af dens svar faldt igennem "
        "appens svartjek og {written} skrevet igen.",
    ),
    "model_replies_written_one": ("was", "blev"),
    "model_replies_written_many": ("were", "blev"),
    "model_replies_kept": (
        "{kept} still had a flaw when shown ({kinds}).",
        "{kept} havde stadig en fejl, da det blev vist ({kinds}).",
    ),
    "model_check_empty": ("empty", "tomt"),
    "model_check_repetition_loop": ("looped", "gik i ring"),
    "model_check_wrong_language": ("wrong language", "forkert sprog"),
    "model_check_instructions_read_back": (
        "read the app's instructions out",
        "læste appens instruktioner op",
    ),
    "model_check_echo": ("echoed words already said", "gentog ord, der allerede var sagt"),
    "model_check_hint_voice": ("a hint in the other person's voice", "et tip i den andens stemme"),
    "model_check_ai_disclosure": ("said it was an AI", "sagde, at den var en AI"),
    "model_check_refusal": ("refused to answer", "afviste at svare"),
    "model_check_assistant_voice": ("sounded like an assistant", "lød som en assistent"),
    "model_check_role_break": ("stepped out of the role", "trådte ud af rollen"),
    "model_check_coaching_user": (
        "coached you from inside the role",
        "coachede dig inde fra rollen",
    ),
    "model_check_technique_feedback": (
        "commented on your technique from inside the role",
        "kommenterede din teknik inde fra rollen",
    ),
    "model_check_repeated_sentence": ("repeated a sentence", "gentog en sætning"),
    "model_check_unasked_advice": ("gave unasked advice", "gav råd uden at være spurgt"),
    "model_check_stacked_questions": ("stacked questions", "stablede spørgsmål"),
    "model_check_too_long": ("too long", "for langt"),
}
