from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    """The benchmark's floor: a short fixed text, no database, no session, no template."""
    return HttpResponse(b"ok\n", content_type="text/plain")
