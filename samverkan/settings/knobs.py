"""Each app's own knobs: limits, rates and retention periods of the outbox, meetings, organisations,
selection rounds (elections), consultations and challenges.

The periodic jobs that act on the retention periods are in celery.py (the beat schedule).
"""

from datetime import timedelta

from .base import env

# Outbox: retries, the SMTP connection kept between e-mails, when a row counts as stuck, how long rows stay.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
# A worker keeps its SMTP connection open between e-mails for this long idle (0: a connection per e-mail).
OUTBOX_SMTP_REUSE_SECONDS = env.int("OUTBOX_SMTP_REUSE_SECONDS", default=30)
OUTBOX_STUCK_AFTER = timedelta(seconds=env.int("OUTBOX_STUCK_AFTER_SECONDS", default=300))
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=365)
OUTBOX_QUEUED_GRACE = timedelta(seconds=env.int("OUTBOX_QUEUED_GRACE_SECONDS", default=60))

# Selection rounds: how long a candidate's accept/decline link works, and when the reminder to
# organisations that have not voted goes out (days before voting closes).
ELECTIONS_CANDIDATE_LINK_DAYS = env.int("ELECTIONS_CANDIDATE_LINK_DAYS", default=60)
ELECTIONS_REMINDER_DAYS = env.int("ELECTIONS_REMINDER_DAYS", default=2)
# Days after a round's result is published until candidates' addresses and who acted by person are removed.
ELECTIONS_RETENTION_DAYS = env.int("ELECTIONS_RETENTION_DAYS", default=90)
# After a count the ballot tables are rewritten so the opened boxes leave the files (elections/services/voting.py):
# the rewrite waits this long for sessions that still see them, and the hourly job tries again for these hours.
ELECTIONS_COMPACT_WAIT_SECONDS = env.float("ELECTIONS_COMPACT_WAIT_SECONDS", default=10.0)
ELECTIONS_COMPACT_HOURS = env.int("ELECTIONS_COMPACT_HOURS", default=48)
# Master key of the sealed ballots (elections/ballots.py): 32 random bytes in base64, several
# comma-separated with the one in use first. Unset: derived from SECRET_KEY (check --deploy warns).
ELECTIONS_BALLOT_KEY = env("ELECTIONS_BALLOT_KEY", default="")
# Nominations in selection rounds: POSTs of the form per user and per nominating organisation
# (django-ratelimit rates), and the candidate e-mails they cause, counted in the database: at most
# so many per nominating user and hour, and one address is asked at most once in so many hours.
ELECTIONS_NOMINATION_RATE = env("ELECTIONS_NOMINATION_RATE", default="10/h")
ELECTIONS_NOMINATION_ORGANISATION_RATE = env("ELECTIONS_NOMINATION_ORGANISATION_RATE", default="20/h")
ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR = env.int("ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR", default=5)
ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS = env.int("ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS", default=24)

# POSTs per client IP on the public sign-up and interest forms (django-ratelimit rates: "10/m", "100/h").
MEETINGS_REGISTRATION_RATE = env("MEETINGS_REGISTRATION_RATE", default="10/m")
ORGANISATIONS_INTEREST_RATE = env("ORGANISATIONS_INTEREST_RATE", default="10/m")
ACCESSIBILITY_REPORT_RATE = env("ACCESSIBILITY_REPORT_RATE", default="10/m")
# Reports of accessibility shortcomings (with the sender's name and address) are deleted this many days after
# they were sent: long enough to answer, fix and follow up, as the accessibility statement says.
ACCESSIBILITY_REPORT_RETENTION_DAYS = env.int("ACCESSIBILITY_REPORT_RETENTION_DAYS", default=365)
# Retention (run by the daily purge): registrations are anonymised this many days after their meeting
# ended; organisations that were never verified are deleted this many days after their last submission.
MEETINGS_REGISTRATION_RETENTION_DAYS = env.int("MEETINGS_REGISTRATION_RETENTION_DAYS", default=90)
ORGANISATIONS_UNVERIFIED_RETENTION_DAYS = env.int("ORGANISATIONS_UNVERIFIED_RETENTION_DAYS", default=365)
# Consultations: drafts never submitted and who answered by person go this many days after the compilation
# is published (or after the deadline when none is); challenges: who raised or joined by person goes this
# many days after the challenge was concluded or declined.
CONSULTATIONS_RETENTION_DAYS = env.int("CONSULTATIONS_RETENTION_DAYS", default=90)
CONSULTATIONS_UNCOMPILED_RETENTION_DAYS = env.int("CONSULTATIONS_UNCOMPILED_RETENTION_DAYS", default=365)
CHALLENGES_RETENTION_DAYS = env.int("CHALLENGES_RETENTION_DAYS", default=90)

# Webhooks (webhooks/): the short timeouts of a request to a partner, the delays before each retry (seconds;
# one attempt more than delays), how many events in a row may fail every attempt before the endpoint is
# disabled, when a claimed attempt counts as stuck, and how long a queued attempt may wait for its task
# before the sweeper queues it again. WEBHOOKS_ALLOW_LOOPBACK lets endpoints on 127.0.0.1 (http too)
# through the address check: for tests and drills only, never in production.
WEBHOOKS_CONNECT_TIMEOUT = env.float("WEBHOOKS_CONNECT_TIMEOUT", default=3.0)
WEBHOOKS_READ_TIMEOUT = env.float("WEBHOOKS_READ_TIMEOUT", default=5.0)
WEBHOOKS_RETRY_DELAYS = [
    int(seconds) for seconds in env.list("WEBHOOKS_RETRY_DELAYS", default=["60", "300", "1800", "7200", "43200"])
]
WEBHOOKS_DISABLE_AFTER = env.int("WEBHOOKS_DISABLE_AFTER", default=10)
WEBHOOKS_STUCK_AFTER = timedelta(seconds=env.int("WEBHOOKS_STUCK_AFTER_SECONDS", default=120))
WEBHOOKS_QUEUED_GRACE = timedelta(seconds=env.int("WEBHOOKS_QUEUED_GRACE_SECONDS", default=60))
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)
# Finished delivery attempts (and events with none left) are deleted this many days after they finished.
WEBHOOKS_RETENTION_DAYS = env.int("WEBHOOKS_RETENTION_DAYS", default=90)
# Notifications on Mina sidor (read or not) and older digest records are deleted this many days after they were made.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=365)
# An account whose e-mail address was never confirmed (so never used: the login needs it) is deleted this many
# days after it was opened, unless a coordinator linked it to an organisation meanwhile.
ACCOUNTS_UNCONFIRMED_DAYS = env.int("ACCOUNTS_UNCONFIRMED_DAYS", default=30)
