"""capped(): the session's chat model with one request's num_predict and nothing else changed."""

from assistant.config import Settings
from assistant.llm import DeferredChatModel, build_chat_model
from assistant.token_caps import TokenCaps, capped
from tests.fixtures.fake_models import ScriptedChatModel


def test_a_capped_chat_model_keeps_every_other_option():
    settings = Settings(num_ctx=4096, temperature=0.3, keep_alive="45m")
    model = build_chat_model(settings)
    limited = capped(model, 120)
    assert limited.num_predict == 120 and model.num_predict is None
    assert (limited.num_ctx, limited.temperature, limited.keep_alive) == (4096, 0.3, "45m")
    assert limited.model == model.model and limited.base_url == model.base_url


def test_the_apps_deferred_model_is_capped_through_the_model_it_builds():
    deferred = DeferredChatModel(lambda: build_chat_model(Settings()))
    assert capped(deferred, 200).num_predict == 200


def test_no_cap_and_models_without_num_predict_are_left_alone():
    fake = ScriptedChatModel()
    assert capped(fake, 50) is fake
    model = build_chat_model(Settings())
    assert capped(model, None) is model


def test_caps_come_from_settings():
    caps = TokenCaps.from_settings(Settings(persona_tokens=90, hint_tokens=150))
    assert (caps.persona, caps.hint, caps.warm_up) == (90, 150, 1)
