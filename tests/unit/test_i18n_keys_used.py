"""Every i18n key is used by the code (scripts/unused_i18n_keys.py), and the script finds an
unused key, a key built from a listed prefix and a prefix nobody listed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from assistant.i18n import PAIRS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "unused_i18n_keys.py"
spec = importlib.util.spec_from_file_location("unused_i18n_keys", SCRIPT)
assert spec is not None and spec.loader is not None
unused_i18n_keys = importlib.util.module_from_spec(spec)
spec.loader.exec_module(unused_i18n_keys)


def test_every_defined_key_is_used() -> None:
    assert unused_i18n_keys.unused_keys(PAIRS) == []


def test_every_prefix_keys_are_built_from_is_listed() -> None:
    assert unused_i18n_keys.unlisted_prefixes(PAIRS) == []


def fake_project(root: Path, code: str) -> Path:
    (root / "assistant" / "i18n").mkdir(parents=True)
    (root / "assistant" / "i18n" / "strings.py").write_text('PAIRS = {"dead_key": ("a", "b")}\n')
    (root / "assistant" / "tab.py").write_text(code)
    (root / "app.py").write_text('TITLE = "app_title"\n')
    return root


def test_the_script_tells_used_from_unused_keys(tmp_path) -> None:
    code = (
        'BUTTON = "send"\n'
        'def level(name):\n    return f"difficulty_{name}"\n'
        'LEVELS = ("realistic", "after-event")\n'
        'def other(name):\n    return "zzz_" + name\n'
    )
    root = fake_project(tmp_path, code)
    defined = [
        "send",  # a literal in assistant/
        "app_title",  # a literal in app.py
        "dead_key",  # only defined (its own i18n file does not count)
        "difficulty_realistic",  # a listed prefix, its name a literal
        "difficulty_after_event",  # ... with "-" in the code
        "difficulty_gone",  # a listed prefix, no such name
        "zzz_thing",  # built from a prefix nobody listed
    ]
    unused = unused_i18n_keys.unused_keys(defined, root)
    assert unused == ["dead_key", "difficulty_gone", "zzz_thing"]
    assert unused_i18n_keys.unlisted_prefixes(defined, root) == ["zzz_"]
