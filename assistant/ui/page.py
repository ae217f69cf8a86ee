"""The page shell: header with the language switch, Ollama status, session list and the tabs.

Handlers are thin: they translate UI events into calls on ``assistant`` and render the result.
Per-browser state (the open session) lives in ``gr.State`` and SQLite, never on shared objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.services import Services
from assistant.ui.context import PageContext
from assistant.ui.goals_tab import build_goals_tab
from assistant.ui.history_tab import build_history_tab
from assistant.ui.i18n import LANGUAGE_CHOICES, t
from assistant.ui.knowledge_tab import build_knowledge_tab
from assistant.ui.plan_tab import build_plan_tab
from assistant.ui.practice_tab import build_practice_tab
from assistant.ui.progress_tab import build_progress_tab
from assistant.ui.qa_tab import build_qa_tab
from assistant.ui.reflect_tab import build_reflect_tab
from assistant.ui.rehearse_tab import build_rehearse_tab
from assistant.ui.relabel import Relabeler
from assistant.ui.render import notice_html
from assistant.ui.resume import ModeView, resume_updates
from assistant.ui.status import banner_for, pull_steps

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
.goal-measure { color: #475467; font-size: 0.85rem; }
.goal-overdue { color: #93370d; font-size: 0.85rem; margin-left: 6px; }
"""


def build_app(services: Services) -> gr.Blocks:
    """The whole page, wired to the services; nothing is shared between browser sessions
    except the services themselves."""
    store, settings = services.store, services.settings
    lang0 = settings.language
    relabel = Relabeler()

    # delete_cache: Gradio's copies of downloads (plans, exports) are removed after an hour.
    with gr.Blocks(title="Peer Coach", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        # Set up the queue while the page is still empty: every queue() call rebuilds Gradio's
        # server app from the whole page, which once the page exists costs about a quarter
        # second at start for nothing (it is built again when the page is finished).
        demo.queue(default_concurrency_limit=settings.chat_concurrency)
        session_state = gr.State(None)
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
        with gr.Row(equal_height=True, elem_id="status-row"):
            banner = gr.HTML(t(lang0, "status_checking"), elem_id="status")
            recheck_btn = relabel.add(
                gr.Button(
                    t(lang0, "recheck"), size="sm", scale=0, min_width=110, elem_id="recheck"
                ),
                lambda lang: gr.Button(t(lang, "recheck")),
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
        # The session list belongs to the Reflect tab, which places it (render=False here).
        new_btn = relabel.add(
            gr.Button(t(lang0, "new_session"), elem_id="new-session", render=False),
            lambda lang: gr.Button(t(lang, "new_session")),
        )
        session_list = gr.Radio(
            choices=[], label=t(lang0, "sessions"), elem_id="session-list", render=False
        )
        ctx = PageContext(
            services=services,
            relabel=relabel,
            language=language,
            session_state=session_state,
            session_list=session_list,
            new_session_button=new_btn,
            auth=store.has_credentials(),  # the user is then resolved per request
        )
        with gr.Tabs(elem_id="tabs") as tabs:
            reflect = build_reflect_tab(ctx, lang0)
            rehearse = build_rehearse_tab(ctx, lang0)
            qa_view = build_qa_tab(ctx, lang0)
            practice_view = build_practice_tab(ctx, lang0)
            build_plan_tab(ctx, lang0)
            build_goals_tab(ctx, lang0)
            history = build_history_tab(ctx, lang0)
            build_progress_tab(ctx, lang0)
            build_knowledge_tab(ctx, lang0)
        relabel.add(
            gr.Markdown(t(lang0, "privacy", path=settings.data_dir), elem_id="footer"),
            lambda lang: gr.Markdown(t(lang, "privacy", path=settings.data_dir)),
        )
        labelled = relabel.components

        # --- Ollama status ----------------------------------------------------------------

        def check_status(lang: str) -> tuple[str, Any]:
            html, show_pull = banner_for(services.ollama.status(), lang)
            return html, gr.Button(t(lang, "download_model"), visible=show_pull)

        def pull_model(lang: str) -> Iterator[tuple[Any, Any, Any]]:
            try:
                for html, finished in pull_steps(services.ollama, lang):
                    yield gr.HTML(html, visible=True), gr.skip(), gr.skip()
                    if finished:
                        status_html, show_pull = check_status(lang)
                        yield gr.skip(), status_html, show_pull
            except CoachError as exc:
                yield gr.HTML(notice_html(exc.message(lang)), visible=True), gr.skip(), gr.skip()

        recheck_btn.click(check_status, [language], [banner, pull_btn], api_name="status")
        pull_btn.click(pull_model, [language], [pull_progress, banner, pull_btn], api_name="pull")

        # --- sessions and language ----------------------------------------------------------

        def show_session(session_id: int, lang: str, info: str = "") -> tuple[Any, ...]:
            """Everything that changes when a session is shown: list, notice, tab, labels."""
            return (
                session_id,
                ctx.list_update(lang, session_id),
                info,
                *reflect.show(session_id, lang),
                *relabel.updates(lang),
            )

        session_outputs = [session_state, session_list, reflect.notice, *reflect.session_outputs]
        shown = [*session_outputs, *labelled]

        def start(lang: str, variant: str | None) -> int:
            return ctx.start_session(lang, options={"variant": variant or "open"}).id

        def on_load(lang: str) -> tuple[Any, ...]:
            sessions = ctx.reflections()
            session = ctx.load_session(sessions[0].id) if sessions else None
            session_id = session.id if session else start(lang, None)
            lang = session.lang if session else lang
            shown_now = (*check_status(lang), *show_session(session_id, lang))
            services.first_view.set()
            return shown_now

        demo.load(on_load, [language], [banner, pull_btn, *shown])

        def new_session(lang: str, variant: str | None) -> tuple[Any, ...]:
            return show_session(start(lang, variant), lang)

        new_btn.click(new_session, [language, reflect.variant], shown)
        # The chat's own clear button starts a fresh session; the old one stays in the list.
        reflect.chatbot.clear(new_session, [language, reflect.variant], shown)

        def choose_variant(lang: str, variant: str, session_id: int | None) -> tuple[Any, ...]:
            """A new way to start replaces a session that has no words of the user yet."""
            session = ctx.load_session(session_id)
            if session is not None and not any(t.role == "user" for t in store.turns(session.id)):
                store.delete_session(ctx.user_id, session.id)
            return show_session(start(lang, variant), lang)

        reflect.variant.input(choose_variant, [language, reflect.variant, session_state], shown)

        def open_session(session_id: int | None, lang: str) -> tuple[Any, ...]:
            session = ctx.load_session(session_id)
            if session is None:
                missing = notice_html(t(lang, "session_missing"))
                return (gr.skip(),) * 4 + (missing,) + (gr.skip(),) * (len(shown) - 3)
            # Opening a session in the other language switches the page to it.
            status = check_status(session.lang) if session.lang != lang else (gr.skip(),) * 2
            return (*status, *show_session(session.id, session.lang))

        session_list.input(open_session, [session_list, language], [banner, pull_btn, *shown])

        def switch_language(lang: str, session_id: int | None) -> tuple[Any, ...]:
            session = ctx.load_session(session_id)
            info, session_id = "", session.id if session else None
            if session is None or session.lang != lang:
                has_words = session is not None and any(
                    turn.role == "user" for turn in store.turns(session.id)
                )
                if session is not None and not has_words:
                    store.delete_session(ctx.user_id, session.id)
                variant = session.options.get("variant") if session else None
                session_id = start(lang, variant)
                info = notice_html(t(lang, "language_switched"), "info") if has_words else ""
            assert session_id is not None
            return (*check_status(lang), *show_session(session_id, lang, info))

        language.input(switch_language, [language, session_state], [banner, pull_btn, *shown])

        # --- "prepare a hard conversation" hands over to the Rehearse tab's builder -----------

        def rehearse_this(session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
            """Switch to Rehearse with the builder holding the person's words (and a draft)."""
            selected: Any = gr.Tabs(selected="rehearse")
            for update in rehearse.builder.prefill(reflect.prepared_words(session_id), "", lang):
                yield (selected, *update)
                selected = gr.skip()

        reflect.rehearse_button.click(
            rehearse_this,
            [session_state, language],
            [tabs, *rehearse.builder.prefill_outputs],
            api_visibility="private",
            concurrency_limit=settings.chat_concurrency,
        )

        # --- resuming any session from History ------------------------------------------------

        def show_reflection(session_id: int, lang: str) -> tuple[Any, ...]:
            return show_session(session_id, lang)[: len(session_outputs)]

        views = [
            ModeView("reflect", "reflect", session_outputs, show_reflection),
            rehearse.view,
            qa_view,
            practice_view,
        ]
        view_outputs = [component for view in views for component in view.outputs]

        def resume(session_id: int | None, lang: str) -> tuple[Any, ...]:
            """Open a session of any mode where it was left, in its own tab."""
            session = ctx.load_session(int(session_id)) if session_id else None
            if session is None or session.mode not in {view.mode for view in views}:
                missing = notice_html(t(lang, "history_pick_first"))
                return (gr.skip(), missing, *[gr.skip()] * len(view_outputs))
            tab_id = next(view.tab_id for view in views if view.mode == session.mode)
            info = t(lang, "history_resumed", id=session.id, mode=t(lang, f"mode_{session.mode}"))
            return (
                gr.Tabs(selected=tab_id),
                notice_html(info, "info"),
                *resume_updates(views, session.mode, session.id, lang),
            )

        history.resume.click(
            resume,
            [history.pick, language],
            [tabs, history.notice, *view_outputs],
            api_visibility="private",
        )
    return demo
