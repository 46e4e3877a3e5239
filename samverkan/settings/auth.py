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
# A staff user without TOTP is sent to set it up before the admin opens.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEBUG)
