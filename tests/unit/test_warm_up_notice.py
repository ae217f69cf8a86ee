"""The page's warm-up notice: 'Loading the model… 4 s' with a progress bar, in both languages,
only while a warm-up runs."""

from assistant.ui.status import EXPECTED_WARM_UP_SECONDS, warm_up_notice
from assistant.warm_up import WarmUpProgress


def test_loading_shows_the_seconds_and_a_bar_in_the_pages_language():
    progress = WarmUpProgress("loading", started=100.0)
    english = warm_up_notice(progress, "en", now=104.2)
    assert "Loading the model… 4 s" in english and "<progress" in english
    percent = round(4.2 / EXPECTED_WARM_UP_SECONDS * 100)
    assert f'value="{percent}"' in english
    assert "Indlæser modellen… 4 s" in warm_up_notice(progress, "da", now=104.2)


def test_reading_a_resident_models_prompt_says_so():
    notice = warm_up_notice(WarmUpProgress("reading", started=0.0), "en", now=2.0)
    assert "Preparing the conversation… 2 s" in notice


def test_the_bar_never_claims_to_be_done_while_it_runs():
    notice = warm_up_notice(WarmUpProgress("loading", started=0.0), "en", now=600.0)
    assert 'value="95"' in notice


def test_nothing_once_it_ended_or_without_one():
    assert warm_up_notice(None, "en") == ""
    for phase in ("ready", "skipped", "abandoned", "failed"):
        assert warm_up_notice(WarmUpProgress(phase, 0.0, finished=3.0), "en", now=9.0) == ""
