"""Swedish e-ID login by OpenID Connect (issue 23, item 2), on django-allauth's ``openid_connect`` provider.

Each region with e-ID has one allauth app (``settings.EID_REGIONS``, built from the environment in
settings/auth.py). What this module adds to allauth's OpenID Connect:

- **The region's provider only.** The login and callback URLs answer 404 for any provider id but the host
  region's; the login page lists only that one.
- **The ID token is always checked**: its signature against the provider's keys (allauth skips it when the
  token came straight from the token endpoint), issuer, audience, expiry, and a ``nonce`` bound to the
  login's state. The state itself (allauth's, single use) and PKCE come from allauth.
- **The level is checked on the server**, in the signed ID token: its ``acr`` must be one of the region's
  accepted values, and/or its Freja registration level must reach the region's minimum. What the login URL
  asked for (``acr_values``) is never trusted, and extra ``auth_params``/``scope`` in the URL are ignored.
- **The person number is never stored.** The account is matched by HMAC-SHA256(EID_PERSON_NUMBER_KEY,
  number), kept as the SocialAccount's ``uid``; ``extra_data`` keeps only a short list of claims and never
  the number (nor a ``sub`` equal to it).
- **Step-up** (``process=redirect``, started by ``accounts.assurance.stepup_required``): the session's own
  user proves the e-ID again; an e-ID of another account is refused, the session stays as it was, and the
  suspended request (a POST) is replayed.

A refusal renders socialaccount/authentication_error.html with a message in the visitor's language
(``eid_message``); nothing is logged in and nothing about the person is logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.region_state import current_region

from . import assurance

logger = logging.getLogger(__name__)

# Claims kept in SocialAccount.extra_data (besides the region's level claim): nothing else of the answer.
KEPT_CLAIMS = ("iss", "sub", "acr", "amr", "auth_time", "name", "given_name", "family_name", "email")


# Configuration -----------------------------------------------------------------------------------------


def config_for_provider(provider_id: str) -> dict[str, Any] | None:
    """The e-ID configuration (settings.EID_REGIONS entry) whose provider id is ``provider_id``."""
    for config in getattr(settings, "EID_REGIONS", {}).values():
        if config.get("provider_id") == provider_id:
            return config
    return None


def current_provider_id() -> str | None:
    """The provider id of the host region's e-ID, or None."""
    return assurance.eid_provider_id(current_region())


def is_eid_provider(provider_id: str | None) -> bool:
    return bool(provider_id) and config_for_provider(provider_id) is not None


def person_number_hash(number: str) -> str:
    """HMAC-SHA256 of a person number (digits only, so "19900101-2389" and "199001012389" match)."""
    digits = "".join(ch for ch in str(number) if ch.isalnum())
    key = settings.EID_PERSON_NUMBER_KEY.encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


# Refusals ------------------------------------------------------------------------------------------------


class EIDRefused(ProviderException):
    """An e-ID answer the portal refuses. ``reason`` names why (never anything about the person)."""

    def __init__(self, reason: str, *, level: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.level = level


def refusal_message(reason: str, *, level: str = "") -> str:
    """What the visitor reads when the e-ID login is refused, in their language."""
    if reason == "level":
        if level:
            return _(
                "Your e-ID login was refused: its identification level (%(level)s) is lower than this region "
                "requires. Log in with an e-ID of a higher level. You have not been logged in."
            ) % {"level": level}
        return _(
            "Your e-ID login was refused: the e-ID service did not confirm the identification level this "
            "region requires. You have not been logged in."
        )
    if reason == "other_account":
        return _("This e-ID belongs to another account. You are still logged in as before, and nothing was done.")
    if reason == "not_linked_e_id":
        return _(
            "This is not the e-ID linked to your account. You are still logged in as before, and nothing was done."
        )
    if reason == "login_first":
        return _("Log in first, then confirm with your e-ID.")
    if reason == "exchange":
        return _(
            "The e-ID service did not confirm the login (it may have taken too long). Nothing was changed: start again."
        )
    if reason == "state":
        return _("This e-ID login has expired or was already used. Nothing was changed: start the login again.")
    return _("The answer from the e-ID service could not be verified. You have not been logged in; start again.")


# The ID token ----------------------------------------------------------------------------------------------


class InvalidIDToken(Exception):
    pass


_LEEWAY = 60  # seconds of clock difference tolerated for exp / iat / nbf


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _int(part: str) -> int:
    return int.from_bytes(_b64(part), "big")


def _public_key(jwk: dict, alg: str):
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if alg.startswith(("RS", "PS")) and jwk.get("kty") == "RSA":
        return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    if alg == "ES256" and jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        return ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), ec.SECP256R1()).public_key()
    raise InvalidIDToken("key type")


def _verify_signature(key, alg: str, signed: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    digest = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}[alg[2:]]()
    try:
        if alg.startswith("RS"):
            key.verify(signature, signed, padding.PKCS1v15(), digest)
        elif alg.startswith("PS"):
            key.verify(signature, signed, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size), digest)
        else:
            half = len(signature) // 2
            der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
            key.verify(der, signed, ec.ECDSA(digest))
    except InvalidSignature as error:
        raise InvalidIDToken("signature") from error


def verify_id_token(token: str, *, keys_url: str, issuer: str, audience: str) -> dict:
    """The claims of a signed ID token (JWS compact form), after checking its signature against the
    provider's published keys, its issuer, audience and times; else InvalidIDToken. Written on
    ``cryptography`` (RS256/384/512, PS256/384/512, ES256): allauth's own check needs PyJWT, and skips
    the signature for a token fetched from the token endpoint."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidIDToken("format")
    header, claims = json.loads(_b64(parts[0])), json.loads(_b64(parts[1]))
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise InvalidIDToken("format")
    alg = header.get("alg")
    if alg not in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256"):
        raise InvalidIDToken("algorithm")  # never "none", never a symmetric key
    from allauth.socialaccount.adapter import get_adapter

    with get_adapter().get_requests_session() as session:
        response = session.get(keys_url)
        response.raise_for_status()
        keys = response.json().get("keys", [])
    kid = header.get("kid")
    candidates = [k for k in keys if isinstance(k, dict) and (kid is None or k.get("kid") == kid)]
    candidates = [k for k in candidates if k.get("use", "sig") == "sig"]
    if len(candidates) != 1:
        raise InvalidIDToken("key")
    _verify_signature(_public_key(candidates[0], alg), alg, f"{parts[0]}.{parts[1]}".encode(), _b64(parts[2]))
    if claims.get("iss") != issuer:
        raise InvalidIDToken("issuer")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if audience not in audiences or (len(audiences) > 1 and claims.get("azp") != audience):
        raise InvalidIDToken("audience")
    now = time.time()
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf")
    if not isinstance(exp, int | float) or exp < now - _LEEWAY:
        raise InvalidIDToken("expired")
    if isinstance(iat, int | float) and iat > now + _LEEWAY or isinstance(nbf, int | float) and nbf > now + _LEEWAY:
        raise InvalidIDToken("not yet valid")
    return claims


# The provider and its OAuth2 adapter ----------------------------------------------------------------------


class EIDOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, with the ID token always verified and the level checked."""

    #: The login's state (set by the callback view before ``complete_login``): holds the nonce.
    state: dict | None = None

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        config = config_for_provider(self.provider_id)
        if config is None:
            raise EIDRefused("config")
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise EIDRefused("invalid")
        openid_config = self.openid_config
        if str(openid_config.get("issuer", "")).rstrip("/") != config["issuer"]:
            raise EIDRefused("invalid")
        try:
            claims = verify_id_token(
                id_token, keys_url=openid_config["jwks_uri"], issuer=openid_config["issuer"], audience=app.client_id
            )
        except (InvalidIDToken, KeyError, ValueError, TypeError, requests.RequestException) as error:
            raise EIDRefused("invalid") from error
        nonce = (self.state or {}).get("nonce")
        if not isinstance(nonce, str) or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise EIDRefused("invalid")
        userinfo: dict = {}
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            if not isinstance(userinfo, dict) or str(userinfo.get("sub")) != str(claims.get("sub")):
                raise EIDRefused("invalid")
        level = checked_level(config, claims)
        data = answer_data(config, claims, userinfo, level)
        return self.get_provider().sociallogin_from_response(request, data)


class EIDProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider for the e-ID apps (settings: ``provider_class``)."""

    # allauth.urls mounts the URLs of the provider's package: allauth's OpenID Connect ones (answered by the
    # views below, mounted first by accounts/eid_urls.py), not this app's.
    package = "allauth.socialaccount.providers.openid_connect"

    def get_oauth2_adapter(self, request: HttpRequest):
        return EIDOAuth2Adapter(request, self.app.provider_id)

    def get_auth_params_from_request(self, request: HttpRequest, action):
        # The URL's ?auth_params= (acr_values, prompt …) is ignored: the region's configuration decides.
        return self.get_auth_params()

    def get_scope_from_request(self, request: HttpRequest):
        return self.get_scope()

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def extract_uid(self, data):
        return str(data["eid"]["uid"])

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        fields.pop("username", None)
        return fields


def checked_level(config: dict, claims: dict) -> str:
    """The level the signed ID token states, when it meets the region's requirement; else EIDRefused."""
    acr = claims.get("acr")
    acr = acr if isinstance(acr, str) else ""
    level = ""
    accepted = config.get("acr_values") or []
    if accepted:
        if acr not in accepted:
            raise EIDRefused("level", level=acr[:100])
        level = acr
    minimum = config.get("min_level") or ""
    if minimum:
        levels = list(settings.EID_FREJA_LEVELS)
        registration = claims.get(config["level_claim"])
        registration = registration.upper() if isinstance(registration, str) else ""
        if registration not in levels or levels.index(registration) < levels.index(minimum):
            raise EIDRefused("level", level=(registration or "")[:100])
        level = level or registration
    return level or acr[:100]


def answer_data(config: dict, claims: dict, userinfo: dict, level: str) -> dict:
    """What of the provider's answer the login keeps: a few claims, never the person number."""
    number = ""
    for source in (claims, userinfo):
        for name in config["person_number_claims"]:
            value = source.get(name)
            if isinstance(value, str | int) and str(value).strip():
                number = str(value).strip()
                break
        if number:
            break
    sub = str(claims.get("sub", ""))
    uid = person_number_hash(number) if number else sub
    kept = (*KEPT_CLAIMS, config["level_claim"])

    def scrub(source: dict) -> dict:
        out = {}
        for name in kept:
            value = source.get(name)
            if value is None:
                continue
            if number and str(value).strip() == number:
                value = uid  # e.g. a broker whose `sub` is the person number
            out[name] = value
        return out

    return {
        "id_token": scrub(claims),
        "userinfo": scrub(userinfo),
        "eid": {"uid": uid, "level": level, "matched_by": "person_number" if number else "sub"},
    }


# Views: allauth's, for the host region's provider only ---------------------------------------------------


def _region_provider_or_404(provider_id: str) -> None:
    if provider_id != current_provider_id():
        raise Http404


class EIDCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def login(request: HttpRequest, provider_id: str):
    _region_provider_or_404(provider_id)
    try:
        return OAuth2LoginView.adapter_view(EIDOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


def callback(request: HttpRequest, provider_id: str):
    _region_provider_or_404(provider_id)
    try:
        return EIDCallbackView.adapter_view(EIDOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


# The social account adapter ----------------------------------------------------------------------------


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's social accounts for e-ID only: apps from the settings, the host region's offered."""

    def list_apps(self, request, provider=None, client_id=None):
        # Only the apps of the settings (the environment), never rows someone added to the database.
        apps = [
            app for group in _build_apps_from_settings(provider=provider, client_id=client_id).values() for app in group
        ]
        if provider is None:
            # What is offered (the login page, "connect"): the host region's e-ID only. An existing
            # account of another region's e-ID is still shown by its provider id.
            region_provider = current_provider_id()
            apps = [app for app in apps if app.provider_id == region_provider]
        return apps

    def is_email_verified(self, provider, email) -> bool:
        return False  # the e-mail address is verified by the portal, whatever the provider says

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        if name and hasattr(user, "full_name"):
            user.full_name = str(name)[:200]
        return user

    def pre_social_login(self, request, sociallogin):
        provider_id = sociallogin.account.provider
        if not is_eid_provider(provider_id):
            return
        for address in sociallogin.email_addresses:
            address.verified = False
        level = str(sociallogin.account.extra_data.get("eid", {}).get("level", ""))
        sociallogin.state["eid_level"] = level
        process = sociallogin.state.get("process")
        if process == AuthProcess.REDIRECT:
            raise ImmediateHttpResponse(self._stepup(request, sociallogin, provider_id, level))
        if process == AuthProcess.CONNECT and request.user.is_authenticated:
            self._refuse_unless_own(request, sociallogin)
            assurance.record_eid(request, provider_id=provider_id, level=level)

    def _refuse(self, request, sociallogin, reason: str):
        raise ImmediateHttpResponse(
            render_authentication_error(request, sociallogin.provider, exception=EIDRefused(reason))
        )

    def _refuse_unless_own(self, request, sociallogin):
        """The e-ID is this account's, or no account's while this account has none of the provider."""
        if sociallogin.is_existing:
            if sociallogin.user.pk != request.user.pk:
                self._refuse(request, sociallogin, "other_account")
            return
        linked = SocialAccount.objects.filter(user=request.user, provider=sociallogin.account.provider)
        if linked.exists():
            self._refuse(request, sociallogin, "not_linked_e_id")

    def _stepup(self, request, sociallogin, provider_id, level):
        """The session's user confirms with e-ID: linked if not yet, recorded, the act resumed."""
        if not request.user.is_authenticated:
            self._refuse(request, sociallogin, "login_first")
        self._refuse_unless_own(request, sociallogin)
        if not sociallogin.is_existing:
            sociallogin.connect(request, request.user)
            messages.info(request, _("Your e-ID is now linked to your account."))
        assurance.record_eid(request, provider_id=provider_id, level=level)
        return assurance.resume_stepup(request, sociallogin.state.get("next") or "/")

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
        if isinstance(exception, EIDRefused):
            reason, level = exception.reason, exception.level
        elif isinstance(exception, OAuth2Error):
            reason, level = "exchange", ""
        elif exception is None and extra_context is not None and "state" not in extra_context:
            reason, level = "state", ""
        else:
            reason, level = "invalid", ""
        logger.warning("e-ID login refused", extra={"reason": reason, "provider": getattr(provider, "sub_id", "")})
        if extra_context is not None:
            extra_context["eid_message"] = refusal_message(reason, level=level)


class EIDFormActionMiddleware:
    """The e-ID buttons are forms whose answer redirects to the provider: the Content Security Policy's
    ``form-action`` of the host region's pages also allows the provider's origin (its issuer's), and no
    other region's. Listed after the CSP middleware (core.middleware.CSPMiddleware), so its update is read when the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        config = assurance.eid_config(current_region())
        if config:
            parts = urlsplit(config["issuer"])
            origin = f"{parts.scheme}://{parts.netloc}"
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response
