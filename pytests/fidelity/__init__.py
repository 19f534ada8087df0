"""GitHub fidelity kit: the loaders and the emulator against GitHub's real schema and answers.

Reference data is fetched at test time from registries and cached under `.cache/fidelity`
(override with `WAREHOUSE_FIXTURE_CACHE`); nothing fetched is committed. Offline, tests skip
with the reason.

- `recorded.py`: fetch/cache (`npm pack`, `pip download`), GitHub's GraphQL schema
  (`real_schema()`), recorded exchanges (`octokit_recordings()`, `gidgethub_recordings()`).
- `openapi.py`: GitHub's REST description (`@octokit/openapi`) and a shape checker.
- `replay_server.py`: `ReplayServer(recordings, graphql=...)` serves recorded answers on
  127.0.0.1 (method + path + query; Link/Location rewritten to loopback).
- `synth.py`: GraphQL answers synthesised from the real schema (`sparse`: all nullable
  fields null, ghost authors; `full`: all filled plus unknown fields; `actor="Bot"`).
- `graphql_shape.py`, `rest_compare.py`, `schema_checks.py`: comparisons returning readable
  findings. `query_discovery.py`: the loaders' GraphQL texts (`loaders.sources.queries`).
- `endpoints.py`: the REST subset, the keys the raw tables need from each endpoint.
"""
