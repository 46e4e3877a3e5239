from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from core.forms import limit_email_field


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the person confirms with the password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("I understand that my account is deleted for good."))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            # An account opened with e-ID has no password: the person types the account's e-mail address
            # (and, where the region has e-ID, has just confirmed with it: see views.account_delete).
            del self.fields["password"]
            self.fields["email"] = forms.EmailField(
                label=_("Your account's e-mail address"),
                help_text=_("Your account has no password: type its e-mail address to confirm."),
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.order_fields(["email", "confirm"])

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().casefold() != (self.user.email or "").casefold():
            raise forms.ValidationError(_("This is not your account's e-mail address."), code="wrong_email")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


# allauth's forms, with every e-mail field capped at what the columns hold (its EmailField accepts
# 320 characters, its EmailAddress.email and our User.email hold 254), wired in ACCOUNT_FORMS.
class _EmailLimitMixin:
    email_fields = ("email",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.email_fields:
            field = self.fields.get(name)
            if field is not None:
                limit_email_field(field)


class SignupForm(_EmailLimitMixin, allauth_forms.SignupForm):
    email_fields = ("email", "email2")

    def try_save(self, request):
        """With an address that already has an account allauth creates nothing and only queues an
        "account already exists" e-mail; a new account costs a password hash as well, the slow part
        (47 ms against 389 ms). Hash the password here too, so both answers take the same work and
        time cannot tell whether an account exists (ACCOUNT_PREVENT_ENUMERATION)."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or get_random_string(32))
            return super().try_save(request)
        # The form checked that no account has this address, but a parallel sign-up with the same
        # address (a double click, a retry) can commit between that check and this save; the unique
        # column then refuses the second. Answer it as the address that already has an account.
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True
            return super().try_save(request)


class LoginForm(_EmailLimitMixin, allauth_forms.LoginForm):
    email_fields = ("login",)


class ResetPasswordForm(_EmailLimitMixin, allauth_forms.ResetPasswordForm):
    pass


class AddEmailForm(_EmailLimitMixin, allauth_forms.AddEmailForm):
    pass


class ChangeEmailForm(_EmailLimitMixin, allauth_forms.ChangeEmailForm):
    pass


class RequestLoginCodeForm(_EmailLimitMixin, allauth_forms.RequestLoginCodeForm):
    pass
