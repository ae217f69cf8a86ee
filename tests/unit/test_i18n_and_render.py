import ast
import string
from pathlib import Path

from assistant.i18n import AREAS, LANGUAGES, PAIRS, lang_code
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

ROOT = Path(__file__).resolve().parents[2]


def fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_both_languages():
    assert set(STRINGS["en"]) == set(STRINGS["da"]) == set(PAIRS)
    for area, pairs in AREAS.items():
        for key, pair in pairs.items():
            assert isinstance(pair, tuple) and len(pair) == 2, f"{area}:{key}"
            for lang, value in zip(LANGUAGES, pair, strict=True):
                assert isinstance(value, str) and value.strip(), f"{area}:{key}:{lang} is empty"


def test_placeholders_match_between_languages():
    for key, (en, da) in PAIRS.items():
        assert fields(en) == fields(da), key


def test_no_key_is_defined_in_two_areas():
    seen: dict[str, str] = {}
    for area, pairs in AREAS.items():
        for key in pairs:
            assert key not in seen, f"{key} is in both {seen[key]} and {area}"
            seen[key] = area


LABELS_METHODS = {
    "button",
    "markdown",
    "labelled",
    "text",
    "tab",
    "accordion",
    "textbox",
    "radio",
    "dropdown",
    "chatbot",
}
LABELS_KEYWORDS = {"placeholder", "info"}


def static_key(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keys_used(path: Path) -> set[str]:
    """The static keys a module passes to t(lang, "key") and to Labels (labels.button("key"),
    labels.labelled(gr.File, "key", placeholder="key"), ...)."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        on_labels = isinstance(owner, ast.Attribute | ast.Name) and (
            getattr(owner, "attr", None) == "labels" or getattr(owner, "id", None) == "labels"
        )
        found: list[str | None] = []
        if name == "t" and len(node.args) >= 2:
            found.append(static_key(node.args[1]))
        elif on_labels and name in LABELS_METHODS and node.args:
            first = 1 if name in ("labelled", "text") else 0
            if len(node.args) > first:
                found.append(static_key(node.args[first]))
            found.extend(static_key(k.value) for k in node.keywords if k.arg in LABELS_KEYWORDS)
        keys.update(key for key in found if key)
    return keys


def test_every_key_used_with_t_exists():
    """Every static key passed to t(lang, "key"), i18n.t(lang, "key") or a Labels method in
    assistant/."""
    used: set[tuple[str, str]] = set()
    for path in (ROOT / "assistant").rglob("*.py"):
        used.update((str(path.relative_to(ROOT)), key) for key in keys_used(path))
    assert len(used) > 200  # the walk found the page's calls
    missing = sorted(f"{path}: {key}" for path, key in used if key not in PAIRS)
    assert not missing, missing


def test_t_falls_back_to_english_and_formats_only_with_values():
    assert t("xx", "title") == t("en", "title")
    assert t("da", "builder_own", title="A") == "A · din"
    assert "{title}" in t("da", "builder_own")
    assert lang_code("da") == "da" and lang_code("de") == "en"


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


def test_a_reply_that_failed_before_its_first_word_is_not_shown_twice():
    turns = [
        Turn(1, 1, "user", "hi", "complete", "t"),
        Turn(2, 1, "assistant", "", "interrupted", "t", error="ollama_unreachable"),
    ]
    # The user's words stay; the failure is said once, in the notice under the chat.
    assert chat_messages(turns, "en") == [{"role": "user", "content": "hi"}]


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


def test_chat_text_shows_html_and_images_as_text():
    from assistant.ui.render import chat_messages, inert

    attack = '<img src="https://evil.test/x.png"> ![pixel](https://evil.test/p.png) **bold**'
    shown = inert(attack)
    assert "<img" not in shown and "&lt;img" in shown
    assert "![" not in shown  # a Markdown image is text, not a fetch
    assert "**bold**" in shown  # emphasis still renders
    turns = [
        Turn(1, 1, "user", attack, "complete", ""),
        Turn(2, 1, "assistant", "![x](https://evil.test/r.png)", "complete", ""),
    ]
    assert all(
        "<img" not in m["content"] and "![" not in m["content"] for m in chat_messages(turns, "en")
    )
