"""The model-agnostic reply checks: positives (the replies quoted in issue 17 among them) and
near-miss negatives, in English and Danish."""

from __future__ import annotations

import pytest

from assistant import reply_checks
from assistant.reply_checks import (
    ReplyContext,
    Tally,
    assistant_voice,
    check_reply,
    choose,
    coaching_the_user,
    cut_loop,
    echo,
    hint_in_counterpart_voice,
    instructions_read_back,
    kind_of,
    looping,
    repeated_sentence,
    score,
    too_long,
    wrong_language,
)

# --- echo ----------------------------------------------------------------------------------

USER_LINE = (
    "The reports came in late three sprints in a row, and the client noticed. "
    "What happened from your side?"
)
OPENING = "Hi. You wanted to talk about the reports? I've got ten minutes before my next call."


def test_echo_catches_the_counterpart_repeating_the_user_line_word_for_word():
    assert echo(f"DANIEL: {USER_LINE}", USER_LINE) == ["echo: user"]


def test_echo_catches_a_reply_repeating_its_own_opening_line():
    assert echo(OPENING, "Yes, I did.", [OPENING]) == ["echo: own"]
    assert echo(f"{OPENING} So?", "Yes, I did.", [OPENING]) == ["echo: own"]


def test_echo_catches_a_danish_echo():
    line = "Rapporterne kom for sent tre sprint i træk, og kunden lagde mærke til det."
    assert echo(f"MORTEN: {line}", line) == ["echo: user"]


@pytest.mark.parametrize(
    ("reply", "user"),
    [
        (
            "The client noticed? Nobody told me that, and I've been chasing the data team "
            "for weeks.",
            "I think the client noticed the delays last week.",
        ),
        (
            "Kunden lagde mærke til det? Det har ingen sagt til mig, og jeg har jagtet "
            "dataholdet i ugevis.",
            "Jeg tror, kunden lagde mærke til forsinkelserne i sidste uge.",
        ),
        ("Late? The extract only arrived on Thursday.", USER_LINE),
    ],
)
def test_a_short_quoted_phrase_is_not_an_echo(reply, user):
    assert echo(reply, user) == []


def test_a_short_reply_taking_up_a_phrase_of_a_longer_line_is_not_an_echo():
    opening = (
        "Sure, I've got fifteen minutes. Is this about the report? Because I know it was late."
    )
    assert echo("I know it was late.", "Tuesday's extract came late.", [opening]) == []
    assert echo(
        "What would you like to explore next?", "Hm.", ["What would you like to explore next?"]
    )


def test_a_coach_paraphrase_is_not_an_echo():
    user = "I keep saying yes to every request and then I work every evening to catch up."
    reply = "So saying yes costs you your evenings. What would change if you said no once?"
    assert echo(reply, user) == []


# --- assistant voice and coaching the user ----------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "Of course! I'm happy to help. What are the deadlines for the last three months?",
        "How can I assist you today?",
        "Here are some tips for the next sprint.",
        "Feel free to ask me anything.",
        "Selvfølgelig, jeg hjælper gerne. Hvad er fristerne?",
        "Her er nogle tips til næste sprint.",
        "Hvordan kan jeg hjælpe dig i dag?",
    ],
)
def test_assistant_voice_positives(reply):
    assert assistant_voice(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "Of course I'm annoyed. Nobody helps me with the extract.",
        "I'd be happy if the data came on time for once.",
        "Can you help me get the data team to deliver?",
        "Selvfølgelig er jeg irriteret. Ingen hjælper mig med udtrækket.",
        "Jeg ville gerne have, at dataene kom til tiden.",
        "Kan du hjælpe mig med dataholdet?",
    ],
)
def test_assistant_voice_near_misses(reply):
    assert assistant_voice(reply) == []


@pytest.mark.parametrize(
    "reply",
    [
        "What you noticed is that I get defensive when you mention the client. "
        "I can help you choose something to say next.",
        "You could try asking me about the data instead.",
        "Det, du lagde mærke til, er at jeg bliver defensiv. Jeg kan hjælpe dig med at vælge "
        "noget at sige.",
        "Du kunne prøve at spørge mig om dataene i stedet.",
    ],
)
def test_coaching_the_user_from_inside_the_role(reply):
    assert coaching_the_user(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "Did you notice the client email on Friday? I didn't.",
        "You could ask the data team yourself, you know.",
        "Lagde du mærke til kundens mail i fredags? Det gjorde jeg ikke.",
        "Du kunne jo selv spørge dataholdet.",
    ],
)
def test_coaching_the_user_near_misses(reply):
    assert coaching_the_user(reply) == []


# --- length and repetition ------------------------------------------------------------------

RAMBLE = (
    "Look, I know the reports were late and I am sorry about that. "
    + "The data team never sends the extract on time. " * 4
    + "I have asked them again and again, and nothing changes, and then I get the blame for "
    "something that was never really in my hands in the first place."
)


def test_the_rambling_reply_is_too_long_and_repeats_a_sentence():
    assert len(RAMBLE.split()) > 60
    assert kind_of(too_long(RAMBLE, 4)[0]) == "too_long"
    assert repeated_sentence(RAMBLE) == ["repeated_sentence: the data team never sends the"]


def test_a_danish_ramble():
    reply = "Jeg ved det godt. " + "Dataholdet sender aldrig udtrækket til tiden. " * 3
    assert repeated_sentence(reply) and too_long(reply, 3)


@pytest.mark.parametrize(
    "reply",
    [
        "Fine. The extract was late. Again. What do you want me to do?",
        "Fint. Udtrækket kom for sent. Igen. Hvad vil du have, jeg skal gøre?",
    ],
)
def test_four_short_sentences_fit_the_budget(reply):
    assert too_long(reply, 4) == []
    assert repeated_sentence(reply) == []


def test_a_long_reply_without_full_stops_is_too_long_by_words():
    reply = " ".join(["and then the data came late"] * 20)
    assert too_long(reply, 4) == ["too_long: 120 words"]


def test_short_repeats_are_not_repeated_sentences():
    assert repeated_sentence("No. No. I said no.") == []
    assert repeated_sentence("Nej. Nej. Jeg sagde nej.") == []


# --- language -------------------------------------------------------------------------------


def test_a_danish_reply_in_an_english_session_is_the_wrong_language():
    reply = "Jeg ved ikke, hvad du mener. Dataene var forsinkede igen."
    assert wrong_language(reply, "en") == ["wrong_language: da"]
    assert wrong_language(reply, "da") == []


def test_an_english_reply_in_a_danish_session_is_the_wrong_language():
    reply = "I don't know what you mean. The data was late again."
    assert wrong_language(reply, "da") == ["wrong_language: en"]
    assert wrong_language(reply, "en") == []


@pytest.mark.parametrize(
    ("reply", "lang"),
    [
        ("Okay.", "da"),  # too short to tell
        ("Deadline er fredag, og jeg har ikke fået dataene endnu.", "da"),  # an English loan word
        ("Daniel said it was fine, but the deadline moved again.", "en"),
        ("Jeg er træt af det. Sorry, but that is how it is. Dataene kom for sent.", "da"),
    ],
)
def test_language_near_misses(reply, lang):
    assert wrong_language(reply, lang) == []


# --- instructions read back -------------------------------------------------------------------


def test_the_stage_note_read_back_is_caught():
    reply = (
        "Okay, let's go through this stage. When the work of this stage is done, end your "
        "reply with [[next]]."
    )
    assert instructions_read_back(reply)
    danish = "Okay. Når fasens arbejde er gjort, så slut dit svar med [[next]]."
    assert instructions_read_back(danish)


def test_tags_and_the_note_of_this_request_are_caught():
    assert instructions_read_back("<turn-note>Ask question 2</turn-note>")
    note = "<turn-note>Ask question 2 of 3 now, about a section you have not asked about yet."
    reply = "[§2] Question 2 of 3 now, about a section you have not asked about yet: why?"
    assert instructions_read_back(reply, [note]) == ["instructions_read_back: note"]


def test_a_quoted_example_from_a_note_may_be_used():
    note = 'Interrupt it the way this person would (e.g. "Sorry, let me stop you there.").'
    assert instructions_read_back("Sorry, let me stop you there. [§3] What about it?", [note]) == []


@pytest.mark.parametrize(
    "reply",
    [
        "What is the next step for you?",
        "Hvad er det næste skridt for dig?",
        "So this stage of the project is done? What comes after it?",
    ],
)
def test_instruction_near_misses(reply):
    assert instructions_read_back(reply) == []


# Replies the 0.5B model gave in `coach eval` (2026-12-02): its brief read out in the third
# person, and the reminder of a regeneration read back.
BRIEF = (
    "What the other person is trying to achieve: Give Daniel clear feedback about the missed "
    "deadlines and agree one concrete change and a follow-up, without damaging the working "
    "relationship.\nWhat is on your mind:\n- The source system he depends on has become "
    "unstable, and he spends hours each week correcting errors by hand."
)


@pytest.mark.parametrize(
    "reply",
    [
        "To give Daniel clear feedback about the missed deadlines and agree one concrete change "
        "and a follow-up, without damaging the working relationship.",
        "The source system has become unstable, and he spends hours each week correcting "
        "errors by hand.",
    ],
)
def test_a_reply_reading_its_brief_out_is_caught(reply):
    assert reply_checks.briefing_read_back(reply, [BRIEF]) == ["instructions_read_back: brief"]
    context = ReplyContext("en", "persona", briefing=(BRIEF,))
    assert "instructions_read_back: brief" in check_reply(reply, context)


@pytest.mark.parametrize(
    "reply",
    [
        "Honestly, the source system keeps crashing and I fix the errors by hand every week.",
        "Ærligt talt går kildesystemet ned hele tiden, og jeg retter fejlene i hånden.",
    ],
)
def test_a_concern_told_in_own_words_is_not_a_read_back(reply):
    assert reply_checks.briefing_read_back(reply, [BRIEF]) == []


def test_the_reminder_read_back_is_caught():
    reminder = (
        "Note from the rehearsal app, not from the other person: your last draft stepped out "
        "of character (it repeated words already said). Write that reply again as Daniel "
        "only: short spoken sentences, no advice or praise for the other person's technique, "
        "no mention of AI or role-play."
    )
    reply = (
        "Short spoken sentences, no advice or praise for the other person's technique, no "
        "mention of AI or role-play."
    )
    assert instructions_read_back(reply, [reminder]) == ["instructions_read_back: note"]


@pytest.mark.parametrize(
    "reply",
    [
        "I'm sorry, but I can't assist with that.",  # the 0.5B model as the Reflect coach
        "Sorry, I cannot help with this request.",
        "Beklager, men jeg kan ikke hjælpe med det.",
        "Jeg kan desværre ikke hjælpe dig med den anmodning.",
    ],
)
def test_a_refusal_is_caught_for_every_speaker(reply):
    for speaker in ("persona", "audience", "coach", "hint"):
        problems = check_reply(
            reply, ReplyContext("da" if "j" in reply[:3].lower() else "en", speaker)
        )
        assert any(kind_of(p) == "refusal" for p in problems), (speaker, reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Sorry, but I can't help with the extract this week, the source system is down.",
        "Beklager, men jeg kan ikke nå udtrækket i denne uge.",
    ],
)
def test_a_colleague_saying_no_is_not_a_refusal(reply):
    assert reply_checks.refusal(reply) == []


# --- hints -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "DANIEL: I would try asking me about the data first.",
        "**Daniel:** I would try to stay calm.",
        "As Daniel, I would want you to ask about the extract.",
        "MORTEN: Jeg ville prøve at spørge til dataene.",
        "Som Morten, jeg ville gerne høres.",
    ],
)
def test_a_hint_in_the_counterpart_voice(reply):
    name = "Morten" if "orten" in reply.lower() else "Daniel Berg"
    assert hint_in_counterpart_voice(reply, name), reply


@pytest.mark.parametrize(
    ("reply", "name"),
    [
        ('Daniel sounds defensive. Try: "Daniel, what got in the way?"', "Daniel"),
        ("Coach: ask one open question about the data.", "Daniel"),
        ('Morten lyder presset. Prøv: "Morten, hvad stod i vejen?"', "Morten"),
    ],
)
def test_a_coach_hint_that_mentions_the_counterpart_is_fine(reply, name):
    assert hint_in_counterpart_voice(reply, name) == []


# --- loops while streaming --------------------------------------------------------------------


def test_a_loop_is_seen_as_soon_as_a_sentence_comes_a_third_time():
    sentence = "I just need the data on time. "
    assert not looping("Well. " + sentence * 2)
    assert looping("Well. " + sentence * 3)
    assert looping("Altså. " + "Jeg skal bare have dataene til tiden. " * 3)


def test_a_loop_without_full_stops_is_seen_too():
    assert looping("so " + "and the data was late again " * 3)
    assert not looping("and the data was late and then the report was late and so on")


def test_cut_loop_keeps_the_text_before_the_loop_and_the_sentence_once():
    text = "Well. " + "I just need the data on time. " * 5
    assert cut_loop(text) == "Well. I just need the data on time."
    assert cut_loop("Fine. Thanks.") == "Fine. Thanks."


def test_every_snapshot_of_a_normal_reply_passes_the_watch():
    reply = "Fine. The extract was late, again, and I told you why last week. What now?"
    assert not any(looping(reply[:i]) for i in range(1, len(reply) + 1))


# --- per speaker, score and choice -----------------------------------------------------------


def test_check_reply_runs_the_speakers_checks():
    persona = ReplyContext("en", "persona", user_text=USER_LINE)
    coach = ReplyContext("en", "coach", user_text=USER_LINE)
    voice = "Of course! I'm happy to help. What are the deadlines for the last three months?"
    assert kind_of(check_reply(voice, persona)[0]) == "assistant_voice"
    assert check_reply(voice, coach) == []  # the coach is allowed to be helpful
    assert [kind_of(p) for p in check_reply(f"DANIEL: {USER_LINE}", persona)] == ["echo"]
    assert check_reply("", persona) == ["empty"]
    assert check_reply("Fine. The extract was late.", persona) == []
    audience = ReplyContext("en", "audience")
    assert check_reply("Good summary, but where does the figure come from?", audience) == []
    assert check_reply("As an AI I have no view on this.", audience)


@pytest.mark.parametrize(
    ("reply", "lang", "kind"),
    [
        ("Of course! I'm happy to help. Here are some tips.", "en", "assistant_voice"),
        ("Jeg hjælper gerne. Her er nogle tips til dig.", "da", "assistant_voice"),
        ("As an AI I cannot really be your colleague.", "en", "ai_disclosure"),
        ("Lad os træde ud af rollen et øjeblik.", "da", "role_break"),
        ("Hvad har stået i vejen for rapporterne?", "en", "wrong_language"),
    ],
)
def test_the_stand_in_is_checked_in_its_own_voice(reply, lang, kind):
    stand_in = ReplyContext(lang, "stand_in", sentence_budget=3)
    assert kind in [kind_of(p) for p in check_reply(reply, stand_in)]


@pytest.mark.parametrize(
    ("reply", "lang"),
    [
        ("That was a good question. What would help you most?", "en"),
        ("You could try asking the data team earlier. What do you think?", "en"),
        ("Godt spurgt. Hvad ville hjælpe dig mest?", "da"),
    ],
)
def test_the_stand_in_may_coach_the_other_person(reply, lang):
    """Playing the practising side, praising and coaching the other person is its part."""
    assert check_reply(reply, ReplyContext(lang, "stand_in", sentence_budget=3)) == []


def test_the_better_attempt_is_kept():
    echoed = ("echo", ["echo: user"])
    long = ("long", ["too_long: 6 sentences"])
    assert choose(echoed, long) == long
    assert choose(long, echoed) == long
    assert choose(long, ("also long", ["too_long: 7 sentences"]))[0] == "long"  # a tie
    brief = ("brief", ["instructions_read_back: brief"])
    assert choose(brief, ("note", ["instructions_read_back: note"])) == brief
    assert choose(long, ("", ["empty"])) == long
    assert score([]) == 0 < score(["too_long: 5"]) < score(["echo: own"])


def test_context_from_turns_takes_the_last_user_line_and_own_replies():
    class T:
        def __init__(self, role, text):
            self.role, self.text, self.author = role, text, None

    turns = [T("assistant", OPENING), T("user", "First"), T("assistant", "Yes?"), T("user", "Hi")]
    context = reply_checks.context_from_turns(turns, "da", "persona", instructions=["", "n"])
    assert context.user_text == "Hi" and context.earlier == (OPENING, "Yes?")
    assert context.instructions == ("n",)


def test_tally_counts_before_and_after_per_kind():
    tally = Tally()
    tally.add(None)
    tally.add({"before": ["echo: user", "too_long: 5 sentences"], "after": []})
    tally.add({"before": ["echo: own"], "after": ["echo: own"]})
    assert tally.replies == 3 and tally.regenerated == 2
    assert tally.before == {"echo": 2, "too_long": 1} and tally.after == {"echo": 1}


def test_every_kind_has_a_reminder_name_in_both_languages():
    for kind in ("echo", "assistant_voice", "coaching_user", "too_long", "wrong_language"):
        for lang in ("en", "da"):
            assert reply_checks.describe([f"{kind}: x"], lang) != kind
