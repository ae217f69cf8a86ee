"""The embedding functions as Chroma sees them: registered, so a reopened collection gets the
same function back.

Importing this module imports chromadb (about half a second to a second), so
:mod:`assistant.knowledge.embeddings` loads it only when a function is built; import the classes
from there (or from :mod:`assistant.knowledge`).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from .embeddings import (
    BATCH_SIZE,
    MAX_TOKENS,
    EmbeddingUnavailable,
    ModelFiles,
    minilm_slug,
    minilm_vector_spec,
    ollama_slug,
    packaged_model_files,
    verify_model_files,
)


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX), mean-pooled, L2-normalised, padded to each batch's longest.

    The model loads lazily on the first call, so building the function (as Chroma does when it
    reopens a collection) costs nothing.
    """

    def __init__(
        self, files: ModelFiles | None = None, threads: int = 0, max_tokens: int = MAX_TOKENS
    ) -> None:
        self._files = files
        self._threads = threads
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    @staticmethod
    def name() -> str:
        """The name Chroma stores in the collection configuration."""
        return "peer-coach-minilm-l6-int8"

    @property
    def collection_slug(self) -> str:
        """A short, stable name of this embedding configuration (part of collection names)."""
        return minilm_slug(self.max_tokens)

    def vector_spec(self) -> dict[str, str | int]:
        """What decides this function's vectors (the model files are checked against the
        pinned sums when loaded), so shipped vectors are used only when they match."""
        return minilm_vector_spec(self.max_tokens)

    def default_space(self) -> Space:
        """Vectors are normalised, so cosine is the natural space."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Spaces the vectors make sense in."""
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        """Nothing machine-specific is stored: the files are found in the installed packages."""
        return {"threads": self._threads, "max_tokens": self.max_tokens}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        """Rebuild the function from a stored collection configuration."""
        return MiniLMEmbedding(
            threads=int(config.get("threads", 0)),
            max_tokens=int(config.get("max_tokens", MAX_TOKENS)),
        )

    def __call__(self, input: Documents) -> Embeddings:
        """Embed texts in batches; each batch is padded to its own longest text."""
        texts = list(input)
        if not texts:
            return []
        session, tokenizer = self._load()
        # Sorting by length keeps texts of similar length in one batch, so padding stays small.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            vectors[batch] = self._embed_batch(session, tokenizer, [texts[i] for i in batch])
        return list(vectors)

    def warm_up(self) -> None:
        """Load and verify the model now instead of at the first call."""
        self._load()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                files = self._files or packaged_model_files()
                verify_model_files(files)
                tokenizer = Tokenizer.from_file(str(files.tokenizer))
                tokenizer.enable_truncation(max_length=self.max_tokens)
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                if self._threads:
                    options.intra_op_num_threads = self._threads
                self._session = onnxruntime.InferenceSession(
                    str(files.model), sess_options=options, providers=["CPUExecutionProvider"]
                )
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    @staticmethod
    def _embed_batch(session: Any, tokenizer: Any, texts: list[str]) -> np.ndarray:
        encoded = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        (hidden,) = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@register_embedding_function
class OllamaEmbedding(EmbeddingFunction[Documents]):
    """Embeddings from a model served by Ollama (``/api/embed``); the client starts on first use."""

    def __init__(
        self,
        model: str,
        host: str = "http://127.0.0.1:11434",
        connect_timeout: float = 5.0,
        read_timeout: float = 120.0,
    ) -> None:
        self.model = model
        self.host = host
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._client: Any = None

    @staticmethod
    def name() -> str:
        """The name Chroma stores in the collection configuration."""
        return "peer-coach-ollama"

    @property
    def collection_slug(self) -> str:
        """A short, stable name of this embedding configuration (part of collection names)."""
        return ollama_slug(self.model)

    def default_space(self) -> Space:
        """Compare Ollama vectors by angle."""
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        """Model, host and timeouts: enough to rebuild the function."""
        return {
            "model": self.model,
            "host": self.host,
            "connect_timeout": self.connect_timeout,
            "read_timeout": self.read_timeout,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OllamaEmbedding:
        """Rebuild the function from a stored collection configuration."""
        return OllamaEmbedding(
            model=config["model"],
            host=config.get("host", "http://127.0.0.1:11434"),
            connect_timeout=float(config.get("connect_timeout", 5.0)),
            read_timeout=float(config.get("read_timeout", 120.0)),
        )

    def __call__(self, input: Documents) -> Embeddings:
        """Embed texts with one ``/api/embed`` request per batch."""
        texts = list(input)
        if not texts:
            return []
        if self._client is None:
            import httpx
            import ollama

            timeout = httpx.Timeout(self.read_timeout, connect=self.connect_timeout)
            self._client = ollama.Client(host=self.host, timeout=timeout)
        vectors: list[np.ndarray] = []
        for start in range(0, len(texts), BATCH_SIZE):
            response = self._embed(texts[start : start + BATCH_SIZE])
            vectors += [np.asarray(v, dtype=np.float32) for v in response.embeddings]
        return vectors

    def _embed(self, texts: list[str]) -> Any:
        import httpx
        import ollama

        try:
            return self._client.embed(model=self.model, input=texts)
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise EmbeddingUnavailable(
                    f"Ollama has no model {self.model!r}: run `ollama pull {self.model}`"
                ) from exc
            raise EmbeddingUnavailable(
                f"Ollama could not embed with {self.model!r}: {exc}"
            ) from exc
        except (ConnectionError, httpx.HTTPError) as exc:
            raise EmbeddingUnavailable(
                f"cannot reach Ollama at {self.host} for embeddings ({exc.__class__.__name__}); "
                "start it with `ollama serve` or set COACH_EMBEDDINGS=minilm"
            ) from exc
