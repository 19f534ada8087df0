"""Command-line interface: one `warehouse` group, one module per room."""
