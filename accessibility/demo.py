"""Demo accessibility statements: every region's, in Swedish and English, in DIGG's model."""

import datetime as dt

from core.demo import first_region
from core.region_state import current_region
from core.regions import region_scope

from .models import AccessibilityStatement, InaccessibleContent

STATEMENTS = {
    "sv": {
        "compliance": AccessibilityStatement.Compliance.PARTIAL,
        "assessment_method": (
            "Vi har gjort en självskattning. Varje publik sida och varje formulär testas automatiskt med axe-core "
            "vid varje ändring av koden, och vi har granskat sidorna manuellt med tangentbord, skärmläsare "
            "(NVDA och VoiceOver) och i 320 pixlars bredd."
        ),
        "response_time": "inom fem arbetsdagar",
        "shortcomings": [
            (
                InaccessibleContent.Reason.NON_COMPLIANCE,
                "Vissa PDF-dokument från dialogmötena, till exempel presentationer, saknar taggar och rubrikstruktur. "
                "Det strider mot WCAG 2.1, kriterium 1.3.1. Be om innehållet i annan form så skickar vi det.",
            ),
            (
                InaccessibleContent.Reason.DISPROPORTIONATE_BURDEN,
                "Den skannade överenskommelsen från 2014 finns bara som bild. Vi bedömer att det är oskäligt "
                "betungande att tolka om hela originalet; texten finns i den gällande versionen.",
            ),
            (
                InaccessibleContent.Reason.OUTSIDE_SCOPE,
                "Inspelningar av digitala möten som publicerades före den 23 september 2020 saknar textning. "
                "De omfattas inte av lagen.",
            ),
        ],
    },
    "en": {
        "compliance": AccessibilityStatement.Compliance.PARTIAL,
        "assessment_method": (
            "We have made a self-assessment. Every public page and form is tested automatically with axe-core on "
            "every change of the code, and we have checked the pages by hand with keyboard, screen readers "
            "(NVDA and VoiceOver) and at 320 pixels width."
        ),
        "response_time": "within five working days",
        "shortcomings": [
            (
                InaccessibleContent.Reason.NON_COMPLIANCE,
                "Some PDF documents from the dialogue meetings, such as slides, lack tags and a heading structure. "
                "This fails WCAG 2.1, success criterion 1.3.1. Ask for the content in another form and we send it.",
            ),
            (
                InaccessibleContent.Reason.DISPROPORTIONATE_BURDEN,
                "The scanned agreement of 2014 exists only as an image. We judge it a disproportionate burden to "
                "recreate the whole original; its text is in the version in force.",
            ),
            (
                InaccessibleContent.Reason.OUTSIDE_SCOPE,
                "Recordings of digital meetings published before 23 September 2020 lack captions. They are outside "
                "the scope of the law.",
            ),
        ],
    },
}


def load(stdout=None):
    """The statements of the region in force (idempotent: a second run changes nothing)."""
    region = current_region() or first_region()
    if region is None:
        return
    with region_scope(region):
        for language, spec in STATEMENTS.items():
            statement, _ = AccessibilityStatement.objects.update_or_create(
                language=language,
                defaults={
                    "compliance": spec["compliance"],
                    "assessment_method": spec["assessment_method"],
                    "assessed_on": dt.date(2026, 11, 16),
                    "reviewed_on": dt.date(2026, 12, 1),
                    "response_time": spec["response_time"],
                },
            )
            for order, (reason, description) in enumerate(spec["shortcomings"], start=1):
                InaccessibleContent.objects.update_or_create(
                    statement=statement, order=order, defaults={"reason": reason, "description": description}
                )
    if stdout:
        stdout.write(f"accessibility: statements in Swedish and English for {region.name}")
