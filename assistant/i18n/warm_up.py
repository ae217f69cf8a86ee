"""Strings of the warm-up notice: the model is loading or reading a new session's prompt."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "warm_up_loading": (
        "Loading the model… {seconds} s (you can start typing)",
        "Indlæser modellen… {seconds} s (du kan begynde at skrive)",
    ),
    "warm_up_reading": (
        "Preparing the conversation… {seconds} s (you can start typing)",
        "Gør samtalen klar… {seconds} s (du kan begynde at skrive)",
    ),
    "warm_up_cli": (
        "(The model is getting ready in the background; you can type your first line now.)",
        "(Modellen gør sig klar i baggrunden; du kan skrive din første replik nu.)",
    ),
}
