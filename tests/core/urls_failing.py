"""A view that fails with personal data in reach (test urlconf for the error-reporting tests)."""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def failing(request, token):
    email = request.POST.get("email", "")
    raise RuntimeError(f"could not sign up {email}")


urlpatterns = [
    path("moten/anmalan/<str:token>/avboka/", failing, name="failing"),
    path("", include("samverkan.urls")),
]
