"""Root URL configuration. Public pages are under Swedish paths; the language is chosen by
the switcher (session/cookie), not by the URL, so links stay the same in both languages."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from core.links import region_name

admin.site.login = secure_admin_login(admin.site.login)
# Per request: the region of the host (a lazy string, read when the admin renders its header).
admin.site.site_header = lazy(lambda: f"Samverkansportalen – {region_name()}", str)()
admin.site.site_title = "Samverkansportalen"
admin.site.index_title = _("Coordination")  # "Samordning"; in English when the coordinator chose English

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path("mina-sidor/", include("accounts.urls")),
    path("organisationer/", include("organisations.urls")),
    path("moten/", include("meetings.urls")),
    path("overenskommelser/", include("agreements.urls")),
    path("val/", include("elections.urls")),
    path("api/", include("api.urls")),
    path("oppna-data/", include("api.page_urls")),
    path("remisser/", include("consultations.urls")),
    path("utmaningar/", include("challenges.urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.BENCH:  # only the benchmark's own processes (BENCH=true) serve /bench/floor
    urlpatterns.append(path("bench/", include("bench.urls")))

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
