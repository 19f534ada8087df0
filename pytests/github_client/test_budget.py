"""Budget discipline: the reserve is never crossed, tokens are picked by remaining budget."""

from __future__ import annotations

import pytest

from loaders.github import BadCredentials, BudgetExhausted
from loaders.github.budget import Budget

from .conftest import TOKENS
from .fake_github import START, Answer

PATH = "/repos/o/r/pulls"
OK = Answer(200, [])


def test_stops_before_the_request_that_would_cross_the_reserve(fake, make_client):
    fake.budget(TOKENS[0], "core", remaining=1003, reset=START + 1800)
    fake.always("GET", PATH, OK)
    client = make_client(reserve=1000)

    for _ in range(3):
        client.rest(PATH)
    assert fake.budget(TOKENS[0], "core").remaining == 1000
    with pytest.raises(BudgetExhausted) as info:
        client.rest(PATH)

    assert len(fake.requests_to(PATH)) == 3  # the fourth request was never sent
    assert info.value.resource == "core"
    assert info.value.resets_at.timestamp() == START + 1800
    assert "resets at" in str(info.value)
    assert not client.can_spend("core")


def test_graphql_estimate_is_checked_against_the_reserve(fake, make_client):
    fake.budget(TOKENS[0], "graphql", remaining=1010)
    fake.always("POST", "/graphql", Answer(200, {"data": {"viewer": {"login": "x"}}}, cost=10))
    client = make_client(reserve=1000)

    client.graphql("query { viewer { login } }", estimated_cost=10)
    with pytest.raises(BudgetExhausted) as info:
        client.graphql("query { viewer { login } }", estimated_cost=1)
    assert info.value.resource == "graphql"
    assert len(fake.requests_to("/graphql")) == 1


def test_picks_the_token_with_most_remaining(fake, make_client):
    fake.budget(TOKENS[0], "core", remaining=2000)
    fake.budget(TOKENS[1], "core", remaining=4000)
    fake.budget(TOKENS[2], "core", remaining=3000)
    fake.always("GET", PATH, OK)
    client = make_client(tokens=TOKENS)

    client.rest(PATH)
    assert fake.requests_to(PATH)[-1].token == TOKENS[1]
    assert client.budget.pick_token("core", 1) == 1
    assert len(fake.requests_to("/rate_limit")) == 3  # each token's budget read once


def test_spreads_load_as_budgets_converge(fake, make_client):
    fake.budget(TOKENS[0], "core", remaining=1002)
    fake.budget(TOKENS[1], "core", remaining=1004)
    fake.always("GET", PATH, OK)
    client = make_client(tokens=TOKENS[:2], reserve=1000)

    for _ in range(6):
        client.rest(PATH)
    used = [s.token for s in fake.requests_to(PATH)]
    assert used.count(TOKENS[0]) == 2 and used.count(TOKENS[1]) == 4
    with pytest.raises(BudgetExhausted):
        client.rest(PATH)


def test_primary_limit_hit_moves_to_the_next_token(fake, make_client):
    fake.budget(TOKENS[0], "core", remaining=4000)
    fake.budget(TOKENS[1], "core", remaining=3000)
    exhausted = Answer(
        403,
        {"message": "API rate limit exceeded for user."},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(START + 900))},
        rate_headers=False,
    )
    fake.script("GET", PATH, exhausted, OK)
    client = make_client(tokens=TOKENS[:2])

    assert client.rest(PATH).status == 200
    assert [s.token for s in fake.requests_to(PATH)] == [TOKENS[0], TOKENS[1]]
    assert client.budget.entry(0, "core").remaining == 0


def test_primary_limit_on_every_token_stops_cleanly(fake, make_client, clock):
    fake.always(
        "GET",
        PATH,
        Answer(
            429,
            {"message": "API rate limit exceeded"},
            cost=0,
            rate_headers=False,
            headers={
                "x-ratelimit-remaining": "0",
                "x-ratelimit-limit": "5000",
                "x-ratelimit-reset": str(int(START + 3000)),
            },
        ),
    )
    client = make_client(tokens=TOKENS[:2])
    with pytest.raises(BudgetExhausted) as info:
        client.rest(PATH)
    assert info.value.resets_at.timestamp() == START + 3000
    assert len(fake.requests_to(PATH)) == 2
    assert clock.sleeps == []


def test_waits_for_a_reset_that_is_near(fake, make_client, clock):
    fake.budget(TOKENS[0], "core", remaining=5, reset=START + 30)
    fake.always("GET", PATH, OK)
    client = make_client(reserve=5, max_wait_seconds=120)

    client.rest(PATH)

    assert clock.sleeps == [31.0]
    assert len(fake.requests_to("/rate_limit")) == 2  # before and after the reset
    assert client.budget.entry(0, "core").remaining == 4999


def test_does_not_wait_for_a_distant_reset(fake, make_client, clock):
    fake.budget(TOKENS[0], "core", remaining=5, reset=START + 600)
    client = make_client(reserve=5, max_wait_seconds=120)
    with pytest.raises(BudgetExhausted):
        client.rest(PATH)
    assert clock.sleeps == []


def test_bad_credentials_fail_fast_naming_the_position(fake, make_client, clock):
    fake.budget(TOKENS[1], "core", remaining=5000)
    fake.budget(TOKENS[0], "core", remaining=10)
    fake.script("GET", PATH, Answer(401, {"message": "Bad credentials"}, rate_headers=False))
    client = make_client(tokens=TOKENS[:2])
    with pytest.raises(BadCredentials) as info:
        client.rest(PATH)
    assert info.value.token_position == 2
    assert "token #2 of GITHUB_TOKENS" in str(info.value)
    assert len(fake.requests_to(PATH)) == 1
    assert clock.sleeps == []


def test_bad_credentials_on_rate_limit_check(fake, make_client):
    fake.script("GET", "/rate_limit", Answer(401, {"message": "Bad credentials"}))
    client = make_client()
    with pytest.raises(BadCredentials, match="token #1 of GITHUB_TOKENS"):
        client.rest(PATH)


def test_budget_share_caps_this_client(fake, make_client):
    fake.always("GET", PATH, OK)
    client = make_client(client_kwargs={"budget_share": 0.001})  # 5 of 5000
    for _ in range(5):
        client.rest(PATH)
    with pytest.raises(BudgetExhausted, match=r"budget share 0\.001"):
        client.rest(PATH)
    assert client.budget.entry(0, "core").spent_by_client == 5


def test_budget_share_from_settings_and_validation(make_client):
    assert make_client(budget_share=0.6).budget.share == 0.6
    with pytest.raises(ValueError):
        make_client(client_kwargs={"budget_share": 1.5})


def test_servers_without_rate_limits_are_unlimited(fake, make_client):
    fake.rate_limit_status = 404
    fake.always("GET", PATH, Answer(200, [], rate_headers=False))
    client = make_client(reserve=10_000)
    client.rest(PATH)
    assert client.can_spend("core", 10**9)
    assert client.budget.snapshot() == [
        {"token": 1, "resource": "core", "limit": None},
        {"token": 1, "resource": "graphql", "limit": None},
    ]


def test_refresh_and_snapshot(fake, make_client):
    fake.budget(TOKENS[0], "graphql", remaining=4321)
    fake.budget(TOKENS[1], "graphql", remaining=1234)
    client = make_client(tokens=TOKENS[:2])
    client.budget.refresh()

    rows = {(r["token"], r["resource"]): r for r in client.budget.snapshot()}
    assert rows[(1, "graphql")]["remaining"] == 4321
    assert rows[(2, "graphql")]["remaining"] == 1234
    assert client.resets_at("graphql").timestamp() == START + 3600
    assert client.stats.rate_limit_checks == 2 and client.stats.rest_calls == 0


def test_reserve_above_the_limit_is_explained(fake, make_client):
    fake.budget(None, "core", limit=60, remaining=60)
    client = make_client(tokens=[], reserve=1000)
    with pytest.raises(BudgetExhausted, match="not below the hourly limit 60"):
        client.rest(PATH)
    assert "anonymous" in client.settings.token_label(0)
    assert "authorization" not in fake.requests_to("/rate_limit")[0].headers


class TestBudgetUnit:
    def make(self, **kwargs) -> tuple[Budget, list[float]]:
        now = [1000.0]
        return Budget(2, reserve=kwargs.pop("reserve", 100), now=lambda: now[0], **kwargs), now

    def test_unknown_and_stale_windows(self):
        budget, now = self.make()
        assert budget.unknown_tokens("core") == [0, 1]
        budget.observe(0, "core", 5000, 4000, reset_at=2000)
        assert budget.is_known(0, "core")
        now[0] = 2000
        assert not budget.is_known(0, "core")  # the window reset since we looked
        assert budget.spendable(0, "core") == 0

    def test_clock_disagreement_keeps_the_last_reading(self):
        budget, _ = self.make()
        budget.observe(0, "core", 5000, 4000, reset_at=500)  # reset already "past" for us
        assert budget.is_known(0, "core")
        assert budget.spendable(0, "core") == 3900

    def test_new_window_restarts_share_accounting(self):
        budget, _ = self.make(share=0.5, reserve=0)
        budget.observe(0, "core", 100, 100, reset_at=2000)
        budget.record_spend(0, "core", 30)
        budget.observe(0, "core", 100, 70, reset_at=2000)
        assert budget.spendable(0, "core") == 20
        budget.observe(0, "core", 100, 100, reset_at=5600)
        assert budget.spendable(0, "core") == 50

    def test_mark_exhausted_without_prior_reading(self):
        budget, _ = self.make()
        budget.mark_exhausted(1, "graphql")
        assert budget.entry(1, "graphql").remaining == 0
        assert budget.earliest_reset("graphql") == 1000 + 3600
        assert budget.earliest_reset("core") is None

    def test_refresh_needs_a_client(self):
        budget, _ = self.make()
        with pytest.raises(RuntimeError):
            budget.refresh()
