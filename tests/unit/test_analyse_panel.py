"""The analysis section's HTML: your lines with their chips, feedback moves named, and the
conversation's words kept as text (a transcript may hold markup)."""

from __future__ import annotations

from assistant.analysis import analyse_conversation, conversation_debrief, parse_transcript
from assistant.ui.analyse_panel import debrief_html, label_name, lines_html

SCRIPT = '<img src=x onerror="alert(1)">'


def test_lines_show_your_chips_and_keep_markup_as_text():
    text = f"Anna: What matters most to you here? {SCRIPT}\nBen: <b>Time</b>, mostly."
    analysis = analyse_conversation(
        parse_transcript(text, "en", 8000), "Anna", lambda line, lang: ["check_understanding"]
    )
    shown = lines_html(analysis, "en")
    assert "<img" not in shown and "<b>Time" not in shown
    assert "&lt;img src=x" in shown and "&lt;b&gt;Time&lt;/b&gt;" in shown
    assert shown.count('class="analyse-line analyse-mine"') == 1
    assert ">Open questions</span>" in shown
    # A feedback move is named by the live labels' strings, in the page's language.
    assert ">checks understanding</span>" in shown
    danish = lines_html(analysis, "da")
    assert ">Åbne spørgsmål</span>" in danish and ">tjekker forståelse</span>" in danish


def test_an_unknown_label_is_named_from_its_words():
    assert label_name("made_up_move", "en") == "made up move"


def test_label_names_follow_the_language():
    assert label_name("requested_advice", "en") == "Advice (asked for)"
    assert label_name("requested_advice", "da") == "Råd (efterspurgt)"


def test_the_debrief_quotes_and_names_the_strategy_in_both_languages():
    text = "Kim: I am stuck with the rota.\nLea: You should just ask HR.\nKim: Hm, maybe."
    debrief = conversation_debrief(analyse_conversation(parse_transcript(text, "en", 8000), "Lea"))
    shown = debrief_html(debrief, "en")
    assert "“You should just ask HR.”" in shown
    assert "Focus on questions, not just advice (strategies/questions-not-advice)" in shown
    assert "Til næste gang" in debrief_html(debrief, "da")
