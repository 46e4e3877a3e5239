from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def mypages(request):
    """"Mina sidor": each app contributes a section (see the templates' includes)."""
    return render(request, "accounts/mypages.html")
