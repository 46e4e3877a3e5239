from datetime import timedelta

from core.registry import portal

portal.register("demo_app")
portal.slot(
    "meetings:detail",
    "demo_app/slots/meeting_note.html",
    context="tests.demo_app.slots.meeting_context",
    caches=["demo_app"],
    order=90,
)
portal.periodic("demo-app-tidy", "demo_app.tasks.tidy", timedelta(hours=6))
portal.personal_data(
    "demo_app", export="tests.demo_app.personal_data.export", erase="tests.demo_app.personal_data.erase"
)
portal.admin_action("demo_app", "organisations.interestsubmission", "tests.demo_app.admin_actions.note_rows")
