"""The visitor's language, read the same way by the locale middleware and the error pages."""

from django.conf import settings


def visitor_language(request) -> str:
    """The visitor's language: the switcher's cookie, else Swedish (never the browser's preference)."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
