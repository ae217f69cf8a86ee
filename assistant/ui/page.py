"""The page shell: header with the language switch, Ollama status, session list and the tabs.

Handlers are thin: they translate UI events into calls on ``assistant`` and render the result.
Per-browser state (the open session) lives in ``gr.State`` and SQLite, never on shared objects.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.modes import ModeSpec
from assistant.services import Services
from assistant.ui.context import PageContext
from assistant.ui.goals_tab import build_goals_tab
from assistant.ui.history_tab import build_history_tab
from assistant.ui.i18n import LANGUAGE_CHOICES, t
from assistant.ui.knowledge_tab import build_knowledge_tab
from assistant.ui.mode_tab import ModeTab, PageShell, resume_in_tab, toggle_inputs
from assistant.ui.plan_tab import build_plan_tab
from assistant.ui.progress_tab import build_progress_tab
from assistant.ui.relabel import Relabeler
from assistant.ui.render import mode_name, notice_html
from assistant.ui.status import (
    banner_for,
    build_head_warm_up,
    build_warm_up_notice,
    pull_steps,
    recheck_interval,
    watch_phase,
)
from assistant.ui.user_files import UserFiles

CSS = """
#status-banner { padding: 10px 14px; border-radius: 8px; font-size: 0.95rem; }
#status-row { align-items: center; }
.coach-banner-ok { background: #ecfdf3; color: #05603a; border: 1px solid #abefc6; }
.coach-banner-warn { background: #fffaeb; color: #93370d; border: 1px solid #fedf89; }
.coach-banner-error { background: #fef3f2; color: #912018; border: 1px solid #fecdca; }
.coach-notice { padding: 8px 12px; border-radius: 8px; margin-top: 4px; }
.coach-notice-error { background: #fef3f2; color: #912018; }
.coach-notice-info { background: #eff8ff; color: #175cd3; }
.coach-progress { display: flex; gap: 12px; align-items: center; }
.coach-progress progress { flex: 1; height: 14px; }
#header h1 { margin-bottom: 0; }
#session-list { max-height: 60vh; overflow-y: auto; }
.skill-chip { display: inline-block; padding: 2px 8px; margin: 2px; border-radius: 999px;
  background: #eef2f6; font-size: 0.85rem; }
.skill-open_question, .skill-reflection_simple, .skill-reflection_complex,
.skill-affirmation { background: #ecfdf3; color: #05603a; }
.skill-closed_question, .skill-advice { background: #fffaeb; color: #93370d; }
.skill-tip { margin-top: 4px; color: #475467; font-size: 0.9rem; }
.skill-table td { padding: 4px 10px; border-bottom: 1px solid #eaecf0; }
.skill-table td.num { text-align: right; font-weight: 600; }
.turn-chips { margin-top: 4px; }
.turn-chip { display: inline-block; padding: 1px 8px; margin: 2px 4px 2px 0; border-radius: 999px;
  font-size: 0.8rem; background: #eef2f6; color: #344054; }
.turn-chip-good { background: #ecfdf3; color: #05603a; }
.turn-chip-watch { background: #fffaeb; color: #93370d; }
.turn-chip-meter { background: #eff8ff; color: #175cd3; }
.turn-tip { color: #475467; font-size: 0.85rem; margin-top: 2px; }
.goal-measure { color: #475467; font-size: 0.85rem; }
.goal-overdue { color: #93370d; font-size: 0.85rem; margin-left: 6px; }
"""


def build_app(services: Services, files: UserFiles | None = None) -> gr.Blocks:
    """The whole page, wired to the services; nothing is shared between browser sessions
    except the services themselves. ``files`` says whose cached files are whose (the same
    object the HTTP guard is given by ``launch``)."""
    store, settings = services.store, services.settings
    lang0 = settings.language
    relabel = Relabeler()

    # delete_cache: Gradio's copies of downloads (plans, exports) are removed after an hour.
    with gr.Blocks(title="Peer Coach", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        # Set up the queue while the page is still empty: every queue() call rebuilds Gradio's
        # server app from the whole page, which once the page exists costs about a quarter
        # second at start for nothing (it is built again when the page is finished).
        demo.queue(default_concurrency_limit=settings.chat_concurrency)
        with gr.Row(elem_id="header", equal_height=True):
            relabel.add(
                gr.Markdown(f"# {t(lang0, 'title')}\n{t(lang0, 'tagline')}"),
                lambda lang: gr.Markdown(f"# {t(lang, 'title')}\n{t(lang, 'tagline')}"),
            )
            language = relabel.add(
                gr.Radio(
                    LANGUAGE_CHOICES,
                    value=lang0,
                    label=t(lang0, "language"),
                    elem_id="language",
                    scale=0,
                    min_width=220,
                ),
                lambda lang: gr.Radio(value=lang, label=t(lang, "language")),
            )
        ctx = PageContext(
            services=services,
            relabel=relabel,
            language=language,
            auth=store.has_credentials(),  # the user is then resolved per request
            files=files or UserFiles(),
        )
        with gr.Row(equal_height=True, elem_id="status-row"):
            banner = gr.HTML(t(lang0, "status_checking"), elem_id="status")
            recheck_btn = ctx.labels.button(
                "recheck", size="sm", scale=0, min_width=110, elem_id="recheck"
            )
            pull_btn = gr.Button(
                t(lang0, "download_model"),
                size="sm",
                variant="primary",
                visible=False,
                scale=0,
                min_width=150,
                elem_id="download-model",
            )
        pull_progress = gr.HTML(visible=False, elem_id="pull")
        build_warm_up_notice(
            demo, services.conversation.warm_up, lambda: ctx.user_id_or_none, language
        )
        # The banner re-checks on its own (status.watch_phase); tabs follow its ticks.
        status_phase = gr.State(None)
        status_timer = gr.Timer(recheck_interval("down"))
        with gr.Tabs(elem_id="tabs") as tabs:
            # The modes' tabs, in the registry's order, each given its own mode.
            views = {
                spec.name: tab_builder(spec)(ctx, services.modes[spec.name])
                for spec in services.mode_specs
            }
            # A tab may also show the sessions of a stored mode of its own (Practice: 'analyse').
            extras = {extra.mode: extra for view in views.values() for extra in view.also_shows}
            views.update(extras)
            build_plan_tab(ctx, lang0)
            build_goals_tab(ctx, lang0)
            history = build_history_tab(ctx, lang0, also_modes=list(extras))
            build_progress_tab(ctx, lang0)
            build_knowledge_tab(ctx, lang0)
        ctx.labels.markdown("privacy", {"path": settings.data_dir}, elem_id="footer")
        build_head_warm_up(
            demo,
            tabs,
            services.conversation.warm_up,
            services.modes,
            [spec.name for spec in services.mode_specs],
            lambda: ctx.user_id_or_none,
            language,
        )

        # --- Ollama status ----------------------------------------------------------------

        def check_status(lang: str) -> tuple[str, Any]:
            html, show_pull = banner_for(services.ollama.status(), lang)
            return html, gr.Button(t(lang, "download_model"), visible=show_pull)

        def pull_model(lang: str) -> Iterator[tuple[Any, Any, Any]]:
            try:
                for html, finished in pull_steps(services.ollama, lang):
                    if not finished:
                        yield gr.HTML(html, visible=True), gr.skip(), gr.skip()
                        continue
                    # The 100% goes out with the banner in one last update: updates that reach
                    # the page together are applied newest only (the server sends each), so a
                    # later update that skipped the bar left it at 75% under a "Ready" banner.
                    status_html, show_pull = check_status(lang)
                    yield gr.HTML(html, visible=True), status_html, show_pull
            except CoachError as exc:
                yield gr.HTML(notice_html(exc.message(lang)), visible=True), gr.skip(), gr.skip()

        def recheck_on_its_own(lang: str, previous: str | None) -> tuple[Any, ...]:
            status = services.ollama.status()
            html, show_pull = banner_for(status, lang)
            phase = watch_phase(previous, status.ready)
            pull = gr.Button(t(lang, "download_model"), visible=show_pull)
            return html, pull, phase, gr.Timer(recheck_interval(phase))

        status_tick = status_timer.tick(
            recheck_on_its_own,
            [language, status_phase],
            [banner, pull_btn, status_phase, status_timer],
            api_visibility="private",
            show_progress="hidden",
        )
        recheck_btn.click(check_status, [language], [banner, pull_btn], api_name="status")
        pull_btn.click(pull_model, [language], [pull_progress, banner, pull_btn], api_name="pull")

        # --- what spans tabs: each mode's tab wires its own part ------------------------------

        shell = PageShell(
            demo=demo,
            tabs=tabs,
            views=views,
            status_outputs=[banner, pull_btn],
            check_status=check_status,
            labelled=relabel.components,
            first_view=services.first_view,
            status_tick=status_tick,
            status_phase=status_phase,
        )
        for view in views.values():
            if view.connect is not None:
                view.connect(shell)

        # --- resuming any session from History ------------------------------------------------

        view_list = list(views.values())
        view_outputs = [component for view in view_list for component in view.outputs]

        def resume(session_id: int | None, lang: str, *toggles: Any) -> tuple[Any, ...]:
            """Open a session of any mode where it was left, in its own tab."""
            session = ctx.load_session(int(session_id)) if session_id else None
            if session is None or session.mode not in views:
                missing = notice_html(t(lang, "history_pick_first"))
                return (gr.skip(), missing, *[gr.skip()] * len(view_outputs))
            info = t(lang, "history_resumed", id=session.id, mode=mode_name(lang, session.mode))
            tab, *shown = resume_in_tab(view_list, session.mode, session.id, lang, toggles)
            return (tab, notice_html(info, "info"), *shown)

        history.resume.click(
            resume,
            [history.pick, language, *toggle_inputs(view_list)],
            [tabs, history.notice, *view_outputs],
            api_visibility="private",
        )
    return demo


def tab_builder(spec: ModeSpec) -> Callable[..., ModeTab]:
    """The tab builder a mode's spec names (``"module:function"``)."""
    module, _, function = spec.tab.partition(":")
    builder: Callable[..., ModeTab] = getattr(importlib.import_module(module), function)
    return builder
