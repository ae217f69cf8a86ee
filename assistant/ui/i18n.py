"""Every string the page shows, in English and Danish.

The language is a control on the page (not the browser's locale), so switching it re-labels the
components from this table. A unit test checks that both languages have the same keys.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Peer Coach",
        "tagline": "Practise coaching conversations privately, on your own machine.",
        "language": "Language",
        "sessions": "Your sessions",
        "no_sessions": "No sessions yet.",
        "new_session": "New session",
        "untitled": "New conversation",
        "tab_reflect": "Reflect",
        "reflect_intro": (
            "Think something through with a peer coach who asks open questions, one at a "
            "time, and gives advice only when you ask for it."
        ),
        "chat_label": "Conversation",
        "message_label": "Your message",
        "message_placeholder": "Write your answer and press Enter (Shift+Enter for a new line)",
        "send": "Send",
        "stop": "Stop",
        "retry": "Retry",
        "recheck": "Re-check",
        "download_model": "Download model",
        "interrupted": "Interrupted. Press Retry to get a new answer.",
        "stopped": "You stopped the reply. What arrived is saved.",
        "status_ready": "Ready: Ollama {version} at {host}, model {model}.",
        "status_model_missing": (
            "Ollama {version} is running at {host}, but the model {model} is not installed. "
            "Press Download model, or run `ollama pull {model}` in a terminal."
        ),
        "status_checking": "Checking Ollama…",
        "pull_progress": "{status}: {done} of {total} ({percent}%)",
        "pull_status": "{status}",
        "pull_done": "Model {model} downloaded (100%). You can start coaching.",
        "language_switched": (
            "The conversation continues in a new session in English; the earlier one is in "
            "your session list."
        ),
        "session_missing": "That session no longer exists.",
        "nothing_to_retry": "There is no message of yours to answer again yet.",
        "variant_label": "How do you want to start?",
        "variant_open": "Open check-in",
        "variant_after_event": "After a meeting or project",
        "variant_prepare": "Prepare a hard conversation",
        "stage_label": "Where we are",
        "stage_info": "The coach moves on when a stage is done; click a stage to go back.",
        "plan_title": "Action plan",
        "plan_what": "What will you do?",
        "plan_when": "By when?",
        "plan_how": "How will you know it worked?",
        "plan_draft": "Draft from the conversation",
        "plan_save": "Save action plan",
        "plan_drafted": "Drafted from the conversation. Edit it, then save.",
        "plan_saved": "Action plan saved with this session.",
        "plan_empty": "Write at least what you will do before saving.",
        "plan_goal": "Save as a goal",
        "plan_goal_saved": "Saved as a goal. The coach will ask how it went next time.",
        "tab_knowledge": "Knowledge",
        "knowledge_intro": (
            "The coaching library behind the coach's questions and feedback: strategies, "
            "activities, frameworks, examples, questions and scenarios. Search it in your own "
            "words, or pick an entry to read it."
        ),
        "knowledge_query": "Search the library",
        "knowledge_placeholder": "e.g. how do I give hard feedback?",
        "knowledge_kind": "Kind",
        "knowledge_search": "Search",
        "knowledge_read": "Read an entry",
        "knowledge_no_hits": "Nothing found. Try other words or another kind.",
        "knowledge_empty_query": "Write what you are looking for first.",
        "knowledge_indexing": "The library is still being indexed; results may be incomplete.",
        "knowledge_unavailable": "Search is not available right now ({reason}).",
        "knowledge_indexing_progress": (
            "The library is being indexed: {done} of {total} passages so far; results may be "
            "incomplete."
        ),
        "knowledge_rebuilding": (
            "The knowledge index {reason}; it is being rebuilt from the library and your stored "
            "documents: {done} of {total} passages so far. Results may be incomplete until then."
        ),
        "index_reason_missing": "was missing",
        "index_reason_corrupted": "was damaged",
        "index_reason_collection_missing": "had lost a collection",
        "index_reason_count_mismatch": "was incomplete",
        "kind_all": "Everything",
        "kind_strategy": "Strategies",
        "kind_activity": "Activities",
        "kind_session_flow": "Session flow",
        "kind_example": "Examples",
        "kind_framework": "Frameworks",
        "kind_question_bank": "Question bank",
        "kind_scenario": "Scenarios",
        "kind_upload": "Your documents",
        "uploads_title": "Your documents",
        "uploads_intro": (
            "Add your own notes, e.g. your team's feedback guidelines (.md, .txt or .pdf, up to "
            "5 MB and 50 pages). They stay on this machine, only you see them, and search uses "
            "them too."
        ),
        "uploads_file": "Add a document",
        "uploads_none": "No documents yet.",
        "uploads_chunks": "passages",
        "uploads_added": "Added {name} ({chunks} passages).",
        "uploads_delete_pick": "Document to delete",
        "uploads_delete": "Delete",
        "uploads_confirm": "Yes, delete {name}",
        "uploads_pick_first": "Pick a document first.",
        "uploads_deleted": "Deleted {name}.",
        "tab_practice": "Practice coaching",
        "practice_intro": (
            "Switch roles: the model is a colleague who wants coaching, and you are the coach. "
            "Each of your lines is counted (open and closed questions, reflections, advice, "
            "affirmations), and at the end you see where you stand against published MITI 4 "
            "thresholds, then a short balanced debrief."
        ),
        "practice_persona": "Who you coach",
        "practice_start": "Start practice",
        "practice_live": "Show what each of my lines counts as",
        "practice_badge_title": "Counted as:",
        "practice_message": "What you say as the coach",
        "practice_end": "End and see my counts",
        "practice_none": "Start a practice session first.",
        "practice_counts_title": "Your listening, counted",
        "practice_measures_title": "Against the MITI 4 thresholds",
        "practice_thresholds": (
            "MITI 4: reflections per question fair 1:1, good 2:1; complex reflections fair "
            "40 %, good 50 %. Counted by rules on each sentence, not by a model."
        ),
        "practice_asked_for": "asked for",
        "label_open_question": "Open questions",
        "label_closed_question": "Closed questions",
        "label_reflection_simple": "Simple reflections",
        "label_reflection_complex": "Complex reflections",
        "label_advice": "Advice (unasked)",
        "label_affirmation": "Affirmations",
        "label_other": "Other",
        "measure_reflection_to_question_ratio": "Reflections per question",
        "measure_percent_complex_reflections": "Complex reflections",
        "measure_percent_open_questions": "Open questions",
        "measure_talk_share": "Your share of the words",
        "level_below": "below fair",
        "level_fair": "fair",
        "level_good": "good",
        "tab_goals": "Goals",
        "goals_intro": (
            "Peer coaching works through follow-up. Your goals come from action plans (Save "
            "as a goal) or are written here; the coach opens your next reflection with a "
            "check-in on the open ones."
        ),
        "goals_none": (
            "No goals yet. Finish a reflection with an action plan and press Save as a goal, "
            "or add one below."
        ),
        "goals_overdue": "past its date",
        "goals_col_goal": "Goal",
        "goals_col_due": "By when",
        "goals_col_status": "Status",
        "goals_col_progress": "Progress",
        "goal_status_open": "open",
        "goal_status_done": "done",
        "goal_status_dropped": "dropped",
        "goals_checkin_title": "Check in on a goal",
        "goals_pick": "Goal",
        "goals_progress": "How far are you (%)?",
        "goals_status": "Status",
        "goals_note": "What happened since last time?",
        "goals_checkin": "Save check-in",
        "goals_checked_in": "Check-in saved.",
        "goals_pick_first": "Pick a goal first.",
        "goals_add_title": "Add a goal by hand",
        "goals_due": "By when (YYYY-MM-DD)",
        "goals_add": "Add goal",
        "goals_added": "Goal added.",
        "tab_history": "History",
        "history_mode": "Mode",
        "history_all": "All modes",
        "history_scenario": "Scenario",
        "history_all_scenarios": "All scenarios",
        "history_pick": "Open a session",
        "history_col_id": "#",
        "history_col_mode": "Mode",
        "history_col_title": "Title or scenario",
        "history_col_lang": "Language",
        "history_col_date": "Started",
        "history_col_minutes": "Minutes",
        "history_col_rating": "Rating",
        "history_export_md": "Export as Markdown",
        "history_export_json": "Export as JSON",
        "history_export_all": "Export all (JSON)",
        "history_delete": "Delete",
        "history_confirm": "Yes, delete session #{id}",
        "history_deleted": "Session #{id} deleted.",
        "history_pick_first": "Open a session first.",
        "mode_reflect": "Reflect",
        "mode_rehearse": "Rehearse",
        "mode_practice": "Practice",
        "mode_qa": "Q&A",
        "tab_progress": "Progress",
        "progress_ratings": "Debrief ratings per scenario",
        "progress_ratings_empty": (
            "No ratings yet: end a rehearsal or a practice session with a debrief, and its "
            "rating (1-5) appears here over time."
        ),
        "progress_skills": "Listening over time (Practice coaching)",
        "progress_skills_empty": (
            "No counts yet: finish a session in Practice coaching with End and see my counts; "
            "your reflections per question and share of complex reflections appear here, with "
            "the MITI 'fair' and 'good' levels drawn as lines."
        ),
        "progress_goals": "Goals opened and completed per week",
        "progress_goals_empty": (
            "No goals yet: save an action plan as a goal in Reflect, or add one in Goals."
        ),
        "progress_opened": "opened",
        "progress_completed": "completed",
        "progress_rq_fair": "MITI fair: 1 reflection per question",
        "progress_rq_good": "MITI good: 2 reflections per question",
        "progress_cr_fair": "MITI fair: 40 % complex reflections",
        "progress_cr_good": "MITI good: 50 % complex reflections",
        "privacy": "Everything stays on this machine: the model runs in Ollama, history in {path}.",
        "auth_message": "Peer Coach: sign in with the name and password you were given. "
        "Your sessions, goals and uploads are visible only to you.",
        # --- answers of the HTTP guard (assistant/ui/guard.py) ---
        "http_cross_origin": "Refused: this request came from another web page. Open Peer Coach "
        "itself and try there.",
        "http_local_only": "Refused: this Peer Coach answers only as localhost or 127.0.0.1, "
        "not as {host}.",
        "http_too_large": "Refused: the request is larger than the limit of {mb} MB.",
        "http_length_required": "Refused: an upload must say its size (Content-Length).",
        "http_bad_length": "Refused: the request's Content-Length is not a number.",
        "http_sign_in_wait": "Too many failed sign-ins: wait {seconds} s and try again.",
        # --- Plan tab (session-question generator) ---
        "tab_plan": "Plan",
        "planner_intro": (
            "Prepare the questions for a coaching session. Describe the topic, choose who you "
            "are to each other and how long you have: you get the session in stages with "
            "timing and 2-5 questions per stage from the question bank, each tagged with its "
            "stage and strategy. The model can tailor the wording to your topic."
        ),
        "planner_topic_label": "Topic or challenge",
        "planner_topic_placeholder": (
            "e.g. Giving feedback to a colleague who keeps missing deadlines"
        ),
        "planner_relationship_label": "Who you are to each other",
        "planner_minutes_label": "Session length",
        "planner_minutes_choice": "{n} min",
        "planner_use_model": "Let the model tailor the questions to the topic",
        "planner_use_model_info": (
            "Without it, or when the model is not available, the questions come straight from "
            "the question bank."
        ),
        "planner_generate": "Generate plan",
        "planner_download": "Download .md",
        "planner_copy": "Copy Markdown",
        "planner_copied": "Copied ✓",
        "planner_empty_topic": "Describe the topic or challenge first.",
        "planner_working": (
            "These are the question-bank questions; {model} is now tailoring them to your topic…"
        ),
        "planner_source_model": (
            "Tailored to your topic by the model {model}. Stages, strategies and timing come "
            "from the question bank."
        ),
        "planner_source_bank": (
            "Picked from the question bank, without a model: the same input gives the same plan."
        ),
        "planner_source_fallback": "Picked from the question bank, without a model. {reason}",
        # --- Rehearse ---
        "tab_rehearse": "Rehearse",
        "rehearse_intro": (
            "Rehearse a hard conversation: the model plays the other person and stays in "
            "character. Take a time-out for a hint, switch roles, rewind to try another line, "
            "and end with a debrief."
        ),
        "rehearse_scenario": "Scenario",
        "rehearse_difficulty": "Difficulty",
        "difficulty_cooperative": "Cooperative",
        "difficulty_realistic": "Realistic",
        "difficulty_resistant": "Resistant",
        "rehearse_start": "Start rehearsal",
        "rehearse_situation": "Situation:",
        "rehearse_you_talk_to": "You talk to:",
        "rehearse_your_goal": "Your goal:",
        "rehearse_criteria": "Success criteria:",
        "rehearse_message": "What you say",
        "rehearse_timeout": "Time-out (hint)",
        "rehearse_switch": "Switch roles",
        "rehearse_switch_back": "Switch back",
        "rehearse_debrief": "End and debrief",
        "rehearse_rewind_to": "Go back to one of your lines",
        "rehearse_rewind": "Rewind",
        "rehearse_branches": "Branches of this conversation",
        "rehearse_none": "Start a rehearsal first: pick a scenario and press Start rehearsal.",
        "rehearse_hint_title": "Coach's hint (the other person does not hear this):",
        "rehearse_pick_line": "Pick one of your lines to go back to first.",
        "rehearse_rewound": (
            "Rewound. Your old line is in the box: change it and send. The earlier version "
            "stays under Branches."
        ),
        "rehearse_debrief_working": "Writing your debrief…",
        "rehearse_swapped_note": "(roles switched)",
        "rehearse_warning": "Note: this reply may have stepped out of character.",
        "tab_qa": "Q&A practice",
        "qa_intro": (
            "Practise the questions after a presentation. Paste your notes or upload a file, "
            "pick an audience and how many questions; each question names the part of your "
            "notes it targets, like [§2]. Under each answer: its length, the speaking time at "
            "about 140 words a minute, and whether your first sentence answered the question."
        ),
        "qa_notes": "Your presentation notes",
        "qa_notes_placeholder": "Paste your notes; headings or blank lines separate the parts",
        "qa_upload": "Or upload notes (.md, .txt, .pdf)",
        "qa_audience": "Audience",
        "qa_audience_sceptical_executive": "Sceptical executive",
        "qa_audience_technical_expert": "Technical expert",
        "qa_audience_newcomer": "Newcomer",
        "qa_audience_hostile_stakeholder": "Hostile stakeholder",
        "qa_questions": "Number of questions",
        "qa_start": "Start the Q&A",
        "qa_answer": "Your answer",
        "qa_metrics": (
            "{words} words · ~{seconds} s · answered directly in the first sentence: {direct}"
        ),
        "qa_yes": "yes",
        "qa_no": "no",
        "qa_progress": "Question {asked} of {questions}",
        "qa_done": "The question round is over. Start a new one to practise again.",
        "qa_none": "Start a Q&A first: paste your notes and press Start the Q&A.",
        # debriefs: keep a goal, Q&A debrief, resume from History
        "debrief_goal_intro": (
            "**Keep one thing as a goal.** Edit it to fit; the coach asks how it went when "
            "you start your next reflection."
        ),
        "debrief_goal_text": "Goal",
        "debrief_goal_measure": "How you will know",
        "debrief_goal_due": "By when (YYYY-MM-DD)",
        "debrief_goal_save": "Save as a goal",
        "debrief_goal_empty": "Write the goal first.",
        "qa_debrief": "End and debrief",
        "history_resume": "Resume",
        "history_resumed": "Session #{id} is open again in the {mode} tab.",
        "check_in_title": "Before you start: how is it going with your goals?",
        "check_in_answer": "What has happened since last time?",
        "check_in_save": "Save check-in",
        "check_in_skip": "Skip for now",
        "check_in_empty": "Write a few words first, or press Skip for now.",
        "check_in_saved": "Check-in saved. Update the progress in the Goals tab when you like.",
        # scenario builder (Rehearse) and the "prepare" handover from Reflect
        "builder_accordion": "Build your own scenario",
        "builder_intro": (
            "Describe the conversation in your own words and press **Draft the scenario**: the "
            "model writes a scenario you can edit. Or fill in the fields yourself. Saved "
            "scenarios are yours only and appear in the scenario list above."
        ),
        "builder_words_situation": "The situation, in your words",
        "builder_words_situation_ph": "What happened, what you want to say, why it is hard",
        "builder_words_counterpart": "The other person, in your words",
        "builder_words_counterpart_ph": "Who they are, how they react, what they care about",
        "builder_draft": "Draft the scenario",
        "builder_fields_intro": "**The scenario** (edit anything before you save)",
        "builder_title": "Title",
        "builder_situation": "Situation",
        "builder_goal": "Your goal",
        "builder_criteria": "Success criteria",
        "builder_one_per_line": "One per line",
        "builder_name": "Their name",
        "builder_role": "Their role",
        "builder_personality": "Their personality",
        "builder_cares": "What they care about",
        "builder_hidden": "Hidden concerns",
        "builder_hidden_info": "One per line; they reveal these only when you ask good questions",
        "builder_opening": "Their opening line",
        "builder_opening_info": "The first thing they say when the rehearsal starts",
        "builder_save": "Save scenario",
        "builder_load": "Edit the selected scenario",
        "builder_export": "Export as file",
        "builder_export_file": "Your scenario file",
        "builder_import": "Import a scenario file (.md)",
        "builder_drafting": "Drafting the scenario… this can take a minute.",
        "builder_draft_failed": "You can also fill in the fields below yourself and save.",
        "builder_drafted": "Here is a draft. Change anything that does not fit, then press Save.",
        "builder_saved": (
            "Saved “{title}”. It is selected in the scenario list: press Start rehearsal."
        ),
        "builder_pick": "Pick a scenario in the list first.",
        "builder_loaded": (
            "The selected scenario is in the fields. Saving it stores your own copy."
        ),
        "builder_exported": "Your scenario file is ready to download.",
        "builder_imported": "Imported “{title}”. Check the fields, then press Save.",
        "builder_handover_empty": (
            "Describe the situation in the boxes below, then press Draft the scenario."
        ),
        "builder_handover_drafting": (
            "Your words from the reflection are below. Drafting a scenario from them… "
            "this can take a minute."
        ),
        "builder_handover_failed": (
            "Your words from the reflection are in the boxes below: press Draft the scenario "
            "when the model is available, or fill in the fields yourself."
        ),
        "reflect_rehearse_this": "Rehearse this conversation",
        "builder_own": "{title} · yours",
    },
    "da": {
        "title": "Peer Coach",
        "tagline": "Øv coachingsamtaler privat, på din egen maskine.",
        "language": "Sprog",
        "sessions": "Dine samtaler",
        "no_sessions": "Ingen samtaler endnu.",
        "new_session": "Ny samtale",
        "untitled": "Ny samtale",
        "tab_reflect": "Reflektér",
        "reflect_intro": (
            "Tænk noget igennem med en sparringspartner, der stiller åbne spørgsmål ét ad "
            "gangen og kun giver råd, når du beder om det."
        ),
        "chat_label": "Samtale",
        "message_label": "Din besked",
        "message_placeholder": "Skriv dit svar og tryk Enter (Shift+Enter giver ny linje)",
        "send": "Send",
        "stop": "Stop",
        "retry": "Prøv igen",
        "recheck": "Tjek igen",
        "download_model": "Hent model",
        "interrupted": "Afbrudt. Tryk på Prøv igen for at få et nyt svar.",
        "stopped": "Du stoppede svaret. Det modtagne er gemt.",
        "status_ready": "Klar: Ollama {version} på {host}, model {model}.",
        "status_model_missing": (
            "Ollama {version} kører på {host}, men modellen {model} er ikke installeret. "
            "Tryk på Hent model, eller kør `ollama pull {model}` i en terminal."
        ),
        "status_checking": "Tjekker Ollama…",
        "pull_progress": "{status}: {done} af {total} ({percent}%)",
        "pull_status": "{status}",
        "pull_done": "Modellen {model} er hentet (100%). Du kan begynde at coache.",
        "language_switched": (
            "Samtalen fortsætter i en ny samtale på dansk; den tidligere ligger i din liste."
        ),
        "session_missing": "Den samtale findes ikke længere.",
        "nothing_to_retry": "Der er endnu ingen besked fra dig at svare på igen.",
        "variant_label": "Hvordan vil du begynde?",
        "variant_open": "Åben indtjekning",
        "variant_after_event": "Efter et møde eller projekt",
        "variant_prepare": "Forbered en svær samtale",
        "stage_label": "Hvor vi er",
        "stage_info": (
            "Coachen går videre, når en fase er færdig; klik på en fase for at gå tilbage."
        ),
        "plan_title": "Handlingsplan",
        "plan_what": "Hvad vil du gøre?",
        "plan_when": "Hvornår?",
        "plan_how": "Hvordan ved du, at det virkede?",
        "plan_draft": "Lav et udkast ud fra samtalen",
        "plan_save": "Gem handlingsplan",
        "plan_drafted": "Udkast lavet ud fra samtalen. Ret det til, og gem det så.",
        "plan_saved": "Handlingsplanen er gemt med denne samtale.",
        "plan_empty": "Skriv i det mindste, hvad du vil gøre, før du gemmer.",
        "plan_goal": "Gem som mål",
        "plan_goal_saved": "Gemt som mål. Coachen spørger næste gang, hvordan det gik.",
        "tab_knowledge": "Viden",
        "knowledge_intro": (
            "Coachingbiblioteket bag coachens spørgsmål og feedback: strategier, aktiviteter, "
            "modeller, eksempler, spørgsmål og scenarier. Søg med dine egne ord, eller vælg et "
            "opslag for at læse det."
        ),
        "knowledge_query": "Søg i biblioteket",
        "knowledge_placeholder": "fx hvordan giver jeg svær feedback?",
        "knowledge_kind": "Type",
        "knowledge_search": "Søg",
        "knowledge_read": "Læs et opslag",
        "knowledge_no_hits": "Intet fundet. Prøv andre ord eller en anden type.",
        "knowledge_empty_query": "Skriv først, hvad du leder efter.",
        "knowledge_indexing": "Biblioteket indekseres stadig; resultaterne kan mangle noget.",
        "knowledge_unavailable": "Søgning er ikke tilgængelig lige nu ({reason}).",
        "knowledge_indexing_progress": (
            "Biblioteket indekseres: {done} af {total} afsnit indtil videre; resultaterne kan "
            "mangle noget."
        ),
        "knowledge_rebuilding": (
            "Vidensindekset {reason}; det bygges nu op igen fra biblioteket og dine gemte "
            "dokumenter: {done} af {total} afsnit indtil videre. Resultaterne kan mangle noget, "
            "til det er færdigt."
        ),
        "index_reason_missing": "manglede",
        "index_reason_corrupted": "var beskadiget",
        "index_reason_collection_missing": "havde mistet en samling",
        "index_reason_count_mismatch": "var ufuldstændigt",
        "kind_all": "Alt",
        "kind_strategy": "Strategier",
        "kind_activity": "Aktiviteter",
        "kind_session_flow": "Samtaleforløb",
        "kind_example": "Eksempler",
        "kind_framework": "Modeller",
        "kind_question_bank": "Spørgsmålsbank",
        "kind_scenario": "Scenarier",
        "kind_upload": "Dine dokumenter",
        "uploads_title": "Dine dokumenter",
        "uploads_intro": (
            "Tilføj dine egne noter, fx teamets retningslinjer for feedback (.md, .txt eller "
            ".pdf, op til 5 MB og 50 sider). De bliver på denne maskine, kun du ser dem, og "
            "søgningen bruger dem også."
        ),
        "uploads_file": "Tilføj et dokument",
        "uploads_none": "Ingen dokumenter endnu.",
        "uploads_chunks": "afsnit",
        "uploads_added": "{name} er tilføjet ({chunks} afsnit).",
        "uploads_delete_pick": "Dokument, der skal slettes",
        "uploads_delete": "Slet",
        "uploads_confirm": "Ja, slet {name}",
        "uploads_pick_first": "Vælg først et dokument.",
        "uploads_deleted": "{name} er slettet.",
        "tab_practice": "Træn coaching",
        "practice_intro": (
            "Byt roller: modellen er en kollega, der gerne vil coaches, og du er coach. Hver "
            "af dine replikker tælles (åbne og lukkede spørgsmål, refleksioner, råd, "
            "anerkendelser), og til sidst ser du, hvor du står i forhold til de offentliggjorte "
            "MITI 4-tærskler, og får en kort, afbalanceret evaluering."
        ),
        "practice_persona": "Hvem du coacher",
        "practice_start": "Start træning",
        "practice_live": "Vis, hvad hver af mine replikker tæller som",
        "practice_badge_title": "Talt som:",
        "practice_message": "Det, du siger som coach",
        "practice_end": "Afslut og se min optælling",
        "practice_none": "Start først en træning.",
        "practice_counts_title": "Din lytning, talt op",
        "practice_measures_title": "Set i forhold til MITI 4-tærsklerne",
        "practice_thresholds": (
            "MITI 4: refleksioner pr. spørgsmål rimeligt ved 1:1, godt ved 2:1; komplekse "
            "refleksioner rimeligt ved 40 %, godt ved 50 %. Talt med regler pr. sætning, ikke "
            "af en model."
        ),
        "practice_asked_for": "efterspurgt",
        "label_open_question": "Åbne spørgsmål",
        "label_closed_question": "Lukkede spørgsmål",
        "label_reflection_simple": "Simple refleksioner",
        "label_reflection_complex": "Komplekse refleksioner",
        "label_advice": "Råd (uopfordrede)",
        "label_affirmation": "Anerkendelser",
        "label_other": "Andet",
        "measure_reflection_to_question_ratio": "Refleksioner pr. spørgsmål",
        "measure_percent_complex_reflections": "Komplekse refleksioner",
        "measure_percent_open_questions": "Åbne spørgsmål",
        "measure_talk_share": "Din andel af ordene",
        "level_below": "under rimeligt",
        "level_fair": "rimeligt",
        "level_good": "godt",
        "tab_goals": "Mål",
        "goals_intro": (
            "Peer coaching virker gennem opfølgning. Dine mål kommer fra handlingsplaner (Gem "
            "som mål) eller skrives her; coachen åbner din næste refleksion med en indtjekning "
            "på de åbne."
        ),
        "goals_none": (
            "Ingen mål endnu. Afslut en refleksion med en handlingsplan, og tryk på Gem som "
            "mål, eller tilføj et herunder."
        ),
        "goals_overdue": "datoen er passeret",
        "goals_col_goal": "Mål",
        "goals_col_due": "Hvornår",
        "goals_col_status": "Status",
        "goals_col_progress": "Fremskridt",
        "goal_status_open": "åben",
        "goal_status_done": "nået",
        "goal_status_dropped": "droppet",
        "goals_checkin_title": "Tjek ind på et mål",
        "goals_pick": "Mål",
        "goals_progress": "Hvor langt er du (%)?",
        "goals_status": "Status",
        "goals_note": "Hvad er der sket siden sidst?",
        "goals_checkin": "Gem indtjekning",
        "goals_checked_in": "Indtjekningen er gemt.",
        "goals_pick_first": "Vælg først et mål.",
        "goals_add_title": "Tilføj et mål selv",
        "goals_due": "Hvornår (ÅÅÅÅ-MM-DD)",
        "goals_add": "Tilføj mål",
        "goals_added": "Målet er tilføjet.",
        "tab_history": "Historik",
        "history_mode": "Tilstand",
        "history_all": "Alle tilstande",
        "history_scenario": "Scenarie",
        "history_all_scenarios": "Alle scenarier",
        "history_pick": "Åbn en samtale",
        "history_col_id": "#",
        "history_col_mode": "Tilstand",
        "history_col_title": "Titel eller scenarie",
        "history_col_lang": "Sprog",
        "history_col_date": "Startet",
        "history_col_minutes": "Minutter",
        "history_col_rating": "Vurdering",
        "history_export_md": "Eksportér som Markdown",
        "history_export_json": "Eksportér som JSON",
        "history_export_all": "Eksportér alle (JSON)",
        "history_delete": "Slet",
        "history_confirm": "Ja, slet samtale #{id}",
        "history_deleted": "Samtale #{id} er slettet.",
        "history_pick_first": "Åbn først en samtale.",
        "mode_reflect": "Reflektér",
        "mode_rehearse": "Øv",
        "mode_practice": "Træn",
        "mode_qa": "Spørgerunde",
        "tab_progress": "Udvikling",
        "progress_ratings": "Vurderinger pr. scenarie",
        "progress_ratings_empty": (
            "Ingen vurderinger endnu: afslut en øvelse eller en træning med en evaluering, så "
            "vises dens vurdering (1-5) her over tid."
        ),
        "progress_skills": "Lytning over tid (Træn coaching)",
        "progress_skills_empty": (
            "Ingen optællinger endnu: afslut en træning med Afslut og se min optælling; så "
            "vises dine refleksioner pr. spørgsmål og andelen af komplekse refleksioner her, "
            "med MITI-niveauerne 'rimeligt' og 'godt' tegnet som linjer."
        ),
        "progress_goals": "Mål oprettet og nået pr. uge",
        "progress_goals_empty": (
            "Ingen mål endnu: gem en handlingsplan som mål under Reflektér, eller tilføj et "
            "under Mål."
        ),
        "progress_opened": "oprettet",
        "progress_completed": "nået",
        "progress_rq_fair": "MITI rimeligt: 1 refleksion pr. spørgsmål",
        "progress_rq_good": "MITI godt: 2 refleksioner pr. spørgsmål",
        "progress_cr_fair": "MITI rimeligt: 40 % komplekse refleksioner",
        "progress_cr_good": "MITI godt: 50 % komplekse refleksioner",
        "privacy": "Alt bliver på denne maskine: modellen kører i Ollama, historikken i {path}.",
        "auth_message": "Peer Coach: log ind med det navn og den adgangskode, du har fået. "
        "Dine samtaler, mål og uploads kan kun ses af dig.",
        # --- answers of the HTTP guard (assistant/ui/guard.py) ---
        "http_cross_origin": "Afvist: forespørgslen kom fra en anden webside. Åbn selve Peer "
        "Coach og prøv der.",
        "http_local_only": "Afvist: denne Peer Coach svarer kun som localhost eller 127.0.0.1, "
        "ikke som {host}.",
        "http_too_large": "Afvist: forespørgslen er større end grænsen på {mb} MB.",
        "http_length_required": "Afvist: en upload skal oplyse sin størrelse (Content-Length).",
        "http_bad_length": "Afvist: forespørgslens Content-Length er ikke et tal.",
        "http_sign_in_wait": "For mange mislykkede login: vent {seconds} s, og prøv igen.",
        # --- Plan tab (session-question generator) ---
        "tab_plan": "Planlæg",
        "planner_intro": (
            "Forbered spørgsmålene til en coachingsession. Beskriv emnet, vælg jeres relation, "
            "og hvor lang tid I har: du får sessionen i faser med tider og 2-5 spørgsmål pr. "
            "fase fra spørgsmålsbanken, hvert mærket med fase og strategi. Modellen kan tilpasse "
            "formuleringerne til dit emne."
        ),
        "planner_topic_label": "Emne eller udfordring",
        "planner_topic_placeholder": (
            "fx Feedback til en kollega, der bliver ved med at overskride deadlines"
        ),
        "planner_relationship_label": "Jeres relation",
        "planner_minutes_label": "Sessionens længde",
        "planner_minutes_choice": "{n} min.",
        "planner_use_model": "Lad modellen tilpasse spørgsmålene til emnet",
        "planner_use_model_info": (
            "Uden den, eller når modellen ikke er tilgængelig, kommer spørgsmålene direkte fra "
            "spørgsmålsbanken."
        ),
        "planner_generate": "Lav plan",
        "planner_download": "Hent .md",
        "planner_copy": "Kopiér Markdown",
        "planner_copied": "Kopieret ✓",
        "planner_empty_topic": "Beskriv emnet eller udfordringen først.",
        "planner_working": (
            "Her er spørgsmålene fra spørgsmålsbanken; {model} er nu ved at tilpasse dem til "
            "dit emne…"
        ),
        "planner_source_model": (
            "Tilpasset dit emne af modellen {model}. Faser, strategier og tider kommer fra "
            "spørgsmålsbanken."
        ),
        "planner_source_bank": (
            "Valgt fra spørgsmålsbanken uden model: samme input giver samme plan."
        ),
        "planner_source_fallback": "Valgt fra spørgsmålsbanken uden model. {reason}",
        # --- Rehearse ---
        "tab_rehearse": "Øv samtalen",
        "rehearse_intro": (
            "Øv en svær samtale: modellen spiller den anden og bliver i rollen. Tag en timeout "
            "for et tip, byt roller, spol tilbage for at prøve en anden replik, og slut med en "
            "opsamling."
        ),
        "rehearse_scenario": "Scenarie",
        "rehearse_difficulty": "Sværhedsgrad",
        "difficulty_cooperative": "Samarbejdsvillig",
        "difficulty_realistic": "Realistisk",
        "difficulty_resistant": "Modvillig",
        "rehearse_start": "Start øvelsen",
        "rehearse_situation": "Situation:",
        "rehearse_you_talk_to": "Du taler med:",
        "rehearse_your_goal": "Dit mål:",
        "rehearse_criteria": "Succeskriterier:",
        "rehearse_message": "Det, du siger",
        "rehearse_timeout": "Timeout (tip)",
        "rehearse_switch": "Byt roller",
        "rehearse_switch_back": "Byt tilbage",
        "rehearse_debrief": "Afslut og få opsamling",
        "rehearse_rewind_to": "Gå tilbage til en af dine replikker",
        "rehearse_rewind": "Spol tilbage",
        "rehearse_branches": "Forgreninger af samtalen",
        "rehearse_none": "Start en øvelse først: vælg et scenarie, og tryk på Start øvelsen.",
        "rehearse_hint_title": "Coachens tip (den anden hører det ikke):",
        "rehearse_pick_line": "Vælg først en af dine replikker at gå tilbage til.",
        "rehearse_rewound": (
            "Spolet tilbage. Din gamle replik står i feltet: ret den, og send. Den tidligere "
            "udgave ligger under Forgreninger."
        ),
        "rehearse_debrief_working": "Skriver din opsamling…",
        "rehearse_swapped_note": "(byttede roller)",
        "rehearse_warning": "Bemærk: dette svar er måske faldet ud af rollen.",
        "tab_qa": "Spørgerunde",
        "qa_intro": (
            "Øv spørgsmålene efter en præsentation. Indsæt dine noter eller upload en fil, og "
            "vælg publikum og antal spørgsmål; hvert spørgsmål nævner den del af noterne, det "
            "går efter, fx [§2]. Under hvert svar: længden, taletiden ved cirka 140 ord i "
            "minuttet, og om din første sætning svarede på spørgsmålet."
        ),
        "qa_notes": "Dine præsentationsnoter",
        "qa_notes_placeholder": "Indsæt dine noter; overskrifter eller tomme linjer deler dem op",
        "qa_upload": "Eller upload noter (.md, .txt, .pdf)",
        "qa_audience": "Publikum",
        "qa_audience_sceptical_executive": "Skeptisk direktør",
        "qa_audience_technical_expert": "Teknisk ekspert",
        "qa_audience_newcomer": "Nyansat",
        "qa_audience_hostile_stakeholder": "Fjendtlig interessent",
        "qa_questions": "Antal spørgsmål",
        "qa_start": "Start spørgerunden",
        "qa_answer": "Dit svar",
        "qa_metrics": "{words} ord · ~{seconds} s · svarede direkte i første sætning: {direct}",
        "qa_yes": "ja",
        "qa_no": "nej",
        "qa_progress": "Spørgsmål {asked} af {questions}",
        "qa_done": "Spørgerunden er slut. Start en ny for at øve igen.",
        "qa_none": "Start en spørgerunde først: indsæt dine noter, og tryk på Start spørgerunden.",
        # debriefs: keep a goal, Q&A debrief, resume from History
        "debrief_goal_intro": (
            "**Gem én ting som mål.** Ret den til; coachen spørger, hvordan det gik, når du "
            "starter din næste refleksion."
        ),
        "debrief_goal_text": "Mål",
        "debrief_goal_measure": "Sådan ved du, at det er lykkedes",
        "debrief_goal_due": "Hvornår (ÅÅÅÅ-MM-DD)",
        "debrief_goal_save": "Gem som mål",
        "debrief_goal_empty": "Skriv målet først.",
        "qa_debrief": "Afslut og få en opsamling",
        "history_resume": "Genoptag",
        "history_resumed": "Session #{id} er åben igen under fanen {mode}.",
        "check_in_title": "Før du går i gang: hvordan går det med dine mål?",
        "check_in_answer": "Hvad er der sket siden sidst?",
        "check_in_save": "Gem indtjekning",
        "check_in_skip": "Spring over for nu",
        "check_in_empty": "Skriv et par ord først, eller tryk Spring over for nu.",
        "check_in_saved": "Indtjekning gemt. Opdatér fremskridtet under Mål, når du vil.",
        # scenario builder (Rehearse) and the "prepare" handover from Reflect
        "builder_accordion": "Byg dit eget scenarie",
        "builder_intro": (
            "Beskriv samtalen med dine egne ord, og tryk på **Lav et udkast**: modellen skriver "
            "et scenarie, som du kan rette. Eller udfyld felterne selv. Gemte scenarier er kun "
            "dine og står i scenarielisten ovenfor."
        ),
        "builder_words_situation": "Situationen med dine ord",
        "builder_words_situation_ph": "Hvad der skete, hvad du vil sige, hvorfor det er svært",
        "builder_words_counterpart": "Den anden person med dine ord",
        "builder_words_counterpart_ph": "Hvem de er, hvordan de reagerer, hvad de går op i",
        "builder_draft": "Lav et udkast",
        "builder_fields_intro": "**Scenariet** (ret hvad som helst, før du gemmer)",
        "builder_title": "Titel",
        "builder_situation": "Situation",
        "builder_goal": "Dit mål",
        "builder_criteria": "Succeskriterier",
        "builder_one_per_line": "Ét pr. linje",
        "builder_name": "Deres navn",
        "builder_role": "Deres rolle",
        "builder_personality": "Deres personlighed",
        "builder_cares": "Det, de går op i",
        "builder_hidden": "Skjulte bekymringer",
        "builder_hidden_info": "Én pr. linje; de siger dem kun, når du stiller gode spørgsmål",
        "builder_opening": "Deres første replik",
        "builder_opening_info": "Det første, de siger, når øvelsen starter",
        "builder_save": "Gem scenariet",
        "builder_load": "Ret det valgte scenarie",
        "builder_export": "Eksportér som fil",
        "builder_export_file": "Din scenariefil",
        "builder_import": "Importér en scenariefil (.md)",
        "builder_drafting": "Laver et udkast til scenariet … det kan tage et minut.",
        "builder_draft_failed": "Du kan også selv udfylde felterne nedenfor og gemme.",
        "builder_drafted": "Her er et udkast. Ret det, der ikke passer, og tryk så på Gem.",
        "builder_saved": "“{title}” er gemt og valgt i scenarielisten: tryk på Start øvelsen.",
        "builder_pick": "Vælg først et scenarie i listen.",
        "builder_loaded": "Det valgte scenarie står i felterne. Gemmer du, får du din egen kopi.",
        "builder_exported": "Din scenariefil er klar til at blive hentet.",
        "builder_imported": "“{title}” er importeret. Tjek felterne, og tryk så på Gem.",
        "builder_handover_empty": (
            "Beskriv situationen i felterne nedenfor, og tryk så på Lav et udkast."
        ),
        "builder_handover_drafting": (
            "Dine ord fra refleksionen står nedenfor. Laver et scenarie ud fra dem … "
            "det kan tage et minut."
        ),
        "builder_handover_failed": (
            "Dine ord fra refleksionen står i felterne nedenfor: tryk på Lav et udkast, når "
            "modellen er tilgængelig, eller udfyld felterne selv."
        ),
        "reflect_rehearse_this": "Øv samtalen",
        "builder_own": "{title} · din",
    },
}

LANGUAGE_CHOICES = [("English", "en"), ("Dansk", "da")]


def t(lang: str, key: str, **values: object) -> str:
    """The string for a key in a language (English when the language is unknown)."""
    table = STRINGS.get(lang, STRINGS["en"])
    text = table[key]
    return text.format(**values) if values else text
