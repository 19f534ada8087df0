"""Print the requirements of one optional-dependency extra of pyproject.toml, one per line.

`make spark-venv` installs only the `spark` extra into its own venv; `pip install '.[spark]'`
would also install the project and every runtime dependency there.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: extra_requirements.py EXTRA", file=sys.stderr)
        return 2
    extras = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    if argv[0] not in extras:
        print(f"no extra {argv[0]!r} in {PYPROJECT}; have {sorted(extras)}", file=sys.stderr)
        return 2
    print("\n".join(extras[argv[0]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
