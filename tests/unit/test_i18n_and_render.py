from assistant.store import Turn
from assistant.ui.i18n import STRINGS, t
from assistant.ui.render import (
    banner_html,
    chat_messages,
    human_bytes,
    progress_html,
    unsaved_text,
    user_lines,
)


def test_every_string_exists_in_both_languages():
    assert set(STRINGS["en"]) == set(STRINGS["da"])
    for lang, table in STRINGS.items():
        for key, value in table.items():
            assert value.strip(), f"{lang}:{key} is empty"


def test_placeholders_match_between_languages():
    import string

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key in STRINGS["en"]:
        assert fields(STRINGS["en"][key]) == fields(STRINGS["da"][key]), key


def test_interrupted_reply_is_marked_in_the_chat():
    turns = [
        Turn(1, 1, "user", "hi", "complete", "t"),
        Turn(2, 1, "assistant", "So what", "interrupted", "t"),
        Turn(3, 1, "assistant", "", "interrupted", "t"),
    ]
    messages = chat_messages(turns, "da")
    assert messages[0] == {"role": "user", "content": "hi"}
    assert messages[1]["content"].startswith("So what")
    assert t("da", "interrupted") in messages[1]["content"]
    assert t("da", "interrupted") in messages[2]["content"]


def test_banner_escapes_html_and_renders_code():
    html = banner_html("Run `ollama serve` <now>", "error")
    assert "<code>ollama serve</code>" in html and "&lt;now&gt;" in html


def test_progress_bar_shows_percent_and_bytes():
    html = progress_html("pulling: 1.5 GB of 3.0 GB (50%)", 0.5)
    assert 'value="50"' in html and "1.5 GB of 3.0 GB" in html
    assert human_bytes(3_300_000_000) == "3.3 GB"
    assert human_bytes(512) == "512 B"


def test_unsaved_text_goes_back_in_the_box_only_when_it_was_not_stored(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="s")
    before = user_lines(store.turns(session.id))
    assert unsaved_text("Hello", before, store.turns(session.id)) == "Hello"
    store.add_turn(session.id, "user", "Hello")
    assert unsaved_text("Hello", before, store.turns(session.id)) is None
    assert unsaved_text("", before, []) is None
