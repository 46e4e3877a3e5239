from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def mypages(request):
    """The "Mina sidor" page: each app contributes a section (see the template's includes)."""
    return render(request, "accounts/mypages.html")
