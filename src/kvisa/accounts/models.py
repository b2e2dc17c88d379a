"""People and their roles; advisers acting with an applicant's recorded consent; API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ADVISER = "adviser", _("Adviser")
    OFFICER = "officer", _("Visa officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN}


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    display_name = models.CharField(_("name"), max_length=120)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.APPLICANT)
    is_active = models.BooleanField(default=True)
    email_verified = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_staff(self) -> bool:  # Django admin is not installed; kept for libraries
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password or role ends every API token issued under the old one."""
        fields = kwargs.get("update_fields")
        watched = fields is None or {"password", "role"} & set(fields)
        old = (User.objects.filter(pk=self.pk).values("password", "role").first()
               if self.pk and watched else None)
        super().save(*args, **kwargs)
        if old is not None:
            reason = ("password changed" if old["password"] != self.password else
                      "role changed" if old["role"] != self.role else "")
            if reason:
                self.api_tokens.filter(revoked_at__isnull=True).update(
                    revoked_at=timezone.now(), revoked_reason=reason)


class AdviserLink(models.Model):
    """An applicant's consent for an adviser to act on their applications."""

    applicant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="advisers")
    adviser = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clients")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["applicant", "adviser"], condition=models.Q(revoked_at__isnull=True),
            name="one_active_link_per_pair")]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and act")


TOKEN_LIFETIME = dt.timedelta(days=90)


def _token_expiry() -> dt.datetime:
    return timezone.now() + TOKEN_LIFETIME


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored.

    It expires (90 days by default), ends when its owner's password or role
    changes, and a read-only token cannot change anything.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_token_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, scope: str = TokenScope.READ,
              lifetime: dt.timedelta = TOKEN_LIFETIME) -> tuple[ApiToken, str]:
        token = "kv_" + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, digest=cls.digest_of(token), scope=scope,
                                 expires_at=timezone.now() + lifetime)
        return row, token

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"


class AccountThrottle(models.Model):
    """Failed sign-ins for one account from browsers it does not know (see throttle.py)."""

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)


class RequestQuota(models.Model):
    """How many requests of a kind one address made in one time window."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=254)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window"],
                                               name="one_quota_row_per_window")]
