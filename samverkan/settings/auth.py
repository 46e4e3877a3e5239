"""Accounts: the user model, allauth, the second factor and the rate limits on logins and public forms."""

from .base import DEBUG, env

# Users and allauth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:mypages"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# allauth's forms with e-mail fields capped at the columns' 254 characters (see accounts/forms.py).
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_email": "accounts.forms.ChangeEmailForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Tell people when their password, e-mail address or two-factor settings change (through the outbox).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samverkansportalen] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Rate limits on public forms (ours through django-ratelimit, allauth's own) can be switched off
# for load tests of other paths; they are on by default.
RATELIMIT_ENABLE = not env.bool("DISABLE_RATE_LIMITS", default=False)
# The cache (Redis) away: a limit that cannot count lets the request through (django-ratelimit's own
# switch; core/cache.py answers the counters as an empty cache, so allauth's limits do the same).
RATELIMIT_FAIL_OPEN = True
# Behind a reverse proxy every visitor would share the proxy's address: name the header that
# carries the client's address (e.g. HTTP_X_REAL_IP) so that rate limits stay per client.
if env("RATELIMIT_IP_META_KEY", default=""):
    RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY")
# Failed logins (see accounts/adapter.py): per client and account; per client address over all
# accounts (generous, so people behind one shared address do not lock each other out); per account
# from everywhere. The last two bind only browsers the account has not logged in from before; from
# a browser with the account's device cookie, failures count per device and account instead, so no
# stranger can lock the owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", default="5/5m/key"),
    "login_failed_ip": env("ACCOUNT_LOGIN_FAILED_IP_RATE", default="100/h/ip"),
    "login_failed_account": env("ACCOUNT_LOGIN_FAILED_ACCOUNT_RATE", default="30/30m/key"),
    "login_failed_device": env("ACCOUNT_LOGIN_FAILED_DEVICE_RATE", default="5/5m/key"),
}
if not RATELIMIT_ENABLE:
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samverkansportalen"
# A code from the 30-second step before or after is accepted too (RFC 6238 §5.2): a phone whose clock is a few
# seconds off, or a code typed as the step turns, still works. allauth keeps a used code from being replayed.
MFA_TOTP_TOLERANCE = 1
# A staff user without TOTP is sent to set it up before the admin opens.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEBUG)

# e-ID: Swedish e-identification (Freja eID, or BankID/Freja through a broker) by OpenID Connect, per region
# (accounts/eid.py; README "e-ID"). Nothing is offered unless EID_REGIONS names regions (their short names):
#
#   EID_REGIONS=halland,vasternorrland
#   EID_<SHORT>_ISSUER           the provider's issuer URL (its /.well-known/openid-configuration is read)
#   EID_<SHORT>_CLIENT_ID, EID_<SHORT>_CLIENT_SECRET
#   EID_<SHORT>_SCOPE            default "openid"
#   EID_<SHORT>_ACR_VALUES       accepted `acr` values, weakest first, space-separated (sent as acr_values;
#                                the ID token's `acr` must be one of them)
#   EID_<SHORT>_MIN_LEVEL        a Freja registration level (BASIC < EXTENDED < PLUS) the ID token must reach
#   EID_<SHORT>_LEVEL_CLAIM      the claim with that level (default Freja's)
#   EID_<SHORT>_PERSON_NUMBER_CLAIM  the person-number claim (default: the usual names, see EID_PERSON_NUMBER_CLAIMS)
#   EID_<SHORT>_NAME             the button's provider name (default "e-legitimation")
#   EID_PERSON_NUMBER_KEY        the HMAC key: only HMAC-SHA256(key, person number) is stored (required with e-ID)
#
# <SHORT> is the short name in capitals with "-" as "_". The server checks the level in the ID token; the
# acr_values sent are a request to the provider, never trusted. DEMO_EID=true (DEBUG only, `make run`)
# configures the first region with the local test provider (oidc-provider-mock on DEMO_EID_PORT).
EID_FREJA_LEVELS = ("BASIC", "EXTENDED", "PLUS")
EID_FREJA_LEVEL_CLAIM = "https://frejaeid.com/oidc/claims/registrationLevel"
EID_PERSON_NUMBER_CLAIMS = (
    "personal_identity_number",
    "https://id.oidc.se/claim/personalIdentityNumber",
    "https://frejaeid.com/oidc/claims/personalIdentityNumber",
    "personalIdentityNumber",
)
DEMO_EID = DEBUG and env.bool("DEMO_EID", default=False)
DEMO_EID_PORT = env.int("DEMO_EID_PORT", default=9400)


def eid_provider_id(short_name: str) -> str:
    """The allauth provider id of a region's e-ID app (SocialAccount.provider holds at most 30 characters)."""
    import hashlib

    if len(short_name) <= 26:
        return f"eid-{short_name}"
    return f"eid-{short_name[:17]}-{hashlib.sha256(short_name.encode()).hexdigest()[:8]}"


def eid_region(short_name: str, values: dict) -> tuple[dict, dict]:
    """A region's e-ID configuration (for settings.EID_REGIONS) and its allauth app, from ``values``
    (the EID_<SHORT>_* variables without the prefix, as strings)."""
    from django.core.exceptions import ImproperlyConfigured

    def get(name, default=""):
        return (values.get(name) or default).strip()

    issuer = get("ISSUER").rstrip("/")
    if not issuer or not get("CLIENT_ID"):
        raise ImproperlyConfigured(f"e-ID for region {short_name!r} needs an ISSUER and a CLIENT_ID")
    min_level = get("MIN_LEVEL").upper()
    if min_level and min_level not in EID_FREJA_LEVELS:
        raise ImproperlyConfigured(f"e-ID for region {short_name!r}: MIN_LEVEL must be one of {EID_FREJA_LEVELS}")
    acr_values = get("ACR_VALUES").split()
    provider_id = eid_provider_id(short_name)
    config = {
        "provider_id": provider_id,
        "issuer": issuer,
        "acr_values": acr_values,
        "min_level": min_level,
        "level_claim": get("LEVEL_CLAIM", EID_FREJA_LEVEL_CLAIM),
        "person_number_claims": tuple(get("PERSON_NUMBER_CLAIM").split()) or EID_PERSON_NUMBER_CLAIMS,
        "demo": values.get("DEMO") == "true",
    }
    app_settings = {
        "server_url": issuer,
        "scope": get("SCOPE", "openid").split(),
        "oauth_pkce_enabled": True,
        "fetch_userinfo": True,
        "auth_params": {"acr_values": " ".join(acr_values)} if acr_values else {},
        "demo": config["demo"],  # the login button says "(test)"
    }
    app = {
        "provider_id": provider_id,
        "name": get("NAME", "e-legitimation"),
        "client_id": get("CLIENT_ID"),
        "secret": get("CLIENT_SECRET"),
        "settings": app_settings,
    }
    return config, app


_EID_VARIABLES = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "SCOPE", "ACR_VALUES", "MIN_LEVEL", "LEVEL_CLAIM")
_EID_VARIABLES += ("PERSON_NUMBER_CLAIM", "NAME")
EID_REGIONS = {}
_eid_apps = []
for _short in env.list("EID_REGIONS", default=[]):
    _prefix = f"EID_{_short.upper().replace('-', '_')}_"
    _config, _app = eid_region(_short, {name: env(_prefix + name, default="") for name in _EID_VARIABLES})
    EID_REGIONS[_short] = _config
    _eid_apps.append(_app)
if DEMO_EID and not EID_REGIONS:
    from .base import REGION_SHORT_NAME

    _config, _app = eid_region(
        REGION_SHORT_NAME,
        {
            "ISSUER": f"http://127.0.0.1:{DEMO_EID_PORT}",
            "CLIENT_ID": "samverkansportalen-demo",
            "CLIENT_SECRET": "demo",
            "MIN_LEVEL": "EXTENDED",
            "DEMO": "true",
        },
    )
    EID_REGIONS[REGION_SHORT_NAME] = _config
    _eid_apps.append(_app)
EID_PERSON_NUMBER_KEY = env("EID_PERSON_NUMBER_KEY", default="demo-only-person-number-key" if DEMO_EID else "")
if EID_REGIONS and not EID_PERSON_NUMBER_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EID_PERSON_NUMBER_KEY is required when a region has e-ID (EID_REGIONS)")

SOCIALACCOUNT_ADAPTER = "accounts.eid.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # The portal's e-ID provider: nonce, the ID token's signature always checked, the level checked.
        "provider_class": "accounts.eid.EIDProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": _eid_apps,
    }
}
# An e-ID login with no account asks for the e-mail address and verifies it before the account opens;
# an address the provider says is verified is verified again; an e-mail address never logs in to an account.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
