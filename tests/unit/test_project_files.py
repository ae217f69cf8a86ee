"""The README's two commands stay true: CI runs exactly the README's test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_command(label: str) -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {label} -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert match, f"README has no {label} block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    command = readme_command("test-command")
    assert "\n" not in command, "the test command must be one line"
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert command in ci_lines


def test_ci_installs_like_the_readme():
    install = readme_command("install-command")
    assert "\n" not in install
    ci = (ROOT / ".ci/run").read_text()
    assert "pip install" in install and '-e ".[dev]"' in install
    assert '-e ".[dev]"' in ci and "apt-get install" in ci and "chromium" in ci


def test_no_telemetry_and_local_binding_by_default():
    ui_init = (ROOT / "assistant/ui/__init__.py").read_text()
    assert 'GRADIO_ANALYTICS_ENABLED", "False"' in ui_init
    assert "share=False" in ui_init
