"""Notifications about backfill jobs: a row in `control.notifications`, plus an optional JSON
POST (Slack-compatible `text`) delivered in the background with retries."""

from loaders.notifications.notifier import Notifier, NotifierSettings, post_json

__all__ = ["Notifier", "NotifierSettings", "post_json"]
