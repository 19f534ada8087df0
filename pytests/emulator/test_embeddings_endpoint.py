"""The emulator's OpenAI-compatible `/v1/embeddings`, over HTTP as any client sees it."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
import requests

from loaders.emulator.testing import EmulatorHandle, run_emulator


@pytest.fixture(scope="module")
def gh() -> Iterator[EmulatorHandle]:
    with run_emulator("small") as handle:
        yield handle


def _post(gh: EmulatorHandle, body: object, key: str = "sk-local") -> requests.Response:
    return requests.post(
        f"{gh.embeddings_url}/embeddings",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    )


def test_answers_openai_shaped_deterministic_unit_vectors(gh: EmulatorHandle) -> None:
    gh.script_embeddings([], dimension=32)
    body = {"model": "m", "input": ["crash on start", "crash on start", "docs typo"]}
    first, again = _post(gh, body).json(), _post(gh, body).json()
    assert first == again and first["object"] == "list" and first["model"] == "m"
    vectors = [d["embedding"] for d in first["data"]]
    assert [d["index"] for d in first["data"]] == [0, 1, 2]
    assert all(len(v) == 32 and math.isclose(sum(x * x for x in v), 1.0) for v in vectors)
    assert vectors[0] == vectors[1] != vectors[2]
    assert first["usage"] == {"prompt_tokens": 8, "total_tokens": 8}
    single = _post(gh, {"model": "m", "input": "one text", "dimensions": 8}).json()
    assert len(single["data"]) == 1 and len(single["data"][0]["embedding"]) == 8
    assert gh.embeddings_log()["requests"] == 3


@pytest.mark.parametrize(
    "body",
    [{"input": "no model"}, {"model": "m"}, {"model": "m", "input": [1]}, [1, 2],
     {"model": "m", "input": "x", "dimensions": 0}],
)  # fmt: skip
def test_bad_requests_get_openai_errors(gh: EmulatorHandle, body: object) -> None:
    answer = _post(gh, body)
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "invalid_request_error"


def test_scripted_faults_then_normal_answers(gh: EmulatorHandle) -> None:
    gh.script_embeddings(["429", "503", "dim:3"], dimension=16)
    limited = _post(gh, {"model": "m", "input": "x"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "0"
    assert _post(gh, {"model": "m", "input": "x"}).status_code == 503
    short = _post(gh, {"model": "m", "input": "x"}).json()
    assert len(short["data"][0]["embedding"]) == 3
    assert len(_post(gh, {"model": "m", "input": "x"}).json()["data"][0]["embedding"]) == 16
    assert requests.get(f"{gh.embeddings_url}/embeddings", timeout=5).status_code == 405
    with pytest.raises(ValueError, match="unknown embeddings fault"):
        gh.script_embeddings(["418"])
