"""Views that fail the ways a database fails (test urlconf for the error-page tests)."""

from django.db import OperationalError
from django.urls import include, path


def refused(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test/refused/", refused),
    path("test/broken/", broken),
    path("", include("samverkan.urls")),
]

handler500 = "core.views.server_error"
