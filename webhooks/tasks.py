"""The webhooks' Celery tasks, as Celery's autodiscovery finds them (``<app>.tasks``); defined in
``delivery.py`` beside the services that queue them (``webhooks.tasks.deliver``, ``webhooks.tasks.sweep``)."""

from .delivery import deliver, sweep

__all__ = ["deliver", "sweep"]
