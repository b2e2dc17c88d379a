"""Sign-up with e-mail verification, sign-in with a TOTP second factor for staff,
advisers' consent, and staff accounts created by administrators."""

from __future__ import annotations

import math
import time
from io import BytesIO
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvisa.accounts import throttle
from kvisa.accounts.forms import RegisterForm, SecondFactorForm, StaffCreateForm
from kvisa.accounts.models import AdviserLink, Role, User
from kvisa.accounts.typing import AuthedRequest
from kvisa.audit import log as audit
from kvisa.casework.errors import CaseworkError
from kvisa.casework.policy import Permission, may
from kvisa.casework.services import adviser_grant, adviser_revoke


def _request_id(request: AuthedRequest) -> str:
    return getattr(request, "request_id", "")


REGISTRATIONS_PER_HOUR = 10
RESET_REQUESTS_PER_HOUR = 10
RESETS_PER_ADDRESS_PER_HOUR = 3


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


class ThrottledLoginView(auth_views.LoginView):
    """Sign-in with a per-account delay for browsers the account has not used before."""

    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "")
        wait = 0 if throttle.trusted_device(request, email) else throttle.account_wait(email)
        if wait:
            # an unbound form: validating it would check the password, which is the point
            # of not doing so yet
            form = self.get_form_class()(request, initial={"username": email[:254]})
            message = ngettext(
                "Too many failed sign-ins for this account. Wait %(n)d second and try again.",
                "Too many failed sign-ins for this account. Wait %(n)d seconds and try again.",
                wait) % {"n": wait}
            response = self.render_to_response(self.get_context_data(
                form=form, throttled=message))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        throttle.remember_device(response, form.get_user(), secure=self.request.is_secure())
        return response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Reset requests limited per address, and per target account (no mail-bombing)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not throttle.allow("password_reset", throttle.client_address(request),
                              limit=RESET_REQUESTS_PER_HOUR, per_seconds=3600):
            return _too_many(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data.get("email", "")).lower()
        if not throttle.allow("password_reset_to", email, limit=RESETS_PER_ADDRESS_PER_HOUR,
                              per_seconds=3600):
            # the same answer as a sent mail: whether the address exists stays unknown
            return redirect(self.get_success_url())
        return super().form_valid(form)


def register(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST" and not throttle.allow(
            "register", throttle.client_address(request), limit=REGISTRATIONS_PER_HOUR,
            per_seconds=3600):
        return _too_many(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if User.objects.filter(email=email).exists():
            # the same answer as for a new address; the owner learns of it by mail
            make_password(form.cleaned_data["password"])  # about as slow as creating one
            if throttle.allow("register.existing", email, limit=RESETS_PER_ADDRESS_PER_HOUR,
                              per_seconds=3600):  # the owner is not flooded with mail
                _mail_existing_owner(request, email)
            return render(request, "accounts/verify_sent.html", {"email": email})
        with transaction.atomic():
            user = User.objects.create_user(
                form.cleaned_data["email"], form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"], is_active=False)
            audit.record(actor=user.email, action="user.register", object_type="user",
                         object_id=user.pk, request_id=_request_id(request))
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = request.build_absolute_uri(reverse("accounts:verify_email", args=[
            uid, default_token_generator.make_token(user)]))
        send_mail(_("Confirm your kvisa account"),
                  _("Open this link to confirm your e-mail address:\n\n%(link)s\n") % {
                      "link": link}, None, [user.email])
        return render(request, "accounts/verify_sent.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form})


def _mail_existing_owner(request: HttpRequest, email: str) -> None:
    reset = request.build_absolute_uri(reverse("accounts:password_reset"))
    sign_in = request.build_absolute_uri(reverse("accounts:login"))
    send_mail(_("Someone tried to register with your e-mail"),
              _("Someone (perhaps you) tried to create a kvisa account with this e-mail "
                "address, which already has one. No new account was made.\n\n"
                "To sign in: %(sign_in)s\nForgot your password? %(reset)s\n\n"
                "If it was not you, you need do nothing.\n") % {
                  "sign_in": sign_in, "reset": reset}, None, [email])


def verify_email(request: AuthedRequest, uid: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not default_token_generator.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    with transaction.atomic():
        user.is_active, user.email_verified = True, True
        user.save(update_fields=["is_active", "email_verified"])
        audit.record(actor=user.email, action="user.verify_email", object_type="user",
                     object_id=user.pk, request_id=_request_id(request))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail is confirmed. Welcome to kvisa."))
    # an application asked for before registering continues where it was left
    return redirect("portal:start" if request.session.get("pending_start") else "home")


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The ``next`` target if it stays on this site, else ``default`` (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(default)


# Wrong codes allowed before a delay: a mistyped digit or a code that just changed
# must not lock anyone out; guessing is slowed from then on (1 s, 2 s, 4 s … 5 min).
FREE_WRONG_CODES = 3
MAX_CODE_DELAY_SECONDS = 300


def second_factor_wait(device: TOTPDevice) -> int:
    """Seconds before ``device`` accepts another code (0: now).

    django-otp's own throttle (``OTP_TOTP_THROTTLE_FACTOR``) delays from the first
    wrong code; it is off, and this one counts the device's failures instead.
    """
    failures, last = device.throttling_failure_count, device.throttling_failure_timestamp
    if failures < FREE_WRONG_CODES or last is None:
        return 0
    delay = min(2 ** (failures - FREE_WRONG_CODES), MAX_CODE_DELAY_SECONDS)
    return max(0, math.ceil(delay - (timezone.now() - last).total_seconds()))


def already_used(device: TOTPDevice, token: str) -> bool:
    """The code is right for now but was used before (each code works once)."""
    from django_otp.oath import TOTP

    try:
        value = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return bool(totp.verify(value, device.tolerance)) and totp.t() <= device.last_t


@login_required
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Set up (first time) or enter the TOTP code; required for every staff role."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first() or \
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = SecondFactorForm(request.POST or None)
    candidate = device or pending
    if request.method == "POST" and form.is_valid() and candidate is not None:
        wait = second_factor_wait(candidate)
        token = form.cleaned_data["token"]
        if wait:
            # after several wrong codes the device refuses any code for a moment: say
            # so, rather than call a right code wrong
            form.add_error("token", ngettext(
                "Too many wrong codes in a row: wait %(n)d second, then type the code your "
                "app shows now.", "Too many wrong codes in a row: wait %(n)d seconds, then "
                "type the code your app shows now.", wait) % {"n": wait})
        elif candidate.verify_token(token):
            with transaction.atomic():
                if not candidate.confirmed:
                    candidate.confirmed = True
                    candidate.save()
                audit.record(actor=user.email, action="user.second_factor",
                             object_type="user", object_id=user.pk,
                             request_id=_request_id(request))
            otp_login(request, candidate)
            return redirect(safe_next(request))
        elif already_used(candidate, token):
            form.add_error("token", _("That code was already used to sign in. Codes can be "
                                      "used once: wait for the next one (they change every "
                                      "30 seconds)."))
        else:
            form.add_error("token", _("That code is not right or has expired. Check that "
                                      "the clock of the device with your app is right, and "
                                      "type the code it shows now."))
    context = {"form": form, "setting_up": pending is not None}
    if pending is not None:
        buffer = BytesIO()
        segno.make(pending.config_url, error="m").save(buffer, kind="svg", scale=4)
        context["qr_svg"] = buffer.getvalue().decode()
        context["secret_url"] = pending.config_url
    return render(request, "accounts/second_factor.html", context)


@login_required
def advisers(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not may(user, Permission.MANAGE_ADVISERS):
        raise Http404
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                adviser_revoke(applicant=user, link_id=int(request.POST["revoke"]),
                               request_id=_request_id(request))
                messages.success(request, _("The adviser can no longer act for you."))
            else:
                adviser_grant(applicant=user, adviser_email=request.POST.get("email", ""),
                              request_id=_request_id(request))
                messages.success(request, _("The adviser can now act on your applications."))
        except (CaseworkError, ValueError) as exc:
            messages.error(request, str(exc))
        return redirect("accounts:advisers")
    links = AdviserLink.objects.filter(applicant=user).select_related("adviser").order_by(
        "-granted_at")
    return render(request, "accounts/advisers.html", {"links": links})


@login_required
def staff_accounts(request: AuthedRequest) -> HttpResponse:
    if not may(request.user, Permission.MANAGE_STAFF_ACCOUNTS):
        raise Http404
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User.objects.create_user(data["email"], data["password"],
                                            display_name=data["display_name"], role=data["role"],
                                            email_verified=True)
            audit.record(actor=request.user.email, action="user.create_staff",
                         object_type="user", object_id=user.pk, after={"role": user.role},
                         request_id=_request_id(request))
        messages.success(request, _("Account created. The person sets up their authenticator "
                                    "at first sign-in."))
        return redirect("accounts:staff")
    people = User.objects.exclude(role=Role.APPLICANT).order_by("role", "email")
    return render(request, "accounts/staff.html", {"form": form, "people": people})


@login_required
def api_token(request: AuthedRequest) -> HttpResponse:
    """List, create and revoke the signed-in user's API tokens (shown once on creation)."""
    import datetime as dt

    from kvisa.accounts.forms import ApiTokenForm
    from kvisa.accounts.models import ApiToken

    token = None
    revoking = request.method == "POST" and "revoke" in request.POST
    form = ApiTokenForm(request.POST if request.method == "POST" and not revoking else None,
                        user=request.user)
    if revoking:
        wanted = request.POST["revoke"]
        with transaction.atomic():
            row = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True,
                                          pk=int(wanted)).first() if wanted.isdigit() \
                and len(wanted) < 19 else None
            if row is None:
                raise Http404
            row.revoked_at, row.revoked_reason = timezone.now(), "revoked by owner"
            row.save(update_fields=["revoked_at", "revoked_reason"])
            audit.record(actor=request.user.email, action="user.api_token_revoke",
                         object_type="user", object_id=request.user.pk,
                         after={"token": row.pk}, request_id=_request_id(request))
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            row, token = ApiToken.issue(request.user, data["name"], scope=data["scope"],
                                        lifetime=dt.timedelta(days=data["days"]))
            audit.record(actor=request.user.email, action="user.api_token",
                         object_type="user", object_id=request.user.pk,
                         after={"token": row.pk, "scope": row.scope,
                                "expires_at": row.expires_at.isoformat()},
                         request_id=_request_id(request))
        form = ApiTokenForm(user=request.user)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/api_token.html",
                  {"token": token, "tokens": tokens, "form": form})
