"""The listening-skills classifier: splitting, labels, counts, MITI levels, guards, accuracy."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assistant.skills import (
    COARSE_LABELS,
    LABELS,
    SkillCounts,
    Unit,
    advice_requested,
    check_coach_reply,
    classify,
    classify_unit,
    coarse_label,
    count_skills,
    count_units,
    count_words,
    detect_lang,
    out_of_role,
    score_labels,
    split_units,
    verdict,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def load(name: str) -> list[tuple[str, str]]:
    """Rows of a labelled TSV (text<TAB>label, with a header)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "text\tlabel"
    return [(text, label) for text, label in (line.split("\t") for line in lines[1:] if line)]


# --- splitting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("What happened? How did you feel!", ["What happened?", "How did you feel!"]),
        (
            "So you've been busy. What happened next?",
            ["So you've been busy.", "What happened next?"],
        ),
        (
            "So you've been busy, right? Tell me more.",
            ["So you've been busy, right?", "Tell me more."],
        ),
        ("You've been busy. Right?", ["You've been busy. Right?"]),
        ("Du har haft travlt. Ikke?", ["Du har haft travlt. Ikke?"]),
        ("You've been busy. Is that right?", ["You've been busy.", "Is that right?"]),
        ("Try a small step, e.g. one email a day.", ["Try a small step, e.g. one email a day."]),
        (
            "Du kan fx skrive til ham. Eller f.eks. ringe.",
            ["Du kan fx skrive til ham.", "Eller f.eks. ringe."],
        ),
        (
            "Vi har bl.a. talt om tid, dvs. din kalender.",
            ["Vi har bl.a. talt om tid, dvs. din kalender."],
        ),
        ("first line\nsecond line", ["first line", "second line"]),
        ("So... you're not sure.", ["So... you're not sure."]),
        ("Okay... What now?", ["Okay...", "What now?"]),
        ('You said "no." Then what?', ['You said "no."', "Then what?"]),
        ("", []),
        ("  ...  \n ?! ", []),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert split_units(text) == units


def test_every_labelled_row_is_one_unit() -> None:
    for name in (
        "skills_labelled.en.tsv",
        "skills_labelled.da.tsv",
        "skills_heldout.en.tsv",
        "skills_heldout.da.tsv",
    ):
        for text, _ in load(name):
            assert split_units(text) == [text], (name, text)


def test_classify_numbers_lines_from_first_line() -> None:
    units = classify("Hi. What brings you here?\nTell me more.", "en", first_line=7)
    assert units == [
        Unit("Hi.", "other", 7),
        Unit("What brings you here?", "open_question", 7),
        Unit("Tell me more.", "open_question", 8),
    ]
    assert units[0].to_dict() == {"line": 7, "text": "Hi.", "label": "other"}


# --- labels (sentences that are in neither labelled file) --------------------------------------

EXAMPLES = {
    "open_question": [
        ("en", "What's the hardest part for you?"),
        ("en", "How come you decided to leave?"),
        ("en", "Would you tell me what went through your mind?"),
        ("en", "Say a bit more about the conflict."),
        ("en", "If you had a magic wand, what would you do?"),
        ("da", "Hvad er det sværeste for dig?"),
        ("da", "Vil du fortælle, hvad der gik gennem dit hoved?"),
        ("da", "Sig lidt mere om konflikten."),
        ("da", "Hjælp mig med at forstå, hvad du mener."),
        ("da", "Hvis du havde en tryllestav, hvad ville du så gøre?"),
    ],
    "closed_question": [
        ("en", "Did that help?"),
        ("en", "Is he your direct manager?"),
        ("en", "How old is the system?"),
        ("en", "Could you picture yourself in that role?"),
        ("da", "Hjalp det?"),
        ("da", "Er han din nærmeste leder?"),
        ("da", "Hvornår skal du præsentere?"),
        ("da", "Kunne du forestille dig at have den rolle?"),
    ],
    "reflection_simple": [
        ("en", "So the client cancelled."),
        ("en", "You're the only one on the team who knows the system."),
        ("en", "you've tried that before"),
        ("da", "Så kunden aflyste."),
        ("da", "Du er den eneste i teamet, der kender systemet."),
        ("da", "Du fortalte ham det i mandags."),
    ],
    "reflection_complex": [
        ("en", "You felt ignored."),
        ("en", "It's been a really tough month for you."),
        ("en", "It's like you're running a race with no finish line."),
        ("da", "Du følte dig ignoreret."),
        ("da", "Du står i klemme."),
        ("da", "Du vil ikke svigte dem, og du har også brug for at beskytte dine aftener."),
    ],
    "advice": [
        ("en", "Just tell him no."),
        ("en", "Why not take Friday off?"),
        ("en", "It's probably best to wait until Monday."),
        ("en", "I'd go to your manager with this."),
        ("da", "Bare sig nej til ham."),
        ("da", "Hvorfor ikke holde fri på fredag?"),
        ("da", "Ærligt talt burde du bare sige op."),
        ("da", "Det er nok bedst at vente til mandag."),
    ],
    "affirmation": [
        ("en", "You showed real leadership there."),
        ("en", "You kept your cool under a lot of pressure."),
        ("en", "You've been very patient with him."),
        ("da", "Du viste ægte lederskab der."),
        ("da", "Du holdt hovedet koldt under stort pres."),
        ("da", "Du har været meget tålmodig med ham."),
    ],
    "other": [
        ("en", "Hmm."),
        ("en", "Give me a second."),
        ("en", "I'll send you the notes afterwards."),
        ("da", "Hmm."),
        ("da", "Giv mig et øjeblik."),
        ("da", "Jeg sender dig noterne bagefter."),
    ],
}


@pytest.mark.parametrize(
    ("label", "lang", "text"),
    [(label, lang, text) for label, items in EXAMPLES.items() for lang, text in items],
)
def test_label_examples(label: str, lang: str, text: str) -> None:
    assert classify_unit(text, lang) == label


def test_examples_cover_every_label_in_both_languages() -> None:
    for label in LABELS:
        assert {lang for lang, _ in EXAMPLES[label]} == {"en", "da"}


@pytest.mark.parametrize(
    ("lang", "text", "label"),
    [
        ("en", "Can you tell me more?", "open_question"),  # an open request phrased as yes/no
        ("en", "Have you considered talking to your manager?", "advice"),
        ("en", "Have you considered other options?", "closed_question"),  # no concrete option
        ("en", "What do you think you should do?", "open_question"),  # "should" inside a question
        ("en", "Why don't you ask her?", "advice"),
        ("en", "Why didn't you ask her?", "open_question"),
        ("en", "So you've been busy, right?", "reflection_simple"),
        ("en", "So you feel stuck?", "reflection_complex"),  # a reflection with a rising tone
        ("en", "You should be proud of that.", "affirmation"),
        ("en", "What about the budget?", "open_question"),
        ("en", "What about talking to her first?", "advice"),
        ("da", "Kan du fortælle mere om det?", "open_question"),
        ("da", "Har du overvejet at tale med din leder?", "advice"),
        ("da", "Du kunne prøve at sige nej.", "advice"),
        ("da", "Det lyder som om du er frustreret over møderne.", "reflection_complex"),
        ("da", "Så du har haft travlt.", "reflection_simple"),
        ("da", "Det er modigt af dig at sige det.", "affirmation"),
        ("da", "Okay.", "other"),
        ("da", "Hvorfor gjorde du det?", "open_question"),
        ("da", "Hvorfor spørger du hende ikke?", "advice"),
        ("da", "Hvad med at tale med hende?", "advice"),
        ("da", "Hvad med dig?", "open_question"),
        ("da", "Tag dig god tid.", "other"),
    ],
)
def test_hard_cases(lang: str, text: str, label: str) -> None:
    assert classify_unit(text, lang) == label


def test_assist_is_asked_only_about_units_the_rules_are_unsure_of() -> None:
    asked: list[str] = []

    def assist(text: str, lang: str) -> str | None:
        asked.append(text)
        return "open_question"

    units = classify("What happened? Anything else?", "en", assist=assist)
    assert asked == ["Anything else?"]
    assert [u.label for u in units] == ["open_question", "open_question"]
    assert classify("Anything else?", "en")[0].label == "closed_question"  # off by default


def test_assist_answer_that_is_not_a_label_is_ignored() -> None:
    units = classify("Anything else?", "en", assist=lambda text, lang: "maybe a question")
    assert units[0].label == "closed_question"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hvad tænker du om det?", "da"),
        ("Det lyder svært.", "da"),
        ("What do you think about it?", "en"),
        ("It sounds hard.", "en"),
        ("Så på mødet blev det sagt", "da"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_detect_lang_falls_back_to_default_on_no_signal() -> None:
    assert detect_lang("Okay.") == "en"
    assert detect_lang("Okay.", default="da") == "da"


# --- counts and ratios -------------------------------------------------------------------------


def test_count_skills_counts_units_not_lines() -> None:
    counts = count_skills(
        ["So you've been busy. What happened?", "It sounds like you're exhausted.", "Did it help?"],
        "en",
    )
    assert counts.open_question == 1
    assert counts.closed_question == 1
    assert counts.reflection_simple == 1
    assert counts.reflection_complex == 1
    assert counts.units == 4
    assert counts.questions == 2 and counts.reflections == 2
    assert counts.percent_open_questions == 50
    assert counts.reflection_to_question_ratio == 1
    assert counts.percent_complex_reflections == 50
    assert counts.coach_words == count_words(
        "So you've been busy. What happened? It sounds like you're exhausted. Did it help?"
    )


def test_zero_questions_do_not_divide_by_zero() -> None:
    counts = count_skills(["So you've been busy.", "Du er bekymret."], "en")
    assert counts.questions == 0
    assert counts.percent_open_questions is None
    assert counts.reflection_to_question_ratio is None
    assert counts.miti_level()["reflection_to_question_ratio"] == "good"  # unbounded ratio
    assert "no questions" in verdict(counts, "en")


def test_empty_session() -> None:
    counts = count_skills([], "en")
    assert counts.units == 0
    assert counts.percent_open_questions is None
    assert counts.reflection_to_question_ratio is None
    assert counts.percent_complex_reflections is None
    assert counts.talk_share is None
    assert counts.miti_level() == {
        "reflection_to_question_ratio": None,
        "percent_complex_reflections": None,
    }
    assert verdict(counts, "en") == "No coach utterances to assess yet."
    assert verdict(counts, "da").startswith("Der er endnu ingen")
    assert count_skills(["", "   "], "da").units == 0


def test_talk_share() -> None:
    assert count_skills(["one two three"], "en").talk_share is None  # other party unknown
    assert count_skills(["one two three"], "en", other_party_words=9).talk_share == 0.25
    assert count_skills(["one two three"], "en", other_party_words=0).talk_share == 1.0
    assert count_skills([], "en", other_party_words=0).talk_share is None


def test_requested_advice_is_counted_apart_from_unasked_advice() -> None:
    counts = count_skills(
        ["You should talk to her.", "You could try a list."], "en", advice_requested=[True, False]
    )
    assert counts.requested_advice == 1
    assert counts.advice == 1
    assert counts.units == 2
    units = [Unit("Talk to her.", "advice", 3)]
    assert count_units(units, advice_requested_lines={3}).requested_advice == 1


def test_to_dict_shape() -> None:
    data = count_skills(["What happened?"], "en", other_party_words=2).to_dict()
    assert set(data) == {"counts", "metrics", "miti"}
    assert list(data["counts"]) == [*LABELS, "requested_advice"]
    assert data["metrics"]["talk_share"] == 0.5
    assert data["metrics"]["reflection_to_question_ratio"] == 0.0


# --- MITI levels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reflections", "questions", "level"),
    [
        (99, 100, "below fair"),
        (100, 100, "fair"),
        (3, 2, "fair"),
        (199, 100, "fair"),
        (2, 1, "good"),
        (5, 1, "good"),
        (0, 3, "below fair"),
    ],
)
def test_reflection_to_question_levels(reflections: int, questions: int, level: str) -> None:
    counts = SkillCounts(reflection_simple=reflections, open_question=questions)
    assert counts.miti_level()["reflection_to_question_ratio"] == level


@pytest.mark.parametrize(
    ("complex_", "simple", "level"),
    [
        (39, 61, "below fair"),
        (2, 3, "fair"),  # exactly 40 %
        (49, 51, "fair"),
        (1, 1, "good"),  # exactly 50 %
        (3, 1, "good"),
        (0, 4, "below fair"),
    ],
)
def test_complex_reflection_levels(complex_: int, simple: int, level: str) -> None:
    counts = SkillCounts(reflection_complex=complex_, reflection_simple=simple)
    assert counts.miti_level()["percent_complex_reflections"] == level


def test_verdict_says_plainly_where_the_coach_stands() -> None:
    counts = SkillCounts(
        open_question=4,
        closed_question=1,
        reflection_simple=2,
        reflection_complex=1,
        advice=2,
        coach_words=60,
        other_party_words=40,
    )
    en = verdict(counts, "en")
    assert "reflection-to-question ratio is 0.6:1 — below the MITI 'fair' level" in en
    assert "33% of your reflections were complex — below the MITI 'fair' level" in en
    assert "80% of your questions were open" in en
    assert "2 times" in en
    assert "You spoke 60% of the words" in en
    da = verdict(counts, "da")
    assert "0,6:1 — under MITI-niveauet 'rimeligt'" in da
    assert "33 % af dine refleksioner var komplekse" in da
    assert "Du sagde 60 % af ordene" in da
    good = verdict(SkillCounts(open_question=1, reflection_complex=2), "en")
    assert "2:1 — at the MITI 'good' level" in good
    assert "100% of your reflections were complex — at the MITI 'good' level" in good


# --- guards ------------------------------------------------------------------------------------


def test_check_coach_reply_flags() -> None:
    result = check_coach_reply("You should talk to her. What do you think?", "en", False)
    assert result.flags == ["unasked_advice"]
    assert not result.ok
    assert check_coach_reply("You should talk to her.", "en", True).ok
    assert check_coach_reply("What happened? And how did you feel?", "en", False).flags == [
        "stacked_questions"
    ]
    assert check_coach_reply("Did you tell her?", "en", False).flags == ["closed_only"]
    assert check_coach_reply("Har du talt med ham? Var det svært?", "da", False).flags == [
        "stacked_questions",
        "closed_only",
    ]
    assert check_coach_reply("Det lyder svært. Hvad har du brug for nu?", "da", False).ok
    # A tag question is a reflection, not a second question.
    assert check_coach_reply("So it was hard, right? What helped?", "en", False).ok
    assert check_coach_reply("Har du overvejet at sige nej?", "da", False).flags == [
        "unasked_advice"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "What should I do?",
        "Any tips for the meeting?",
        "What would you do in my place?",
        "Can you give me some advice?",
        "Should I tell her?",
        "Hvad skal jeg gøre?",
        "Har du et råd?",
        "Hvad ville du gøre?",
        "Har du nogle gode råd til mig?",
        "Hvad foreslår du?",
        "Jeg kunne godt bruge et råd.",
    ],
)
def test_advice_requested(text: str) -> None:
    assert advice_requested(text, detect_lang(text))


@pytest.mark.parametrize(
    "text",
    [
        "I told her what I think.",
        "I don't need advice, I just want to think out loud.",
        "My manager gave me some feedback.",
        "Jeg har ikke brug for råd.",
        "Jeg ved ikke, hvad hun vil.",
    ],
)
def test_advice_not_requested(text: str) -> None:
    assert not advice_requested(text, detect_lang(text))


def test_out_of_role() -> None:
    reasons = out_of_role("As an AI, I can't feel offended. Great question, by the way!", "en")
    assert reasons == ["ai_disclosure: as an ai", "technique_feedback: great question"]
    assert out_of_role("Som en sprogmodel har jeg ingen mening.", "da") == [
        "ai_disclosure: som en sprogmodel"
    ]
    assert out_of_role("I'm a language model.", "en")[0].startswith("ai_disclosure")
    assert out_of_role("Godt spurgt!", "da") == ["technique_feedback: godt spurgt"]
    assert out_of_role("Good use of open questions there.", "en") == [
        "technique_feedback: good use of",
        "technique_feedback: open questions",
    ]
    assert out_of_role("You should try asking more about my side.", "en") == [
        "technique_feedback: you should try asking"
    ]
    assert out_of_role("Som din coach vil jeg sige ...", "da") == ["role_break: som din coach"]


@pytest.mark.parametrize(
    "text",
    [
        "Honestly, I think you're overreacting about the deadline.",
        "Du har ret, men jeg synes stadig, det var unfair.",
        "Fine. What do you want from me?",
        "You should try the new canteen sometime.",
    ],
)
def test_in_role_replies_pass(text: str) -> None:
    assert out_of_role(text, detect_lang(text)) == []


# --- accuracy on the labelled sets -------------------------------------------------------------

# Measured macro-F1, rounded down to 0.02 (fine = 7 labels, coarse = 6).
FLOORS = {
    ("skills_labelled", "en"): {"fine": 1.00, "coarse": 1.00},
    ("skills_labelled", "da"): {"fine": 1.00, "coarse": 1.00},
    ("skills_heldout", "en"): {"fine": 0.96, "coarse": 0.96},
    ("skills_heldout", "da"): {"fine": 0.98, "coarse": 0.98},
}


@pytest.mark.parametrize(("name", "lang"), list(FLOORS))
def test_macro_f1_floor(name: str, lang: str) -> None:
    rows = load(f"{name}.{lang}.tsv")
    gold = [label for _, label in rows]
    predicted = [classify_unit(text, lang) for text, _ in rows]
    fine = score_labels(gold, predicted)
    coarse = score_labels([coarse_label(g) for g in gold], [coarse_label(p) for p in predicted])
    assert fine.macro_f1 >= FLOORS[(name, lang)]["fine"] - 1e-9, fine.per_label
    assert coarse.macro_f1 >= FLOORS[(name, lang)]["coarse"] - 1e-9, coarse.per_label
    assert coarse.macro_f1 >= 0.85


@pytest.mark.parametrize("lang", ["en", "da"])
def test_labelled_sets_are_large_and_cover_every_label(lang: str) -> None:
    labelled = load(f"skills_labelled.{lang}.tsv")
    heldout = load(f"skills_heldout.{lang}.tsv")
    assert len(labelled) >= 160
    assert math.isclose(len(heldout) / (len(labelled) + len(heldout)), 0.25, abs_tol=0.03)
    for label in LABELS:
        assert sum(gold == label for _, gold in labelled) >= 15, label
        assert sum(gold == label for _, gold in heldout) >= 5, label
    overlap = {t for t, _ in labelled} & {t for t, _ in heldout}
    assert overlap <= {"Okay."}  # a backchannel the brief asks for in the labelled set


def test_score_labels() -> None:
    scores = score_labels(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert scores.per_label["a"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2.0}
    assert scores.per_label["b"]["precision"] == pytest.approx(2 / 3)
    assert scores.macro_f1 == pytest.approx(((2 / 3) + 0.8) / 2)
    assert scores.accuracy == 0.75
    assert set(COARSE_LABELS) == {coarse_label(label) for label in LABELS}
