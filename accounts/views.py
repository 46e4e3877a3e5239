from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms import AccountDeleteForm
from .selectors import user_data_export
from .services import user_delete


@login_required
def mypages(request):
    """The "Mina sidor" page: each app contributes a section (see the template's includes)."""
    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    context = {"has_totp": has_totp, **eid_context(request)}
    return render(request, "accounts/mypages.html", context)


def eid_context(request) -> dict:
    """The e-ID section of Mina sidor: the host region's e-ID, whether this account has it linked, and
    when the session last confirmed with it (accounts/eid.py, accounts/assurance.py)."""
    from allauth.socialaccount.models import SocialAccount
    from django.urls import reverse
    from django.utils.http import urlencode

    from .assurance import describe
    from .eid import current_provider_id

    provider_id = current_provider_id()
    if provider_id is None:
        return {}
    link = SocialAccount.objects.filter(user=request.user, provider=provider_id).first()
    login_url = reverse("openid_connect_login", kwargs={"provider_id": provider_id})
    query = urlencode({"process": "connect", "next": reverse("accounts:mypages")})
    authentication = describe(request)
    return {
        "eid": {
            "link": link,
            "connect_url": f"{login_url}?{query}",
            "level": authentication["level"] if authentication["method"] == "eid" else "",
            "at": authentication["at"] if authentication["method"] == "eid" else None,
        }
    }


@login_required
def account_delete(request):
    """Delete one's own account after confirming with the password. An account without a password (opened
    with e-ID) confirms with its e-mail address, and where the host region has e-ID, with a fresh e-ID
    login first (accounts/assurance.py: the page before the form, the POST replayed after it)."""
    if request.user.is_staff:
        return render(request, "accounts/account_delete.html", {"staff": True})
    if not request.user.has_usable_password():
        from core.region_state import current_region

        from . import assurance

        region = current_region()
        if request.method == "GET":
            page = assurance.stepup_page(
                request,
                region,
                heading=_("Delete my account"),
                back_url=reverse("accounts:mypages"),
                text=_("Your account has no password: confirm with your e-ID that it is you who deletes it."),
            )
            if page is not None:
                return page
        else:
            stepup = assurance.stepup_required(request, region)
            if stepup is not None:
                return stepup
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Your account has been deleted."))
        return redirect("core:home")
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
def data_download(request):
    """The "download my data" file: everything linked to the account in this host's region, as a JSON file
    (named after the region: a person active in two regions downloads each region's file on its host)."""
    data = user_data_export(user=request.user)
    response = JsonResponse(
        data,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    short_name = data["region"]["short_name"]
    filename = f"mina-uppgifter-{short_name}.json" if short_name else "mina-uppgifter.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
