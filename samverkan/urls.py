"""Root URL configuration. Public pages are under Swedish paths; the language is chosen by
the switcher (session/cookie), not by the URL, so links stay the same in both languages."""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import admin_input
from core import views as core_views
from core.links import region_name
from core.permissions import may_use_admin


def _region_admin_login(login):
    """The admin's login page: signed-in users who are not staff of the host's region (staff of another
    region as well as non-staff) get 403, as allauth's ``secure_admin_login`` answers non-staff."""

    @wraps(login)
    def view(request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_admin(request.user):
            raise PermissionDenied
        return login(request, *args, **kwargs)

    return view


# The admin on a region's host admits superusers, the staff who coordinate THAT region
# (``Region.coordinators``) and the system administrators (regions only: core/admin.py); staff of another
# region are sent to the login page, which answers 403.
admin.site.has_permission = lambda request: may_use_admin(request.user, getattr(request, "region", None))
admin.site.login = secure_admin_login(_region_admin_login(admin.site.login))
# Per request: the region of the host (a lazy string, read when the admin renders its header).
admin.site.site_header = lazy(lambda: f"Samverkansportalen – {region_name()}", str)()
admin.site.site_title = "Samverkansportalen"
admin.site.index_title = _("Coordination")  # "Samordning"; in English when the coordinator chose English

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tillganglighet/", include("accessibility.urls")),
    path("konto/", include("accounts.eid_urls")),  # before allauth's: e-ID of the host region only
    path("konto/", include("allauth.urls")),
    path("mina-sidor/", include("accounts.urls")),
    path("foljer/", include("notifications.urls")),
    path("organisationer/", include("organisations.urls")),
    path("moten/", include("meetings.urls")),
    path("overenskommelser/", include("agreements.urls")),
    path("val/", include("elections.urls")),
    path("api/", include("api.urls")),
    path("oppna-data/", include("api.page_urls")),
    path("remisser/", include("consultations.urls")),
    path("utmaningar/", include("challenges.urls")),
    path("bidrag/", include("partnerships.urls.grants")),
    path("partnerskap/", include("partnerships.urls.iop")),
    # Before the admin's own: its "view on site" read past the region's scope (core/admin_input.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_input.view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.BENCH:  # only the benchmark's own processes (BENCH=true) serve /bench/floor
    urlpatterns.append(path("bench/", include("bench.urls")))

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
