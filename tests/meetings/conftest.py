import pytest

from meetings import services


@pytest.fixture
def register():
    """Sign someone up through the service, as the form does."""

    def _register(meeting, email, **kwargs):
        kwargs.setdefault("name", email.split("@")[0].title())
        kwargs.setdefault("consent", True)
        kwargs.setdefault("language", "sv")
        return services.registration_create(meeting=meeting, email=email, **kwargs)

    return _register
