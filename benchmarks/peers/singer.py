"""meltanolabs-tap-github (a Singer tap, Meltano SDK) against the emulator.

Configured as for GitHub Enterprise (`api_url_base`), one personal token, the streams of
`SELECTED` picked in the catalog the tap discovers. A run's Singer `STATE` is the next
run's `--state`. The tap has no forks stream; discussion replies count as discussion
comments (this project's `discussion_comments` holds both).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from .rows import Rows, epoch

NAME = "tap-github"
# The tap's stream -> the benchmark's stream; `repositories` is the parent the others need.
SELECTED = {
    "repositories": None,
    "issues": "issues",
    "issue_comments": "comments",
    "pull_requests": "pull_requests",
    "reviews": "reviews",
    "commits": "commits",
    "stargazers": "stargazers",
    "releases": "releases",
    "events": "events",
    "discussions": "discussions",
    "discussion_comments": "discussion_comments",
    "discussion_comment_replies": "discussion_comments",
}


def environment(api: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB", "TAP_GITHUB"))}
    return {**env, "PEERS_EMULATOR_URL": api, "DO_NOT_TRACK": "1"}


def catalog(script: Path, config: Path, api: str, workdir: Path) -> Path:
    found = subprocess.run(
        [str(script), "--config", str(config), "--discover"],
        check=True,
        capture_output=True,
        text=True,
        env=environment(api),
    ).stdout
    doc = json.loads(found)
    for stream in doc["streams"]:
        for entry in stream["metadata"]:
            if entry["breadcrumb"] == []:
                entry["metadata"]["selected"] = stream["tap_stream_id"] in SELECTED
    path = workdir / "tap-github.catalog.json"
    path.write_text(json.dumps(doc))
    return path


def configure(workdir: Path, api: str, token: str, names: list[str]) -> Path:
    path = workdir / "tap-github.config.json"
    path.write_text(
        json.dumps(
            {
                "auth_token": token,
                "api_url_base": api,
                "repositories": names,
                "start_date": "2000-01-01T00:00:00Z",
            }
        )
    )
    return path


def run(
    script: Path, config: Path, cat: Path, api: str, workdir: Path, state: object, ids: dict
) -> tuple[Rows, dict[str, int], object, float, str | None]:
    """(records by stream, records emitted per stream, final state, seconds, error)."""
    args = [str(script), "--config", str(config), "--catalog", str(cat)]
    if state is not None:
        state_file = workdir / "tap-github.state.json"
        state_file.write_text(json.dumps(state))
        args += ["--state", str(state_file)]
    out_file, err_file = workdir / "tap-github.out.jsonl", workdir / "tap-github.err.log"
    started = time.perf_counter()
    with out_file.open("w") as out, err_file.open("w") as err:
        code = subprocess.run(args, stdout=out, stderr=err, env=environment(api)).returncode
    seconds = time.perf_counter() - started
    records: Rows = {s: {} for s in SELECTED.values() if s}
    emitted = dict.fromkeys(records, 0)
    final = state
    for line in out_file.open():
        message = json.loads(line)
        if message["type"] == "STATE":
            final = message["value"]
        if message["type"] != "RECORD" or not SELECTED.get(message["stream"]):
            continue
        stream, rec = SELECTED[message["stream"]], message["record"]
        emitted[stream] += 1
        key, updated = _key(stream, rec, ids)
        if key is not None:
            records[stream][key] = updated
    error = None if code == 0 else _last_error(err_file)
    return records, emitted, final, seconds, error


def _key(stream: str, rec: dict, ids: dict) -> tuple[str | None, int | None]:
    if stream == "issues" and rec.get("pull_request"):
        return None, None  # GitHub's /issues mixes pull requests in
    if stream == "commits":
        return rec["sha"], None
    if stream == "stargazers":
        return f"{rec['repo_id']}:{rec['user_id']}", None
    updated = epoch(rec.get("updated_at")) if stream in _UPDATED else None
    return str(rec["id"]), updated


_UPDATED = {"issues", "comments", "pull_requests", "discussions"}


def _last_error(path: Path) -> str:
    lines = [x for x in path.read_text().splitlines() if x.strip()]
    return lines[-1][-300:] if lines else "no output"
