"""What was issued: e-visas and resident cards, and the counter card numbers come from."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visa(models.Model):
    application = models.OneToOneField("casework.Application", on_delete=models.PROTECT,
                                       related_name="visa")
    number = models.CharField(max_length=9, unique=True)
    visa_type = models.CharField(max_length=2)
    valid_from = models.DateField()
    valid_until = models.DateField()
    entries = models.PositiveSmallIntegerField()
    stay_days = models.PositiveSmallIntegerField()
    mrz = models.JSONField()
    seal_hex = models.TextField()
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "casework_visa"  # made when issuance lived in casework; kept


class ResidentCard(models.Model):
    """A Foreign Permanent Resident ID Card issued on approval (2023 design's number).

    ``prefix`` is the number's first 14 characters (9, province of the issuing
    office, nationality, birth date); ``sequence`` numbers people of one sex with
    the same prefix, so (prefix, sex, sequence) is unique among first issues and
    so is the number.  The number is the holder's for life: a renewal or a
    replacement is a new card with the same number that ``replaces`` the earlier
    one, which is marked superseded (the history is the chain).  A holder's old
    15-character number is kept in ``old_number`` and searchable.
    """

    class Reason(models.TextChoices):
        FIRST = "first", _("First issue")
        RENEWAL = "renewal", _("Renewal (validity ending)")
        LOST = "lost", _("Replacement: lost or stolen")
        DAMAGED = "damaged", _("Replacement: damaged")

    application = models.ForeignKey("casework.Application", on_delete=models.PROTECT,
                                    related_name="resident_cards")
    number = models.CharField(max_length=18, db_index=True)
    prefix = models.CharField(max_length=14)
    sex = models.CharField(max_length=1)
    sequence = models.PositiveSmallIntegerField()
    old_number = models.CharField(max_length=15, blank=True, db_index=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    reason = models.CharField(max_length=8, choices=Reason.choices, default=Reason.FIRST)
    superseded_at = models.DateTimeField(null=True, blank=True)
    seal_hex = models.TextField(blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    front_sha256 = models.CharField(max_length=64, blank=True)
    back_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "casework_residentcard"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "sex", "sequence"],
                                    condition=models.Q(replaces__isnull=True),
                                    name="one_card_per_sequence"),
            models.UniqueConstraint(fields=["number"], condition=models.Q(replaces__isnull=True),
                                    name="one_first_issue_per_number"),
            models.UniqueConstraint(fields=["number"],
                                    condition=models.Q(superseded_at__isnull=True),
                                    name="one_current_card_per_number"),
        ]


class CardSequence(models.Model):
    """The last sequence given for a (prefix, sex): the counter card issuance locks."""

    prefix = models.CharField(max_length=14)
    sex = models.CharField(max_length=1)
    last = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "casework_cardsequence"
        constraints = [models.UniqueConstraint(fields=["prefix", "sex"],
                                               name="one_counter_per_prefix")]
