"""Deploying a built site: rsync over SSH or S3-compatible storage, in a safe order."""

from .publish import PHASES, PublishError, Target, publish, target_from_settings

__all__ = ["PHASES", "PublishError", "Target", "publish", "target_from_settings"]
