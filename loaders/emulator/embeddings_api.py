"""An OpenAI-compatible `POST /v1/embeddings` beside the GitHub API, so the warehouse's
`openai` embedding provider (and any OpenAI-style client) runs offline against real HTTP.

Request and answer follow OpenAI's embeddings reference: `input` is a string or a list of
strings, `model` is required, `dimensions` optional; the answer is a `list` of `embedding`
objects with `index`, plus `usage` (`prompt_tokens`, `total_tokens`). Errors have OpenAI's
shape, `{"error": {"message", "type", "code"}}`.

Vectors are deterministic (each word hashed to a signed dimension, then normalised), so a
text always gets the same vector and texts sharing words point the same way. Tokens are
counted as words: enough to check a client's accounting, not a tokenizer.

Faults are scripted through the control plane (`POST /_emulator/embeddings`): each request
takes the next entry of the script, then answers normally. Entries: `ok`, `429` (with
`retry-after: 0`), `500`, `503`, `401` (its message echoes the key the client sent, as some
servers echo part of one: clients must redact errors themselves) and `dim:N` (vectors of
the wrong length N). Keys are optional and recorded as digests only.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from dataclasses import dataclass, field
from typing import Any

DEFAULT_DIMENSION = 64
MAX_DIMENSION = 4096
MAX_INPUTS = 2048  # OpenAI's documented limit on inputs per request


@dataclass
class EmbeddingsAnswer:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Request:
    key_digest: str
    model: str
    dimensions: int | None
    inputs: int
    tokens: int


def _error(status: int, message: str, kind: str, code: str | None = None) -> EmbeddingsAnswer:
    return EmbeddingsAnswer(status, {"error": {"message": message, "type": kind, "code": code}})


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def vector(text: str, dimension: int) -> list[float]:
    """Deterministic unit vector of `text`: every word adds ±1 to a hashed dimension."""
    values = [0.0] * dimension
    for word in text.lower().split():
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % dimension
        values[index] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in values))
    if norm == 0:
        values[0], norm = 1.0, 1.0  # an empty text still gets a valid unit vector
    return [v / norm for v in values]


class EmbeddingsApi:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.script: list[str] = []
        self.dimension = DEFAULT_DIMENSION
        self.requests: list[_Request] = []

    # -- control plane ----------------------------------------------------------------
    def configure(self, script: list[str] | None = None, dimension: int | None = None) -> None:
        for entry in script or []:
            if entry not in ("ok", "429", "500", "503", "401") and not entry.startswith("dim:"):
                raise ValueError(f"unknown embeddings fault {entry!r}")
        with self._lock:
            self.script = list(script or [])
            if dimension is not None:
                if not 1 <= int(dimension) <= MAX_DIMENSION:
                    raise ValueError(f"dimension must be 1..{MAX_DIMENSION}")
                self.dimension = int(dimension)
            self.requests.clear()

    def log(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": len(self.requests),
                "tokens": sum(r.tokens for r in self.requests),
                "log": [vars(r).copy() for r in self.requests],
            }

    # -- the endpoint -----------------------------------------------------------------
    def handle(self, method: str, headers: dict[str, str], body: bytes) -> EmbeddingsAnswer:
        if method != "POST":
            return _error(405, "Use POST for /v1/embeddings.", "invalid_request_error")
        auth = headers.get("authorization", "")
        # A key is optional, as on local OpenAI-compatible servers (Ollama, vLLM); a refused
        # key is the scripted `401` fault.
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        try:
            request = json.loads(body or b"{}")
            texts, model, dimensions = _parse(request)
        except (ValueError, TypeError) as exc:
            return _error(400, str(exc), "invalid_request_error")
        tokens = sum(len(t.split()) for t in texts)
        with self._lock:
            action = self.script.pop(0) if self.script else "ok"
            self.requests.append(_Request(key_digest(key), model, dimensions, len(texts), tokens))
            size = dimensions or self.dimension
        if action == "429":
            answer = _error(429, "Rate limit reached.", "requests", "rate_limit_exceeded")
            answer.headers["retry-after"] = "0"
            return answer
        if action in ("500", "503"):
            return _error(int(action), "The server is overloaded.", "server_error")
        if action == "401":
            return _error(401, f"Incorrect API key provided: {key}.", "invalid_request_error")
        if action.startswith("dim:"):
            size = int(action.split(":", 1)[1])
        data = [
            {"object": "embedding", "index": i, "embedding": vector(text, size)}
            for i, text in enumerate(texts)
        ]
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return EmbeddingsAnswer(
            200, {"object": "list", "data": data, "model": model, "usage": usage}
        )


def _parse(request: Any) -> tuple[list[str], str, int | None]:
    if not isinstance(request, dict):
        raise ValueError("The body must be a JSON object.")
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise ValueError("'model' is a required property.")
    raw = request.get("input")
    texts = [raw] if isinstance(raw, str) else raw
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise ValueError("'input' must be a non-empty string or list of strings.")
    if len(texts) > MAX_INPUTS:
        raise ValueError(f"'input' may hold at most {MAX_INPUTS} items.")
    dimensions = request.get("dimensions")
    if dimensions is not None and (
        not isinstance(dimensions, int) or not 1 <= dimensions <= MAX_DIMENSION
    ):
        raise ValueError(f"'dimensions' must be an integer 1..{MAX_DIMENSION}.")
    return texts, model, dimensions
