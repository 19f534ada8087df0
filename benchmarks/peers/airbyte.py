"""airbyte-source-github (Airbyte's declarative connector) against the emulator.

Configured for GitHub Enterprise (`api_url`), one personal token, the streams of
`SELECTED` incremental where the connector supports it. The last `STATE` message per
stream is the next run's `--state`. The connector has no forks stream.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from .rows import Rows, epoch
from .singer import environment

NAME = "airbyte-github"
SELECTED = {
    "issues": "issues",
    "comments": "comments",
    "pull_requests": "pull_requests",
    "reviews": "reviews",
    "commits": "commits",
    "stargazers": "stargazers",
    "releases": "releases",
    "events": "events",
}


def configure(workdir: Path, api: str, token: str, names: list[str]) -> Path:
    path = workdir / "airbyte-github.config.json"
    path.write_text(
        json.dumps(
            {
                "credentials": {"option_title": "PAT Credentials", "personal_access_token": token},
                "api_url": api,
                "repositories": names,
                "start_date": "2000-01-01T00:00:00Z",
            }
        )
    )
    return path


def catalog(script: Path, config: Path, api: str, workdir: Path) -> Path:
    found = subprocess.run(
        [str(script), "discover", "--config", str(config)],
        check=True,
        capture_output=True,
        text=True,
        env=environment(api),
    ).stdout
    streams = []
    for line in found.splitlines():
        message = json.loads(line)
        if message.get("type") != "CATALOG":
            continue
        for s in message["catalog"]["streams"]:
            if s["name"] not in SELECTED:
                continue
            incremental = "incremental" in s["supported_sync_modes"]
            streams.append(
                {
                    "stream": s,
                    "sync_mode": "incremental" if incremental else "full_refresh",
                    "destination_sync_mode": "append",
                    "cursor_field": s.get("default_cursor_field") or [],
                }
            )
    path = workdir / "airbyte-github.catalog.json"
    path.write_text(json.dumps({"streams": streams}))
    return path


def run(
    script: Path, config: Path, cat: Path, api: str, workdir: Path, state: object, ids: dict
) -> tuple[Rows, dict[str, int], object, float, str | None]:
    """(records by stream, records emitted per stream, final state, seconds, error)."""
    args = [str(script), "read", "--config", str(config), "--catalog", str(cat)]
    if state:
        state_file = workdir / "airbyte-github.state.json"
        state_file.write_text(json.dumps(state))
        args += ["--state", str(state_file)]
    out_file, err_file = workdir / "airbyte-github.out.jsonl", workdir / "airbyte-github.err.log"
    started = time.perf_counter()
    with out_file.open("w") as out, err_file.open("w") as err:
        code = subprocess.run(args, stdout=out, stderr=err, env=environment(api)).returncode
    seconds = time.perf_counter() - started
    records: Rows = {s: {} for s in SELECTED.values()}
    emitted = dict.fromkeys(records, 0)
    states: dict[str, dict] = {}
    errors: list[str] = []
    for line in out_file.open():
        message = json.loads(line)
        kind = message.get("type")
        if kind == "STATE" and "stream" in message["state"]:
            s = message["state"]
            states[s["stream"]["stream_descriptor"]["name"]] = {
                "type": "STREAM",
                "stream": s["stream"],
            }
        elif kind == "TRACE" and message["trace"].get("type") == "ERROR":
            errors.append(message["trace"]["error"].get("message", "")[:300])
        elif kind == "RECORD" and message["record"]["stream"] in SELECTED:
            stream = SELECTED[message["record"]["stream"]]
            emitted[stream] += 1
            key, updated = _key(stream, message["record"]["data"], ids)
            if key is not None:
                records[stream][key] = updated
    final = list(states.values()) or state
    error = "; ".join(errors) or (None if code == 0 else f"exit code {code}")
    return records, emitted, final, seconds, error


def _key(stream: str, rec: dict, ids: dict) -> tuple[str | None, int | None]:
    if stream == "issues" and rec.get("pull_request"):
        return None, None  # GitHub's /issues mixes pull requests in
    if stream == "commits":
        return rec["sha"], None
    if stream == "stargazers":
        return f"{ids[rec['repository'].lower()]}:{rec['user_id']}", None
    updated = epoch(rec.get("updated_at")) if stream in _UPDATED else None
    return str(rec["id"]), updated


_UPDATED = {"issues", "comments", "pull_requests"}
