"""URLs of the open data API, under /api/. The documentation page is /oppna-data/ (``api/page_urls.py``)."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from . import views
from .registry import api

app_name = "api"

api.autodiscover()

urlpatterns = [
    path("v1/", views.ApiIndex.as_view(), name="index"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/dcat", views.DcatView.as_view(), name="dcat"),
    path("v1/docs/", RedirectView.as_view(pattern_name="opendata:documentation", permanent=False)),
    path("v1/", include(api.router.urls)),
    re_path(r"^.*$", views.not_found),
]
