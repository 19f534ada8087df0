"""A small OpenAI-compatible `/v1/embeddings` server on 127.0.0.1 for the provider tests.

Each request takes the next scripted answer (then `ok` forever): `ok`, an HTTP status
(`429` with `retry-after: 0`, `500`, `401` whose body echoes the key, like real servers
echo parts of it), or `dim:N` (vectors of the wrong length). Vectors are deterministic
(the offline provider's), tokens are words; every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loaders.embeddings import HashingProvider


@dataclass
class FakeServer:
    url: str
    script: list[str] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    dimension: int = 16


@contextmanager
def fake_openai(script: list[str] | None = None, dimension: int = 16) -> Iterator[FakeServer]:
    state = FakeServer("", list(script or []), dimension=dimension)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            state.requests.append({"auth": self.headers.get("authorization"), **body})
            action = state.script.pop(0) if state.script else "ok"
            if action == "429":
                self._send(429, {"error": {"message": "slow down"}}, {"retry-after": "0"})
            elif action in ("500", "503"):
                self._send(int(action), {"error": {"message": "overloaded"}})
            elif action == "401":
                message = f"Incorrect API key provided: {self.headers.get('authorization')}"
                self._send(401, {"error": {"message": message}})
            else:
                size = int(action.split(":")[1]) if action.startswith("dim:") else state.dimension
                vectors = HashingProvider(max(size, 16)).embed(body["input"]).vectors
                data = [
                    {"object": "embedding", "index": i, "embedding": v[:size]}
                    for i, v in enumerate(vectors)
                ]
                tokens = sum(len(t.split()) for t in body["input"])
                usage = {"prompt_tokens": tokens, "total_tokens": tokens}
                self._send(200, {"object": "list", "data": data, "usage": usage})

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
