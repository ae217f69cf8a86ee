"""`python app.py [--insecure-no-auth]`: load settings, build the services, serve the page."""

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

import typer

from assistant.cli import serve_app


class WithoutIPython(importlib.abc.MetaPathFinder):
    """Treat IPython as not installed in the served app.

    Gradio imports IPython when it is installed (about 0.6 s at start here) only for its notebook
    magics and to ask "am I in a notebook?", which a served app never is; without IPython Gradio
    answers "no" as before. Only this process is affected, and not when it already runs IPython.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """Refuse IPython and its submodules; leave every other import to the next finder."""
        if fullname == "IPython" or fullname.startswith("IPython."):
            raise ModuleNotFoundError(f"No module named {fullname!r} (app.py)", name=fullname)
        return None


if __name__ == "__main__":
    if "IPython" not in sys.modules:
        sys.meta_path.insert(0, WithoutIPython())
    try:
        serve_app(insecure_no_auth="--insecure-no-auth" in sys.argv[1:])
    except typer.Exit as exc:  # a refusal, already explained on stderr
        sys.exit(exc.exit_code)
