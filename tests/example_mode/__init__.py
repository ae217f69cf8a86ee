"""A tiny extra mode, to prove a mode is one engine module, one tab module (and its prompts
and strings), registered with a ``ModeSpec`` and nothing else edited."""
