"""What ``agreements`` holds about a person: the signatures they asked for (and, for coordinators, the
ones they verified or whose withdrawal they confirmed).

Erasure: a signature is the organisation's record and stays; it forgets who asked for it and the
person's mandate it rested on, in its history too. How the signer was authenticated (method, level,
when) stays with the signature: without the person it says nothing about anyone.

The working group's members (``WorkingGroupMember``) are named as well: politicians and civil-society
members in their public role, entered by a coordinator from the agreement's decisions and shown with the
agreement (public records). They carry no address and no link to an account, so an account's export and
erasure cannot find them; a member who leaves is removed (or ended with ``term_end``) in the admin.

A person is one account in every region: "download my data" on a region's host exports that region's
rows (the region in force, like every app's export); erasure changes their rows in every region
(``all_regions``), whichever host they asked on.
"""

from core.personal_data import linked_rows, unlink_history
from core.regions import all_regions
from organisations.personal_data import unlink_mandated_acts

from .models import Signatory


def export(user) -> dict:
    return {"agreements.Signatory": linked_rows(Signatory, user, hidden={"board_decision"})}


def erase(user) -> dict:
    with all_regions():
        unlinked = Signatory.objects.filter(requested_by=user).update(requested_by=None)
        return {
            "signatures_unlinked": unlinked,
            "mandates_unlinked": unlink_mandated_acts(Signatory, user),
            "history_rows": unlink_history(Signatory, user),
        }
