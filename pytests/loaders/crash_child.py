"""Child process of the crash test: load the given repositories, then exit 0.

Usage: python -m pytests.loaders.crash_child SETTINGS_JSON API_URL TOKEN NAME...
"""

from __future__ import annotations

import sys

from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import load_repositories
from loaders.warehouse import WarehouseSettings, connect

from .helpers import targets


def main(argv: list[str]) -> int:
    settings = WarehouseSettings.model_validate_json(argv[0])
    client = GitHubClient(GitHubSettings(api_url=argv[1], tokens=[argv[2]], reserve=0))
    with connect(settings) as warehouse:
        # Small chunks: many commits, so kills land between, inside and after loads.
        load_repositories(warehouse, targets(argv[3:]), client=client, chunk_size=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
