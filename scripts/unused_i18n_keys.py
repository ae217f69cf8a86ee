"""List the i18n keys defined in assistant/i18n/ that no code uses.

    python scripts/unused_i18n_keys.py        # prints one unused key a line; exit 1 if any

A key counts as used when it appears as a string literal in assistant/ (outside
assistant/i18n/), app.py or scripts/. Keys built at run time from a prefix and a name are listed in
``DYNAMIC`` below: such a key counts as used when its name (the rest of the key, with "_" or
"-") is itself a string literal in the code, or when its whole group is read (``WHOLE``).
A prefix the code builds keys from (an f-string or ``"prefix_" + name``) that is not listed
here is reported too, so a new dynamic key is listed on purpose, not silently missed.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# prefix -> where the keys are built (f"prefix{name}", "prefix" + name or strings_with_prefix).
DYNAMIC: dict[str, str] = {
    "analyse_error_": "analysis/transcript.py: refusal(code)",
    "analyse_error_language_": "analysis/transcript.py: refusal(f'language_{lang}')",
    "analyse_strategy_": "analysis/debrief.py: 'analyse_strategy_' + strategy",
    "chip_": "ui/turn_chips.py, turn_labels.py, ui/analyse_panel.py: a label's chip",
    "debrief_count_": "debrief/facts.py: strings_with_prefix",
    "debrief_fallback_say_": "debrief/facts.py: the fallback line per label",
    "debrief_fallback_try_": "debrief/facts.py: the fallback line per label",
    "debrief_form_": "debrief/writer.py: a section's form",
    "debrief_label_": "feedback.py: strings_with_prefix",
    "debrief_why_": "debrief/facts.py: strings_with_prefix",
    "demo_": "scripts/openness_demo.py: the scripted rehearsal's kind (blunt, skilful)",
    "difficulty_": "ui/mode_tab.py: difficulty_choices",
    "difficulty_name_": "modes/rehearse.py, modes/qa.py: the level in the prompt",
    "goal_status_": "ui/goals_tab.py: a goal's status",
    "history_col_": "ui/history_tab.py: the table's headers",
    "index_reason_": "ui/knowledge_tab.py: why the index is rebuilt",
    "kind_": "ui/knowledge_tab.py: KIND_KEYS",
    "label_": "ui/practice_tab.py, ui/analyse_panel.py, analyse_cli.py: a skill label",
    "measure_": "ui/practice_tab.py, ui/progress_tab.py: a listening measure",
    "mode_": "ui/render.py: mode_name",
    "model_check_": "debrief/facts.py: strings_with_prefix",
    "model_replies_": "debrief/facts.py: strings_with_prefix('model_replies')",
    "practice_tip_": "modes/practice.py: strings_with_prefix",
    "qa_audience_": "ui/qa_tab.py: audience_choices",
    "qa_audience_name_": "modes/qa.py: the audience's name",
    "qa_criterion_": "modes/qa.py: strings_with_prefix (the whole group)",
    "reflect_problem_": "reply_checks: strings_with_prefix(f'{mode}_problem_')",
    "reflect_stage_": "modes/reflect.py: STAGE_NAMES (the whole group)",
    "rehearse_problem_": "reply_checks: strings_with_prefix(f'{mode}_problem_')",
    "reply_check_": "reply_checks: strings_with_prefix",
    "variant_": "ui/reflect_tab.py: variant_choices",
}
# Groups read as a whole (every key of the prefix is shown), not one name at a time.
WHOLE = {"qa_criterion_", "reflect_stage_"}
# Keys read with the prefix "model_replies" and a name that starts with "_".
SPLIT_AT = {"model_replies_": "model_replies"}
# Prefixes the code builds that are not keys of their own (the tail of a DYNAMIC key).
NOT_KEYS = {"language_": "analysis/transcript.py: the tail of analyse_error_language_*"}

KEY_PREFIX = re.compile(r"[a-z][a-z0-9_]*_")


def code_files(root: Path = ROOT) -> list[Path]:
    """The files whose literals count: assistant/ outside assistant/i18n/, app.py, and
    scripts/ (the openness demo prints with the page's words)."""
    package = root / "assistant"
    found = [p for p in package.rglob("*.py") if (package / "i18n") not in p.parents]
    scripts = [p for p in (root / "scripts").glob("*.py") if p.name != Path(__file__).name]
    return sorted(found) + [root / "app.py"] + sorted(scripts)


def literals_and_prefixes(files: Iterable[Path]) -> tuple[set[str], set[str]]:
    """Every string literal in ``files``, and every key-like prefix keys are built from."""
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            head = None
            if isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                head = node.left
            text = head.value if isinstance(head, ast.Constant) else None
            if isinstance(text, str) and KEY_PREFIX.fullmatch(text):
                prefixes.add(text)
    return literals, prefixes


def _dynamic_use(key: str, literals: set[str]) -> bool | None:
    """Whether a key of a DYNAMIC group is used (None: the key is in no group)."""
    groups = [prefix for prefix in DYNAMIC if key.startswith(prefix)]
    if not groups:
        return None
    prefix = max(groups, key=len)
    if prefix in WHOLE:
        return True
    name = key[len(SPLIT_AT.get(prefix, prefix)) :]
    return name in literals or name.replace("_", "-") in literals


def unused_keys(defined: Iterable[str], root: Path = ROOT) -> list[str]:
    """The defined keys no code uses, in definition order."""
    literals, _ = literals_and_prefixes(code_files(root))
    return [key for key in defined if key not in literals and not _dynamic_use(key, literals)]


def unlisted_prefixes(defined: Iterable[str], root: Path = ROOT) -> list[str]:
    """Prefixes the code builds keys from that DYNAMIC does not list (and that name keys)."""
    _, prefixes = literals_and_prefixes(code_files(root))
    keys = list(defined)
    return sorted(
        prefix
        for prefix in prefixes - set(DYNAMIC) - set(NOT_KEYS)
        if any(key.startswith(prefix) and key != prefix for key in keys)
    )


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from assistant.i18n import PAIRS

    unused = unused_keys(PAIRS)
    for key in unused:
        print(key)  # noqa: T201
    for prefix in unlisted_prefixes(PAIRS):
        print(f"unlisted dynamic prefix: {prefix}", file=sys.stderr)  # noqa: T201
    return 1 if unused or unlisted_prefixes(PAIRS) else 0


if __name__ == "__main__":
    raise SystemExit(main())
