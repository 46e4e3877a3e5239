"""System checks of the sealed ballots' master key (``ELECTIONS_BALLOT_KEY``, see ``ballots.py``)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def ballot_key_is_valid(app_configs=None, **kwargs):
    """A key that cannot be read would stop every vote: refuse it at start-up."""
    from .ballots import configured_keys

    try:
        configured_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="elections.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def ballot_key_is_set(app_configs=None, **kwargs):
    """Without its own key the ballots' key follows SECRET_KEY: rotating that without keeping the old
    one in SECRET_KEY_FALLBACKS would leave a round in its voting period impossible to count."""
    if settings.DEBUG or settings.ELECTIONS_BALLOT_KEY:
        return []
    return [
        checks.Warning(
            "ELECTIONS_BALLOT_KEY is not set: the key that seals ballots is derived from SECRET_KEY.",
            hint="Set ELECTIONS_BALLOT_KEY to `head -c 32 /dev/urandom | base64` and keep it in the secrets store; "
            "a round cannot be counted without the key its ballots were sealed with (README, Elections).",
            id="elections.W001",
        )
    ]
