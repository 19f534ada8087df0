"""Per-repository language sizes (bytes of code per language), as GitHub's linguist reports
them on `Repository.languages` and `GET /repos/{owner}/{repo}/languages`.

Derived from the repository and its visible commits alone (no generator state), so adding
it changed no other item of any world: a repository without a primary language has none;
otherwise its primary language is the largest (as on GitHub) and up to three companions
follow; every size grows with the added lines of the commits visible at the clock.
"""

from __future__ import annotations

from .entities import Commit, Repo

#: Linguist's colours for the languages the emulator uses.
COLORS: dict[str, str] = {
    "Python": "#3572A5",
    "TypeScript": "#3178c6",
    "Go": "#00ADD8",
    "Rust": "#dea584",
    "Java": "#b07219",
    "JavaScript": "#f1e05a",
    "Shell": "#89e051",
    "Dockerfile": "#384d54",
    "Makefile": "#427819",
    "CSS": "#663399",
    "HTML": "#e34c26",
    "Kotlin": "#A97BFF",
}

_COMPANIONS: dict[str, tuple[str, ...]] = {
    "Python": ("Shell", "Dockerfile", "Makefile"),
    "TypeScript": ("JavaScript", "CSS", "HTML"),
    "Go": ("Makefile", "Shell", "Dockerfile"),
    "Rust": ("Shell", "Python", "Makefile"),
    "Java": ("Kotlin", "Shell", "Dockerfile"),
}

#: Bytes one added line contributes (an average source line with its newline).
BYTES_PER_LINE = 40


def repository_languages(repo: Repo, commits: list[Commit]) -> list[tuple[str, int]]:
    """(language, bytes), largest first (ties by name), for the visible `commits`."""
    if repo.language is None:
        return []
    companions = _COMPANIONS.get(repo.language, ())[: repo.id % 4]
    # The primary's weight (1000) beats any companion's (at most 333 + 36).
    weights = [(repo.language, 1000)] + [
        (name, 1000 // (3 * (i + 1)) + (repo.id + i) % 37) for i, name in enumerate(companions)
    ]
    total = 20_000 + repo.id % 50_000 + BYTES_PER_LINE * sum(c.additions for c in commits)
    whole = sum(w for _, w in weights)
    sizes = [(name, total * w // whole) for name, w in weights]
    return sorted(sizes, key=lambda s: (-s[1], s[0]))
