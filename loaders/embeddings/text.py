"""The text an item is embedded from, and the hash that says when it changed.

Recipe (docs/embeddings.md): the title, a blank line, the body. NUL bytes and invalid
UTF-8 are dropped or replaced, runs of whitespace collapse to one space (markdown layout,
code fences and all, is kept as words), and the result is cut to the provider's character
limit at a word boundary. The content hash is computed in SQL over the raw title and body
(`CONTENT_HASH_SQL`), so finding what changed needs no text in Python.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def content_hash_sql(alias: str) -> str:
    """md5 of title, newline, body: the same function and bytes on DuckDB and PostgreSQL."""
    return f"md5(coalesce({alias}.title, '') || chr(10) || coalesce({alias}.body, ''))"


def item_text(title: str | None, body: str | None, max_chars: int) -> str:
    """The text embedded for one item; never empty (a placeholder for a blank item)."""
    raw = f"{title or ''}\n\n{body or ''}"
    # Text read back from either engine is valid UTF-8; this guards what a provider sees.
    clean = raw.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8", "replace")
    text = _SPACE.sub(" ", clean).strip()
    if len(text) > max_chars:
        cut = text[:max_chars]
        space = cut.rfind(" ")
        text = cut[:space] if space > max_chars // 2 else cut
    return text or "(empty)"
