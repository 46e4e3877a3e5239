"""Readable names for the kinds of e-mail in the outbox ("Bekräftelse på anmälan", not ``meetings.confirmation``).

An app that queues a new kind of e-mail adds its name here (or calls ``register`` from its
``portal.py``); a kind without a name is shown as it is stored.
"""

from django.utils.translation import pgettext_lazy

KIND_LABELS = {
    "meetings.confirmation": pgettext_lazy("e-mail kind", "Registration confirmed"),
    "meetings.waitlisted": pgettext_lazy("e-mail kind", "On the waitlist"),
    "meetings.promoted": pgettext_lazy("e-mail kind", "Place from the waitlist"),
    "meetings.already_registered": pgettext_lazy("e-mail kind", "Already registered (link resent)"),
    "meetings.registration_cancelled": pgettext_lazy("e-mail kind", "Registration cancelled"),
    "meetings.cancelled": pgettext_lazy("e-mail kind", "Meeting cancelled"),
    "meetings.moved": pgettext_lazy("e-mail kind", "Meeting moved"),
    "meetings.reminder": pgettext_lazy("e-mail kind", "Meeting reminder"),
    "meetings.message": pgettext_lazy("e-mail kind", "Message to participants"),
    "meetings.documentation": pgettext_lazy("e-mail kind", "Meeting documentation"),
    "meetings.coordinator_fill": pgettext_lazy("e-mail kind", "Meeting filling up (to coordinators)"),
    "organisations.interest_confirmation": pgettext_lazy("e-mail kind", "Interest received"),
    "organisations.interest_notification": pgettext_lazy("e-mail kind", "New interest submission (to coordinators)"),
    "organisations.verified": pgettext_lazy("e-mail kind", "Organisation verified"),
    "agreements.requested": pgettext_lazy("e-mail kind", "Signature received"),
    "agreements.verified": pgettext_lazy("e-mail kind", "Signature verified"),
    "agreements.withdrawal_requested": pgettext_lazy("e-mail kind", "Withdrawal requested (to coordinators)"),
    "agreements.withdrawn": pgettext_lazy("e-mail kind", "Signature withdrawn"),
    "allauth:email_confirmation": pgettext_lazy("e-mail kind", "Confirm e-mail address"),
    "allauth:email_confirmation_signup": pgettext_lazy("e-mail kind", "Confirm e-mail address (new account)"),
    "allauth:password_reset_key": pgettext_lazy("e-mail kind", "Password reset"),
    "allauth:unknown_account": pgettext_lazy("e-mail kind", "Password reset for an unknown address"),
    "allauth:account_already_exists": pgettext_lazy("e-mail kind", "Account already exists"),
}


def register(kind: str, label) -> None:
    KIND_LABELS[kind] = label


def kind_label(kind: str):
    return KIND_LABELS.get(kind, kind or "–")
