"""What ``challenges`` holds about a person: the challenges they raised (or, for a coordinator, are the
contact for), the participations they registered, the updates they wrote and their e-mail preference.

Erasure: the challenges, participations and updates are the organisations' and the region's record and
stay, without the person (in their history too); the e-mail preference goes. A challenge made from an
interest submission (``challenge_from_interest``) took its text from the submission's message: the
person's addresses are scrubbed from the challenges' texts and their history, as from the message.
"""

from core.personal_data import addresses_of, linked_rows, scrub_addresses, unlink_history

from .models import Challenge, EmailPreference, Participation, Update


def export(user) -> dict:
    return {
        "challenges.Challenge": linked_rows(Challenge, user),
        "challenges.Participation": linked_rows(Participation, user),
        "challenges.Update": linked_rows(Update, user),
        "challenges.EmailPreference": linked_rows(EmailPreference, user),
    }


def erase(user) -> dict:
    counts = {
        "challenges_unlinked": Challenge.objects.filter(raised_by_user=user).update(raised_by_user=None),
        "participations_unlinked": Participation.objects.filter(joined_by=user).update(joined_by=None),
        "preferences_deleted": EmailPreference.objects.filter(user=user).delete()[0],
    }
    counts["history_rows"] = unlink_history(Challenge, user) + unlink_history(Participation, user)
    addresses = addresses_of(user=user)
    texts = ["title", "title_en", "summary", "summary_en", "description", "description_en"]
    counts["texts_scrubbed"] = scrub_addresses(Challenge.objects.all(), texts, addresses) + scrub_addresses(
        Challenge.history.model.objects.all(), texts, addresses
    )
    return counts
