"""Billing webhook receiver: Polar subscription events signed per Standard Webhooks."""

from loaders.webhook.handler import WebhookHandler, WebhookResponse
from loaders.webhook.polar import WebhookConfig, parse_event
from loaders.webhook.server import make_server
from loaders.webhook.signing import signed_headers, subscription_event

__all__ = [
    "WebhookConfig",
    "WebhookHandler",
    "WebhookResponse",
    "make_server",
    "parse_event",
    "signed_headers",
    "subscription_event",
]
