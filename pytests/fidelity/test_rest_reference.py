"""Calibrate the REST comparison on real data before trusting it on the emulator.

Real recorded answers must pass the same checks the emulator faces (apart from keys
GitHub added after they were recorded), the keys the loaders read must exist in real
answers, and the checker must catch each kind of wrong shape.
"""

from __future__ import annotations

import copy

import pytest

from .endpoints import ENDPOINTS, RATE_LIMIT_HEADERS, key_present
from .openapi import RestDescription
from .recorded import Recorded
from .rest_compare import compare_answer, header_problems


def _bodies(endpoint, recordings):
    # Single-object recordings (a release by tag) stand in for one-item lists.
    return [
        [r.body] if endpoint.is_list and isinstance(r.body, dict) else r.body
        for r in endpoint.recordings(recordings)
    ]


def test_recordings_cover_the_subset(all_recordings: list[Recorded]):
    covered = {e.name: len(e.recordings(all_recordings)) for e in ENDPOINTS}
    # Which endpoints GitHub recordings exist for, pinned so a fixture upgrade that
    # drops one is noticed. The rest are checked against the description only.
    assert {n for n, c in covered.items() if c} == {"repository", "issues", "pulls", "releases"}
    assert sum(covered.values()) >= 12, covered


def test_real_answers_pass_the_checks(all_recordings, rest_description):
    checked = 0
    for endpoint in ENDPOINTS:
        bodies = _bodies(endpoint, all_recordings)
        for body in bodies:
            problems = [
                p
                for p in compare_answer(endpoint, body, rest_description, bodies)
                # Recordings from 2017/2022 lack keys GitHub added since (`draft`,
                # `has_discussions`): "missing" is the one verdict that can't apply.
                if p.kind != "missing"
            ]
            assert not problems, f"{endpoint.name}: " + "; ".join(map(str, problems))
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_keys_the_loaders_read_exist_on_github(endpoint, all_recordings, rest_description):
    schema = rest_description.response_schema(endpoint.template)
    undocumented = [k for k in endpoint.used_keys if not rest_description.documents(schema, k)]
    assert not undocumented, f"{endpoint.template}: GitHub documents no {undocumented}"
    for body in _bodies(endpoint, all_recordings):
        # Keys GitHub documents but a recording predates are listed, not failed.
        absent = [k for k in endpoint.used_keys if not key_present(body, k)]
        assert set(absent) <= {"[].draft", "[].node_id", "has_discussions", "[].state_reason"}, (
            absent
        )


def test_real_answers_carry_the_rate_limit_headers(octokit_recordings: list[Recorded]):
    json_gets = [
        r
        for r in octokit_recordings
        if r.method == "GET"
        and r.status == 200
        and isinstance(r.body, dict | list)
        # search answers are `cache-control: no-cache` and carry no ETag
        and not r.route.startswith("/search/")
    ]
    for rec in json_gets:
        assert not header_problems(dict(rec.headers), RATE_LIMIT_HEADERS, paged=False), rec.source
        assert rec.header("ETag"), rec.source


def test_checker_catches_wrong_shapes(octokit_recordings, rest_description: RestDescription):
    issues = next(e for e in ENDPOINTS if e.name == "issues")
    real = next(r.body for r in issues.recordings(octokit_recordings))
    bad = copy.deepcopy(real)
    bad[0]["id"] = str(bad[0]["id"])  # wrong type
    bad[0]["stars"] = 3  # a key GitHub never sends
    bad[0]["number"] = None  # null where GitHub never sends null
    del bad[1]["title"]  # a key the loaders read
    bad[2]["user"]["type"] = 1  # wrong type, nested
    found = {(p.path, p.kind) for p in compare_answer(issues, bad, rest_description, [real])}
    assert {
        ("[].id", "type"),
        ("[].stars", "undocumented"),
        ("[].number", "null"),
        ("[].title", "missing"),
        ("[].user.type", "type"),
    } <= found, found
    assert compare_answer(issues, real, rest_description, [real]) == []


def test_header_check_flags_missing_names():
    problems = header_problems({"Content-Type": "text/html"}, RATE_LIMIT_HEADERS, paged=True)
    assert {p.path for p in problems} == {f"header {h}" for h in RATE_LIMIT_HEADERS} | {
        "header content-type"
    }
