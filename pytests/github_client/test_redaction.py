"""Tokens never reach exception messages, logs, reprs, stats or budget snapshots."""

from __future__ import annotations

import logging

import pytest

from loaders.github import BadCredentials, Forbidden, GraphQLErrors, TransientError

from .conftest import TOKENS
from .fake_github import Answer

PATH = "/repos/o/r/issues"


def _assert_clean(text: str) -> None:
    for token in TOKENS:
        assert token not in text


def test_no_token_in_errors_logs_or_reprs(fake, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    # A hostile/buggy server echoing the Authorization header back into its messages.
    echo = f"token {TOKENS[1]} is not allowed"
    fake.script(
        "GET",
        PATH,
        Answer(502),
        Answer(drop=True),
        Answer(403, {"message": echo}),
        Answer(401, {"message": "Bad credentials"}),
        Answer(422, {"message": echo}),
    )
    fake.always("POST", "/graphql", Answer(200, {"errors": [{"message": "nope"}]}))
    fake.budget(TOKENS[0], "core", remaining=1)
    client = make_client(tokens=TOKENS[:2])

    captured: list[str] = []
    with pytest.raises(Forbidden) as forbidden:
        client.rest(PATH)
    captured.append(str(forbidden.value))
    with pytest.raises(BadCredentials) as bad:
        client.rest(PATH)
    captured.append(str(bad.value))
    captured.append(repr(bad.value))
    with pytest.raises(Exception) as unexpected:
        client.rest(PATH)
    captured.append(str(unexpected.value))
    with pytest.raises(GraphQLErrors) as gql:
        client.graphql("query { viewer { login } }")
    captured.append(str(gql.value))

    assert "***" in captured[0]
    captured += [
        repr(client),
        repr(client.settings),
        str(client.settings),
        repr(client._transport),
        str(client.stats.as_dict()),
        str(client.budget.snapshot()),
        caplog.text,
    ]
    for text in captured:
        _assert_clean(text)
    assert "token #2 of GITHUB_TOKENS" in str(bad.value)
    # ...while the server really did receive the token, so the test would notice a leak.
    assert fake.requests_to(PATH)[0].token == TOKENS[1]


def test_exhausted_transport_error_hides_the_request(fake, make_client):
    fake.always("GET", PATH, Answer(drop=True))
    client = make_client(max_retries=1)
    with pytest.raises(TransientError) as info:
        client.rest(PATH)
    assert info.value.__cause__ is None and info.value.__context__ is None
    _assert_clean(str(info.value))
