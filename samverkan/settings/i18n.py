"""Languages, time zone and formats."""

from django.utils.translation import gettext_lazy as _

from .base import BASE_DIR

# Internationalisation: Swedish first, English available.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# locale: the project's own texts (make messages); accounts/locale_allauth: fixes to allauth's Swedish;
# locale_vendor: Swedish for third-party admin templates (import-export, history) kept by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "accounts" / "locale_allauth", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["samverkan.formats"]
