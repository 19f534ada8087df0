"""Standard Webhooks signature check (the `standardwebhooks` library does the cryptography).

Headers `webhook-id`, `webhook-timestamp`, `webhook-signature`; HMAC-SHA256 over
`{id}.{timestamp}.{body}`; timestamps more than 5 minutes off are refused (the library's
fixed tolerance, which is also the spec's recommendation).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET_PREFIX = "whsec_"


class SignatureInvalid(Exception):
    """The delivery is not provably from the billing provider; the reason is safe to show."""


def webhook_for_secret(secret: str) -> Webhook:
    """Build the verifier from the configured secret.

    Standard Webhooks secrets are `whsec_<base64>`. Polar hands out a plain string and its
    own SDKs base64-encode it before verifying, so a secret without the prefix is used as raw
    key bytes, exactly as Polar signs with it.
    """
    if not secret:
        raise ValueError("WAREHOUSE_WEBHOOK_SECRET is empty: set it to the endpoint's secret")
    if secret.startswith(SECRET_PREFIX):
        encoded = secret[len(SECRET_PREFIX) :].rstrip("=")
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error:
            key = b""
        if not key:
            raise ValueError("WAREHOUSE_WEBHOOK_SECRET starts with whsec_ but is not base64")
        return Webhook(key)
    return Webhook(secret.encode())


def verify(webhook: Webhook, body: bytes, headers: Mapping[str, str]) -> str:
    """Check the signature and timestamp; return the `webhook-id`. Raises `SignatureInvalid`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    missing = [
        h for h in ("webhook-id", "webhook-timestamp", "webhook-signature") if not lowered.get(h)
    ]
    if missing:
        raise SignatureInvalid(f"missing header(s): {', '.join(missing)}")
    try:
        webhook.verify(body, lowered, json_parse=False)
    except WebhookVerificationError as exc:
        raise SignatureInvalid(str(exc)) from None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        # Garbled signature lists ("v1" without a comma, bad base64) or a non-UTF-8 body.
        raise SignatureInvalid("malformed webhook-signature header or body") from None
    return lowered["webhook-id"]
