from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal"

    def ready(self):
        from . import (
            admin_a11y,
            observability,  # noqa: F401 - connects the Celery signals that carry the request id
        )
        from .forms import install_checkbox_message
        from .permissions import ensure_coordinator_group
        from .registry import autodiscover

        # Every app's portal.py registers its demo data, retention rule, coordinator access and
        # page sections (see core/registry.py).
        autodiscover()
        # Sent by Django after `migrate`: keeps the "Samordnare" group's permissions in step
        # with the models of every app, so a new model reaches coordinators without manual work.
        post_migrate.connect(ensure_coordinator_group, sender=self)
        # Labels for the admin's split date/time inputs (see core/admin_a11y.py).
        admin_a11y.install()
        # Bad query strings and autocomplete values in the admin: an answer, not a 500 (core/admin_input.py).
        from .admin_input import install as install_admin_input

        install_admin_input()
        # "Kryssa i rutan" instead of "Fyll i fältet" under a required checkbox (see core/forms.py).
        install_checkbox_message()
        # Labelled export form and Swedish file names for every admin export (see core/spreadsheets.py).
        from .spreadsheets import install_admin_exports

        install_admin_exports()
