"""The Plan tab in headless Chromium: generate a plan (offline, then tailored by the Ollama
double), see its stages, download it as Markdown and copy it."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from assistant.planner import build_plan, load_question_bank
from tests.e2e.conftest import ROOT, screenshot

TOPIC = "Giving feedback to Sam, who keeps missing deadlines"


def test_plan_is_generated_tailored_and_downloaded_as_markdown(
    running_app, double, page, monkeypatch
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=running_app.url)
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Plan").click()
    page.locator("#plan-topic textarea").fill(TOPIC)
    page.locator("#plan-minutes").get_by_label("15 min").check()

    # Without the model: the question bank alone, and no request to Ollama.
    page.locator("#plan-use-model").get_by_role("checkbox").uncheck()
    page.locator("#plan-generate").click()
    expect(page.locator("#plan-source")).to_contain_text("without a model")
    expect(page.locator("#plan-output")).to_contain_text("Action plan (2 min)")
    # (Warm-ups may have read the tailoring prompt meanwhile; none asked for an answer.)
    assert [r for r in double.requests_for("/api/chat") if r.body.get("format")] == []

    # With the model: the double answers with every question rephrased (by number). As the
    # answer to a JSON request only, so a warm-up (no format) can never take it.
    plan = build_plan(TOPIC, "en", "peers", 15, load_question_bank(ROOT / "knowledge"))
    answer = {str(n): f"For Sam: {q.text}" for n, q in enumerate(plan.questions, start=1)}
    monkeypatch.setattr(double, "format_reply", lambda messages, fmt: json.dumps(answer))
    page.locator("#plan-use-model").get_by_role("checkbox").check()
    page.locator("#plan-generate").click()
    expect(page.locator("#plan-source")).to_contain_text("Tailored to your topic by the model")
    output = page.locator("#plan-output")
    for stage in plan.stages:
        expect(output).to_contain_text(f"{stage.name} ({stage.minutes} min)")
    expect(output).to_contain_text(f"For Sam: {plan.questions[0].text}")
    expect(output).to_contain_text("missed-deadlines")
    (request,) = [r for r in double.requests_for("/api/chat") if r.body.get("format")]
    assert isinstance(request.body["format"], dict)
    screenshot(page, "plan-tab")

    download_btn = page.locator("#plan-download")
    expect(download_btn).to_be_enabled()
    with page.expect_download() as info:
        download_btn.click()
    download = info.value
    assert download.suggested_filename.startswith("session-plan-giving-feedback-to-sam")
    assert download.suggested_filename.endswith(".md")
    markdown = Path(download.path()).read_text(encoding="utf-8")
    assert markdown.startswith(f"# Session plan: {TOPIC}\n")
    assert "## 7. Action plan (2 min)" in markdown
    for question in plan.questions:
        assert f"For Sam: {question.text} *[{question.stage} · {question.strategy}]*" in markdown
    assert "tailored to the topic by gemma3:4b" in markdown

    page.locator("#plan-copy").click()
    expect(page.locator("#plan-copy")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").strip() == markdown.strip()
