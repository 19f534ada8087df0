"""YAML loading that remembers the line of every value, so errors can point at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Location = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: invalid YAML: {problem}")
        self.line = line


class YamlFileUnreadable(ValueError):
    """The file is missing or cannot be read: not a YAML problem, and said as such."""

    def __init__(self, path: Path, error: OSError) -> None:
        if isinstance(error, FileNotFoundError):
            reason = "does not exist"
        elif isinstance(error, IsADirectoryError):
            reason = "is a directory, not a file"
        else:
            reason = f"cannot be read ({error.strerror or type(error).__name__})"
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


# PyYAML marks some problems where it noticed them, a line after the culprit: a key without
# its `:` is found missing on the next line, an unclosed quote or bracket at the end of the
# stream. The context mark (where the key, quote or bracket started) is the line to fix.
_CULPRIT_AT_CONTEXT = ("simple key", "quoted scalar", "flow")


def _error_line(error: yaml.MarkedYAMLError) -> int | None:
    context = error.context or ""
    if error.context_mark is not None and any(w in context for w in _CULPRIT_AT_CONTEXT):
        return error.context_mark.line + 1
    return error.problem_mark.line + 1 if error.problem_mark else None


def _to_python(node: yaml.Node, location: Location, lines: dict[Location, int]) -> Any:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            result[key] = _to_python(value_node, (*location, key), lines)
            # The key's line, not its value's: a block value (`repositories:` then its
            # items) starts a line below the key a message is about.
            lines[(*location, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*location, i), lines) for i, item in enumerate(node.value)]
    return yaml.safe_load(yaml.serialize(node))


def load_with_lines(path: Path) -> tuple[Any, dict[Location, int]]:
    """Parse `path` safely; return the data and a map from location path to line number."""
    try:
        text = path.read_text()
    except OSError as error:
        raise YamlFileUnreadable(path, error) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        problem = str(error.problem)
        if error.context:
            problem += f" ({error.context})"
        raise YamlSyntaxError(path, _error_line(error), problem) from None
    lines: dict[Location, int] = {}
    if node is None:
        return None, lines
    return _to_python(node, (), lines), lines


def line_for(location: Location, lines: dict[Location, int]) -> int | None:
    """Line of the deepest known prefix of `location` (pydantic locations can go deeper)."""
    for end in range(len(location), -1, -1):
        if location[:end] in lines:
            return lines[location[:end]]
    return None
