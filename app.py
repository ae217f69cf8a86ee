"""`python app.py [--insecure-no-auth]`: load settings, build the services, serve the page."""

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

import typer

from assistant.serving import serve_app


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


class WithoutGradioStubWriter(importlib.abc.MetaPathFinder):
    """Skip the editor stubs Gradio rewrites every time it is imported, in the served app.

    For each of its component classes (about 80), Gradio's ``create_or_modify_pyi`` reads and
    parses the class's source file, renders a stub from a template and compares it with the
    ``.pyi`` file installed next to it, which editors and type checkers read. That is about
    2 s of the 3-5 s ``import gradio`` takes on this machine, and it does nothing a served
    page needs: it only writes files, and the installed stubs are already there (any other
    import of Gradio, such as the tests, still refreshes them). Only this process is affected,
    and only when the function is there under that name; Gradio builds the same classes.
    """

    MODULE = "gradio.component_meta"
    FUNCTION = "create_or_modify_pyi"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """Find ``gradio.component_meta`` as usual, with a loader that drops the stub writer."""
        if fullname != self.MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _WithoutStubWriter(spec.loader, self.FUNCTION)
        return spec


class _WithoutStubWriter(importlib.abc.Loader):
    """Gradio's own loader for the module, then the stub writer replaced by a no-op."""

    def __init__(self, loader: Any, function: str) -> None:
        self._loader, self._function = loader, function

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        if callable(getattr(module, self._function, None)):
            setattr(module, self._function, _write_no_stubs)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... as the original
        if name.startswith("__") or name in ("_loader", "_function"):
            raise AttributeError(name)
        return getattr(self._loader, name)


def _write_no_stubs(*args: Any, **kwargs: Any) -> None:
    """Stands in for Gradio's stub writer in the served app."""


def install_import_hooks() -> None:
    """What this process imports differently from a plain ``import``: no IPython (unless it
    is already running) and no stub writing by Gradio (unless Gradio is already imported)."""
    if "IPython" not in sys.modules:
        sys.meta_path.insert(0, WithoutIPython())
    if "gradio" not in sys.modules:
        sys.meta_path.insert(0, WithoutGradioStubWriter())


if __name__ == "__main__":
    install_import_hooks()
    try:
        serve_app(insecure_no_auth="--insecure-no-auth" in sys.argv[1:])
    except typer.Exit as exc:  # a refusal, already explained on stderr
        sys.exit(exc.exit_code)
