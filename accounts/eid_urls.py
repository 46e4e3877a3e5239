"""allauth's OpenID Connect login and callback URLs, answered by accounts/eid.py: mounted before
allauth.urls at the same paths, so that only the host region's e-ID provider answers (and the ID token
is checked as eid.py says)."""

from django.urls import re_path

from . import eid

urlpatterns = [
    re_path(r"^oidc/(?P<provider_id>[^/]+)/login/$", eid.login, name="eid_login"),
    re_path(r"^oidc/(?P<provider_id>[^/]+)/login/callback/$", eid.callback, name="eid_callback"),
]
