"""Offline GitHub emulator: REST + GraphQL over a deterministically generated world.

It imports nothing from the rest of `loaders`: the loaders must treat it exactly like
api.github.com (or a GitHub Enterprise base URL). Entry points:

- `loaders.emulator.server.EmulatorServer` — the threaded HTTP server;
- `loaders.emulator.testing.run_emulator` — in-process server for tests;
- `loaders.emulator.schema.SDL` / `build_github_schema()` — the GraphQL schema subset.
"""
