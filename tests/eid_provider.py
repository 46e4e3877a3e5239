"""A local OpenID Connect provider for the e-ID tests (oidc-provider-mock, in a thread): no internet.

``eid_provider`` starts it on a free port (once per test session), ``eid_region`` configures the test region's
e-ID with it (settings overridden for the test) and gives an ``EIDFlow`` that walks the authorisation code
flow for a person whose claims the test sets::

    def test_x(client, eid_region):
        eid_region.person("anna", level="PLUS", number="199001012389")
        response = eid_region.login(client, "anna")

The provider answers every client id, checks the nonce it was given and puts it in the ID token; claims set
for a subject (``acr``, Freja's registration level, the person number) are in the ID token and the userinfo.
``/test/other-jwks`` serves the provider's key id with ANOTHER key: pointing ``jwks_uri`` there makes every
ID token "signed by another key".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

FREJA_LEVEL = "https://frejaeid.com/oidc/claims/registrationLevel"
PERSON_NUMBER = "personal_identity_number"
KEY = "test-only-person-number-key"
CLIENT_ID = "samverkansportalen-test"


def _mock_app():
    from pathlib import Path

    import flask
    import oidc_provider_mock
    from authlib import jose
    from oidc_provider_mock import init_app

    # The provider's pages (its log-in form) are templates of its package.
    app = flask.Flask("eid-test-provider", root_path=str(Path(oidc_provider_mock.__file__).parent))
    app.secret_key = os.urandom(16)
    init_app(app, require_nonce=True)
    other_key = jose.RSAKey.generate_key(is_private=True)

    @app.get("/test/other-jwks")
    def other_jwks():
        real = flask.g.oidc_provider_mock_storage.jwk.as_dict()
        forged = other_key.as_dict()
        forged["kid"] = real["kid"]
        forged["alg"] = real.get("alg", "RS256")
        return flask.jsonify({"keys": [forged]})

    return app


@pytest.fixture(scope="session")
def eid_provider():
    """The provider's base URL (its issuer), e.g. http://localhost:54321."""
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider serves plain http locally
    from oidc_provider_mock._server import _threaded_server

    with _threaded_server(app=_mock_app(), host="localhost", port=0) as server:
        yield f"http://localhost:{server.server_port}"


def region_eid_settings(settings, short_name: str, issuer: str, **values) -> dict:
    """Configure ``short_name``'s e-ID in ``settings`` (pytest-django's) as the environment would."""
    from samverkan.settings.auth import eid_region

    config, app = eid_region(
        short_name, {"ISSUER": issuer, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": "secret", **values}
    )
    regions = {**getattr(settings, "EID_REGIONS", {}), short_name: config}
    apps = [
        a for a in settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] if a["provider_id"] != app["provider_id"]
    ]
    settings.EID_REGIONS = regions
    settings.EID_PERSON_NUMBER_KEY = KEY
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"], "APPS": [*apps, app]}
    }
    return config


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class EIDFlow:
    issuer: str
    provider_id: str
    host: str = "testserver"
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def login_url(self) -> str:
        return f"/konto/oidc/{self.provider_id}/login/"

    def person(
        self, sub: str, *, level: str | None = None, acr: str | None = None, number: str | None = None, **claims
    ):
        """Set what the provider answers for ``sub``."""
        if level is not None:
            claims[FREJA_LEVEL] = level
        if acr is not None:
            claims["acr"] = acr
        if number is not None:
            claims[PERSON_NUMBER] = number
        response = self.session.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def start(self, client, *, process: str | None = None, next: str | None = None, url: str | None = None) -> str:
        """POST the portal's login form: the authorisation URL at the provider."""
        query = {key: value for key, value in (("process", process), ("next", next)) if value}
        target = url or self.login_url + (f"?{urlencode(query)}" if query else "")
        response = client.post(target, HTTP_HOST=self.host)
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(self.issuer), response["Location"]
        return response["Location"]

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The person logs in at the provider: the callback URL (path and query) it sends them back to."""
        response = self.session.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        location = urlsplit(response.headers["Location"])
        return f"{location.path}?{location.query}"

    def login(self, client, sub: str, **start):
        """The whole flow: the portal's answer to the callback."""
        callback = self.authorize(self.start(client, **start), sub)
        return client.get(callback, HTTP_HOST=self.host)


@pytest.fixture
def eid_region(eid_provider, settings, region):
    """The test region with e-ID through the local provider, requiring Freja level EXTENDED."""
    config = region_eid_settings(settings, region.short_name, eid_provider, MIN_LEVEL="EXTENDED")
    return EIDFlow(issuer=eid_provider, provider_id=config["provider_id"])
