"""What ``challenges`` holds about a person: the challenges they raised (or, for a coordinator, are the
contact for), the participations they registered, the updates they wrote and their e-mail preference.

Erasure: the challenges, participations and updates are the organisations' and the region's record and
stay, without the person (in their history too); the e-mail preference goes.
"""

from core.personal_data import linked_rows, unlink_history

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
    return counts
