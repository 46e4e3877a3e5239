"""The CSP header built once per process (core.middleware.CSPMiddleware) is, in every case, what
django-csp's own middleware writes: the settings' policy, a view's update or replacement, a nonce used,
an exemption, the report-only policy, and a settings change."""

import pytest
from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from core import middleware
from core.middleware import CSPMiddleware


def _response(**attributes):
    response = HttpResponse("ok")
    for name, value in attributes.items():
        setattr(response, name, value)
    return response


CASES = {
    "settings": ({}, False),
    "nonce": ({}, True),
    "update": ({"_csp_update": {"img-src": ["https://kartor.example.se"]}}, False),
    "replace": ({"_csp_replace": {"script-src": ["'self'", "https://cdn.example.se"]}}, False),
    "config": ({"_csp_config": {"default-src": ["'none'"]}}, False),
    "exempt": ({"_csp_exempt": True}, False),
    "update and nonce": ({"_csp_update": {"script-src": ["'self'"]}}, True),
}


def _headers(middleware_class, attributes, nonce):
    request = RequestFactory().get("/moten/")
    instance = middleware_class(lambda request: None)
    instance.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template used it
    response = instance.process_response(request, _response(**attributes))
    policy = {name: value for name, value in response.items() if name.startswith("Content-Security-Policy")}
    return policy, getattr(request, "_csp_nonce", None)


@pytest.mark.parametrize("case", CASES)
def test_the_header_is_django_csps_own(case, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp/"}}
    attributes, nonce = CASES[case]
    if nonce:  # a policy that names the nonce (the portal's does not)
        settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    for _ in range(2):  # built, then from what was kept
        ours, our_nonce = _headers(CSPMiddleware, attributes, nonce)
        theirs, their_nonce = _headers(DjangoCSPMiddleware, attributes, nonce)
        if nonce:
            assert our_nonce and our_nonce in ours["Content-Security-Policy"]
            ours = {name: value.replace(our_nonce, "NONCE") for name, value in ours.items()}
            theirs = {name: value.replace(their_nonce, "NONCE") for name, value in theirs.items()}
        assert ours == theirs
    assert ("Content-Security-Policy" in ours) is (case != "exempt")


def test_the_settings_policy_is_built_once_and_again_after_a_change(settings, monkeypatch):
    built = []
    original = middleware.build_policy
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: built.append(kw) or original(**kw))
    middleware._built_policies.clear()
    for _ in range(3):
        policy, _nonce = _headers(CSPMiddleware, {}, False)
    assert len(built) == 2  # the policy and the report-only one, once each
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    changed, _nonce = _headers(CSPMiddleware, {}, False)
    assert changed["Content-Security-Policy"] == "default-src 'none'" != policy["Content-Security-Policy"]
