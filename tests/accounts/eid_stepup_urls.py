"""A test-only URLconf: the portal's URLs and one "act under a mandate" that asks for the e-ID step-up."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.assurance import describe, stepup_required
from core.region_state import current_region
from samverkan.urls import urlpatterns as portal_urlpatterns

DONE = []


@require_POST
@login_required
def act(request):
    response = stepup_required(request, current_region())
    if response is not None:
        return response
    DONE.append((request.user.pk, request.POST.get("text", "")))
    authentication = describe(request)
    return HttpResponse(f"done: {request.POST.get('text', '')} by {request.user.email} ({authentication['method']})")


urlpatterns = [path("test-act/", act, name="test_act"), *portal_urlpatterns]
