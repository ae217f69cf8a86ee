"""The ``coach ingest``, ``coach vectors`` and ``coach search`` commands, added to the typer app
by register()."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import Library
from .embeddings import EmbeddingUnavailable
from .vectors import make_library_vectors, stale_vectors

if TYPE_CHECKING:
    from assistant.config import Settings


class LangChoice(StrEnum):
    """Languages of the library (``--lang``)."""

    da = "da"
    en = "en"


class KindChoice(StrEnum):
    """Kinds of entries (``--kind``), plus 'upload' for a user's own documents."""

    strategy = "strategy"
    activity = "activity"
    session_flow = "session-flow"
    example = "example"
    framework = "framework"
    question_bank = "question-bank"
    scenario = "scenario"
    upload = "upload"


class _ProgressBar:
    """Adapts ``progress(done, total)`` callbacks to typer progress bars (one per run of totals)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._done = 0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None or total != self._total or done < self._done:
            self.close()
            self._bar = typer.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
            self._done, self._total = 0, total
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add ``ingest``, ``vectors`` and ``search`` to ``app``; settings are loaded only when a
    command runs."""

    @app.command("ingest")
    def ingest(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(help="Files or folders to index (default: the whole library)."),
        ] = None,
    ) -> None:
        """Index the knowledge library: new and changed files are embedded, deleted ones removed.

        A missing or damaged index is rebuilt from the library and the stored uploads. Exits
        with status 1 when a file was skipped because it is broken.
        """
        library = Library.open(load_settings())
        library.indexing.log = lambda line: typer.echo(line, err=True)
        library.indexing.progress_lines = False  # the progress bar shows it
        bar = _ProgressBar("Embedding")
        try:
            report = library.ingest(paths or None, progress=bar)
        except EmbeddingUnavailable as exc:
            _fail(exc)
        finally:
            bar.close()
        for problem in report.problems:
            typer.echo(f"skipped {problem}", err=True)
        typer.echo(f"{report.collection}: {report.summary()}")
        if report.problems:
            raise typer.Exit(1)

    @app.command("vectors")
    def vectors(
        check: Annotated[
            bool,
            typer.Option("--check", help="Only say whether they are current (exit 1 if not)."),
        ] = False,
        everything: Annotated[
            bool,
            typer.Option("--all", help="Embed every chunk again, not only new and edited ones."),
        ] = False,
    ) -> None:
        """Make the vectors shipped with the built-in library (knowledge/.vectors/), so a first
        start need not embed it. Run it after editing knowledge files (it embeds the new and
        edited chunks); chunks without a shipped vector are embedded at ingest anyway, just
        more slowly.
        """
        from .chroma_embeddings import MiniLMEmbedding  # imports chromadb

        knowledge_dir = load_settings().knowledge_dir
        embedding = MiniLMEmbedding()  # shipped vectors are the built-in model's only
        stale = stale_vectors(knowledge_dir, embedding.collection_slug, embedding.vector_spec())
        if check:
            typer.echo(stale or "the shipped vectors are current", err=bool(stale))
            raise typer.Exit(1 if stale else 0)
        bar = _ProgressBar("Embedding")
        try:
            made = make_library_vectors(knowledge_dir, embedding, bar, everything=everything)
        except EmbeddingUnavailable as exc:
            _fail(exc)
        finally:
            bar.close()
        typer.echo(
            f"{made.path}: {made.vectors} vectors ({made.embedded} embedded now), "
            f"{made.size / 1024:.0f} KB"
        )

    @app.command("search")
    def search(
        query: Annotated[str, typer.Argument(help="What to look for, in Danish or English.")],
        lang: Annotated[
            LangChoice | None, typer.Option("--lang", help="Only this language.")
        ] = None,
        kind: Annotated[
            list[KindChoice] | None,
            typer.Option("--kind", help="Only these kinds (repeat the option for several)."),
        ] = None,
        k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many hits.")] = 5,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of hits.")] = False,
        user: Annotated[
            str | None, typer.Option("--user", help="Also search this user's uploads.")
        ] = None,
    ) -> None:
        """Search the knowledge library (one hit per entry, best section first)."""
        library = Library.open(load_settings())
        if library.needs_ingest():
            typer.echo("note: the index is not up to date; run `coach ingest`", err=True)
        try:
            hits = library.search(
                query,
                lang=lang.value if lang else None,
                kinds=[c.value for c in kind] if kind else None,
                k=k,
                user=user,
            )
        except EmbeddingUnavailable as exc:
            _fail(exc)
        if as_json:
            typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
            return
        if not hits:
            typer.echo("no hits")
        for number, hit in enumerate(hits, start=1):
            typer.echo(f"{number}. {hit.id} ({hit.lang}, {hit.kind})  {hit.score:.4f}")
            typer.echo(f"   {hit.title} > {hit.section}")
            typer.echo(textwrap.indent(textwrap.shorten(hit.text, 240), "   "))


def _fail(exc: Exception) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)
