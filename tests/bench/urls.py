"""The portal's URLs plus the benchmark's, as a process started with BENCH=true serves them."""

from django.urls import include, path

from samverkan.urls import handler404, handler500  # noqa: F401
from samverkan.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("bench/", include("bench.urls"))]
