import pytest

from assistant.config import Settings, normalize_ollama_host
from assistant.modes.history import Budget, estimate_tokens, trim_start
from assistant.prompts import PromptError, PromptLibrary


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("", "http://127.0.0.1:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:1234", "http://127.0.0.1:1234"),
        ("gpu-box:11434", "http://gpu-box:11434"),
        ("https://ollama.example", "https://ollama.example:443"),
        ("http://[::]:11434/", "http://[::1]:11434"),
    ],
)
def test_ollama_host_forms_become_callable_urls(raw, url):
    assert normalize_ollama_host(raw) == url


def test_settings_honour_documented_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:5555")
    monkeypatch.setenv("COACH_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_HOST", "0.0.0.0")
    monkeypatch.setenv("COACH_PORT", "7999")
    settings = Settings()
    assert settings.ollama_host == "http://127.0.0.1:5555"
    assert settings.model == "qwen2.5:7b"
    assert settings.data_dir == tmp_path
    assert (settings.host, settings.port) == ("0.0.0.0", 7999)
    assert settings.database_path == tmp_path / "coach.sqlite3"


def test_defaults_bind_locally():
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 7860
    assert settings.ollama_host == "http://127.0.0.1:9"  # from the test fixture's OLLAMA_HOST


def test_prompt_missing_variable_is_an_error(tmp_path):
    (tmp_path / "reflect").mkdir()
    (tmp_path / "reflect" / "system.en.md").write_text("Use {strategies} and {{braces}}.")
    library = PromptLibrary(tmp_path)
    assert library.render("reflect", "system", "en", strategies="X") == "Use X and {braces}."
    with pytest.raises(PromptError) as caught:
        library.render("reflect", "system", "en")
    assert "strategies" in caught.value.en
    with pytest.raises(PromptError):
        library.render("reflect", "missing", "en")


def test_shipped_prompts_render_in_both_languages():
    library = PromptLibrary(Settings().prompts_dir)
    for lang in ("en", "da"):
        system = library.render("reflect", "system", lang, strategies="NOTES", variant_focus="V")
        assert "NOTES" in system and "<reference>" in system and "[[next]]" in system
        for variant in ("open", "after-event", "prepare"):
            assert library.render("reflect", f"opening-{variant}", lang).endswith("?")
            assert library.render("reflect", f"variant-{variant}", lang)
    danish = library.render("reflect", "system", "da", strategies="", variant_focus="")
    assert "dansk" in danish


def test_trim_drops_whole_blocks_from_the_start():
    budget = Budget(num_ctx=2048, reply_reserve=1024)  # 1024 prompt tokens
    turns = [100] * 12
    assert trim_start(24, turns, budget, block=4) == 4  # 1200 > 1000 -> drop one block of 4
    assert trim_start(24, [100] * 9, budget, block=4) == 0
    assert trim_start(2000, turns, budget, block=4) == 12  # nothing fits


def test_trim_point_is_stable_as_history_grows():
    budget = Budget(num_ctx=4096, reply_reserve=1024)
    starts = [trim_start(500, [120] * n, budget, block=8) for n in range(1, 60)]
    assert starts == sorted(starts)
    assert len(set(starts)) < len(starts) / 4  # moves rarely, in big steps


def test_estimate_is_not_below_a_realistic_count():
    text = "Hvad er det vigtigste for dig i samtalen med din kollega i morgen?"
    assert estimate_tokens(text) >= len(text.split())


def test_a_trim_frees_a_third_of_the_window_so_trims_stay_rare():
    budget = Budget(num_ctx=4096, reply_reserve=1024)  # 3072 prompt tokens, anchors every 1024
    starts = [trim_start(500, [60] * n, budget, block=8) for n in range(1, 201)]
    assert starts == sorted(starts)
    changes = sum(a != b for a, b in zip(starts, starts[1:], strict=False))
    # 200 turns of 60 tokens overflow the window by about 9,400 tokens: a trim per 1,024 freed,
    # not one per block of 8 turns (480 tokens, which would be about 20 trims).
    assert 0 < changes <= 10
    for n, start in enumerate(starts, start=1):
        assert 500 + 60 * (n - start) <= budget.prompt_tokens
