"""GitHub's failure answers, as its clients meet them, for the injected fault kinds.

Shapes from GitHub's documentation and from what its API is seen to answer:
- 502/504 from the edge come as an HTML page, not JSON;
- a secondary rate limit may come as 403 or 429 *without* `retry-after`
  (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api);
- GraphQL reports rate limits, node limits, resource limits and execution timeouts with
  HTTP 200 and an `errors` list
  (https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api).
"""

from __future__ import annotations

SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
TIMEOUT_MESSAGE = (
    "Something went wrong while executing your query. This may be the result of a timeout, "
    "or it could be a GitHub bug. Please include `E3A1:2B4C:5D6E7F:8091A2:6571B3C4` when "
    "reporting this issue."
)
REST_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"

_HTML = {
    502: "<html><head><title>502 Bad Gateway</title></head><body><h1>Unicorn!</h1>"
    "<p>No server is currently available to service your request.</p></body></html>",
    504: "<html><head><title>504 Gateway Time-out</title></head><body>"
    "<p>The server did not respond in time.</p></body></html>",
}


def html_page(status: int) -> bytes:
    return _HTML[status].encode()


def graphql_errors(kind: str, user_id: int) -> list[dict]:
    """The `errors` of an HTTP 200 GraphQL answer carrying no data."""
    if kind == "rate_limited":
        return [
            {
                "type": "RATE_LIMITED",
                "code": "graphql_rate_limit",
                "message": f"API rate limit already exceeded for user ID {user_id}.",
            }
        ]
    if kind == "max_node_limit":
        return [
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "path": ["query"],
                "message": "This query requests up to 1,010,000 possible nodes which exceeds "
                "the maximum limit of 500,000.",
            }
        ]
    if kind == "resource_limits":
        return [
            {
                "type": "RESOURCE_LIMITS_EXCEEDED",
                "message": "Resource limits for this query exceeded.",
            }
        ]
    return [{"message": TIMEOUT_MESSAGE}]  # timeout_200


def break_first_field(result: dict) -> dict:
    """`data` and `errors` together: the first top-level field (not `rateLimit`) comes back
    null with the timeout error on its path; the rest of the answer is intact."""
    data = result.get("data")
    if not isinstance(data, dict):
        return result
    for key, value in data.items():
        if isinstance(value, dict) and "resetAt" in value and "remaining" in value:
            continue  # the rateLimit block
        data[key] = None
        errors = list(result.get("errors") or [])
        errors.append({"message": TIMEOUT_MESSAGE, "path": [key]})
        return {**result, "data": data, "errors": errors}
    return result
