"""Public meeting pages, the sign-up form and the registrant's own manage page, in three modules: the public
pages, the registrations, and taking part (join link, check-in, evaluation). Every view and public name is
importable from ``meetings.views`` as before.

The online link of a digital meeting appears only on the manage page of a confirmed person
(reached through the signed link in their e-mail), never on a public page.
"""

from .attendance import meeting_checkin, meeting_evaluate, registration_join, registration_join_ics
from .pages import (
    FILTER_PARAMS,
    PAGE_PARAMS,
    PER_PAGE,
    SEARCH_MAX,
    meeting_detail,
    meeting_document,
    meeting_feed,
    meeting_ics,
    meeting_list,
)
from .registrations import (
    CLOSED_STATES,
    RECEIPT_MAX_AGE,
    RECEIPT_SALT,
    registration_cancel,
    registration_create,
    registration_done,
    registration_ics,
    registration_manage,
    registration_rate,
)

__all__ = [
    "CLOSED_STATES",
    "FILTER_PARAMS",
    "PAGE_PARAMS",
    "PER_PAGE",
    "RECEIPT_MAX_AGE",
    "RECEIPT_SALT",
    "SEARCH_MAX",
    "meeting_checkin",
    "meeting_detail",
    "meeting_document",
    "meeting_evaluate",
    "meeting_feed",
    "meeting_ics",
    "meeting_list",
    "registration_cancel",
    "registration_create",
    "registration_done",
    "registration_ics",
    "registration_join",
    "registration_join_ics",
    "registration_manage",
    "registration_rate",
]
