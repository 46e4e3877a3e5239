"""Outgoing e-mail: the backend from ``EMAIL_URL`` and the sender. (The outbox's own knobs are in knobs.py.)"""

from .base import SITE_URL, env

# E-mail: console unless EMAIL_URL says otherwise (smtp://user:pass@host:port, smtp+tls://…).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/SSL …
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default=f"Samverkansportalen <no-reply@{SITE_URL.split('//')[-1].split(':')[0].split('/')[0]}>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
