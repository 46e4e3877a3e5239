"""A small app that lives only in the tests, to show what adding an app takes: this folder and nothing else.

It puts a note on the meeting page (a slot, with the cache it follows), an admin action on another
app's model, a periodic task and its personal data, all from ``portal.py``. Plugged in by the
``demo_app`` fixture of tests/core/test_adding_an_app.py (as a project adds it to INSTALLED_APPS).
"""
