"""Registration and sign-in forms (paste allowed everywhere; no composition rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from kvisa.accounts.models import Role, TokenScope, User


class RegisterForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 15 characters. A phrase of several words "
                                           "is strong and easy to remember."))

    def clean_email(self) -> str:
        # Whether an account exists is never said here (that would let anyone probe
        # for accounts); the view mails the owner instead, as password reset does.
        return str(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("email"):
            probe = User(email=data["email"], display_name=data.get("display_name", ""),
                         role=Role.APPLICANT)
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class SecondFactorForm(forms.Form):
    token = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=6,
                            min_length=6, widget=forms.TextInput(
                                attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class StaffCreateForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=[
        (r.value, r.label) for r in (Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN,
                                     Role.ADVISER)])
    password = forms.CharField(label=_("Initial password"), strip=False,
                               widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") and User.objects.filter(email=data["email"].lower()).exists():
            self.add_error("email", _("An account with this e-mail already exists."))
        if data.get("password") and data.get("role"):
            probe = User(email=data.get("email", ""), display_name=data.get("display_name", ""),
                         role=data["role"])
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class ApiTokenForm(forms.Form):
    """A new API token: what it may do and for how long; staff confirm with a fresh code."""

    name = forms.CharField(label=_("Token name"), max_length=80)
    scope = forms.ChoiceField(label=_("What it may do"), choices=TokenScope.choices,
                              initial=TokenScope.READ, widget=forms.RadioSelect)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365,
                              initial=90)
    token = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=6,
                            min_length=6, required=False, widget=forms.TextInput(
                                attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_staff_role:
            self.fields["token"].required = True
        else:
            del self.fields["token"]

    def clean_token(self) -> str:
        """Staff tokens act without the second factor, so making one needs a fresh code."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        code = self.cleaned_data.get("token", "")
        device = TOTPDevice.objects.filter(user=self.user, confirmed=True).first()
        if device is None or not device.verify_token(code):
            raise forms.ValidationError(_("That code is not right or has expired. Try the "
                                          "next one."))
        return code
