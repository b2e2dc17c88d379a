"""Applications and everything that happens to them.

The journal (:class:`Action`) is the record; ``Application.state`` is a cached
projection of it kept in the same transaction, so queues can filter by state
with an index.  Its audit events live in :mod:`kvisa.audit`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    EVIDENCE_REQUESTED = "evidence_requested", _("Evidence requested")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="applications")
    programme = models.CharField(max_length=60, default="cn.k_visa")
    profile = models.JSONField(default=dict, blank=True)
    identity = models.JSONField(default=dict, blank=True)  # name, passport, sex …
    state = models.CharField(max_length=24, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=0)
    nationality = models.CharField(max_length=3, blank=True, db_index=True)
    precheck = models.CharField(max_length=16, blank=True)  # verdict when submitted
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="assigned_cases")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    # when its personal data was removed after its retention period (casework.privacy)
    purged_at = models.DateTimeField(null=True, blank=True)

    @property
    def applicant_name(self) -> str:
        """How staff pages name the person: as in the passport ("SHARMA, Priya") once the
        identity is given, else the account's name; nothing once the case's personal data
        is removed."""
        if self.purged_at:
            return ""
        surname = str(self.identity.get("surname", "")).strip()
        given = str(self.identity.get("given_names", "")).strip()
        if surname:
            return f"{surname}, {given}" if given else surname
        return self.applicant.display_name

    class Meta:
        indexes = [
            models.Index(fields=["state", "submitted_at", "id"], name="queue_state_age"),
            # the default queue (all open cases, oldest first) reads this partial index in
            # order and stops after one page, however many cases there are
            models.Index(fields=["submitted_at", "id"], name="queue_open_cases",
                         condition=models.Q(state__in=["submitted", "under_review",
                                                       "evidence_requested"])),
            models.Index(fields=["programme", "state", "submitted_at"], name="queue_programme"),
            models.Index(fields=["assigned_to", "state"], name="queue_assigned"),
            models.Index(fields=["precheck", "state"], name="queue_precheck"),
            # duplicate detection looks people up by birth date (casework.duplicates)
            models.Index(Cast(KeyTextTransform("date_of_birth", "profile"),
                              output_field=models.TextField()), name="duplicate_birth_text"),
        ]


class Action(models.Model):
    """One entry of a case's journal: who did what, when, under which client id."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="actions")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    role = models.CharField(max_length=20)
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    payload = models.JSONField(default=dict, blank=True)
    client_txn_id = models.CharField(max_length=80)
    # the Idempotency-Key draft: a digest of the request, so that the same key with a
    # different request is refused, and what the first answer said (state, version)
    request_digest = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "client_txn_id"],
                                               name="action_applied_once")]
        ordering = ["id"]


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="documents")
    kind = models.CharField(max_length=30)
    original_name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)
    # what a PDF can do besides show pages (pdf_content.active_content): shown to officers
    active_content = models.JSONField(default=list, blank=True)


class EvidenceRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="evidence_requests")
    message = models.TextField()
    due_date = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)


class Decision(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                     related_name="decisions")
    outcome = models.CharField(max_length=10)  # approve / refuse / reverse
    reasons = models.JSONField(default=list)   # criterion ids
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)


class DuplicateFlag(models.Model):
    """This case may duplicate ``other`` (duplicates.RULES); an officer resolves it."""

    OPEN, NOT_DUPLICATE, LINKED, REFUSED = "open", "not_duplicate", "linked", "refused"

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="duplicate_flags")
    other = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    strength = models.CharField(max_length=10)
    status = models.CharField(max_length=16, default=OPEN)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "other"],
                                               name="one_flag_per_pair")]


class WageTable(models.Model):
    """One version of the local average wage table the rules read (kvisa.rules.reference).

    Every upload stores the whole resulting table, so any decision can be traced
    to the figures in force when it was assessed; the newest version is in use.
    """

    class Mode(models.TextChoices):
        EXTEND = "extend", _("Extended")
        REPLACE = "replace", _("Replaced")

    csv_text = models.TextField()
    digest = models.CharField(max_length=16)
    rows = models.PositiveIntegerField()
    mode = models.CharField(max_length=8, choices=Mode.choices)
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]


class PolicyRun(models.Model):
    """A what-if run of the policy lab: a population, a scenario, a background job."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    name = models.CharField(max_length=120)
    overrides = models.JSONField(default=dict)          # parameter id -> value
    programmes = models.JSONField(default=list)
    on = models.DateField()
    population = models.CharField(max_length=300)       # "generated:N:seed" or a file name
    status = models.CharField(max_length=10, default=QUEUED)
    done_rows = models.BigIntegerField(default=0)
    total_rows = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # which try this is (a run whose worker died is tried again, up to a limit), and the
    # last sign of life from the worker running it: a run silent too long is stalled
    attempt = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)


class EnquiryCount(models.Model):
    """Enquiries, counted in aggregate only (issue 26): one row per day, source, M49
    sub-region of the nationality ("" when not answered) and the routes found open
    (sorted route keys, comma-separated).  No person, no address, no cookie, no time
    of day: a row is a count, and a count is all the seed's figure needs."""

    INTERVIEW, START_PAGE, API = "interview", "start_page", "api"
    day = models.DateField()
    source = models.CharField(max_length=12)
    sub_region = models.CharField(max_length=3, blank=True)
    routes_open = models.CharField(max_length=400, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "source", "sub_region", "routes_open"], name="one_count_per_cell")]
