from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def mypages(request):
    """The "Mina sidor" page: each app contributes a section (see the template's includes)."""
    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(request, "accounts/mypages.html", {"has_totp": has_totp})
