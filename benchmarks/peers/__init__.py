"""Peers run against the emulator for `benchmarks/peers.py`: each in its own virtual
environment under `.peers/` (never the project's dependencies), confined to loopback by
`sitecustomize.py`. See docs/peers.md."""
