"""Demo data: accounts for every role and ~200 realistic applications in every state.

Everything goes through the services, so the demo's journal and audit chain are
exactly what real use produces (and ``kvisa audit verify`` passes on them).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvisa.accounts.models import AdviserLink, Role, User
from kvisa.casework import decisions, services
from kvisa.casework.assessment import assess
from kvisa.casework.models import Application
from kvisa.site.specimen_answers import visa_answers

# hex key; in base32 (for authenticator apps) GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
PASSWORD = "correct horse battery staple kvisa demo"


@dataclass
class DemoAccount:
    email: str
    role: str
    password: str
    totp_url: str = ""


SURNAMES = ["SHARMA", "PATEL", "NGUYEN", "MUELLER", "SILVA", "OKAFOR", "SMITH", "DUBOIS",
            "KOWALSKI", "TANAKA", "SANTOS", "IVANOVA", "HASSAN", "KIM", "GARCIA", "ROSSI"]
GIVEN = ["PRIYA", "ARJUN", "LINH", "JONAS", "ANA", "CHIDI", "EMMA", "LUC", "MARTA", "YUKI",
         "JOAO", "OLGA", "OMAR", "MINJI", "SOFIA", "MARCO"]
NATIONALITIES = ["IND"] * 6 + ["VNM", "DEU", "BRA", "NGA", "USA", "FRA", "POL", "JPN", "IDN",
                                "RUS", "EGY", "KOR", "ESP", "ITA"]
FIELDS = ["0613", "0533", "0714", "0541", "0511", "0731", "0311", "0413"]


def _account(email: str, role: str, name: str) -> DemoAccount:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, display_name=name, role=role, email_verified=True)
    account = DemoAccount(email, role, PASSWORD)
    if user.is_staff_role:
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)
        account.totp_url = device.config_url
    return account


def seed(count: int = 200, seed_value: int = 2025) -> list[DemoAccount]:
    rng = random.Random(seed_value)
    accounts = [
        _account("applicant@demo.kvisa", Role.APPLICANT, "Priya Sharma"),
        _account("adviser@demo.kvisa", Role.ADVISER, "Shanghai Talent Advisers"),
        _account("officer@demo.kvisa", Role.OFFICER, "Officer Wang"),
        _account("officer2@demo.kvisa", Role.OFFICER, "Officer Li"),
        _account("supervisor@demo.kvisa", Role.SUPERVISOR, "Supervisor Zhao"),
        _account("analyst@demo.kvisa", Role.ANALYST, "Analyst Chen"),
        _account("admin@demo.kvisa", Role.ADMIN, "Administrator"),
        _account("resident@demo.kvisa", Role.APPLICANT, "Anna Mueller"),
    ]
    if Application.objects.exists():
        return accounts
    officers = list(User.objects.filter(role=Role.OFFICER))
    supervisor = User.objects.get(email="supervisor@demo.kvisa")
    adviser = User.objects.get(email="adviser@demo.kvisa")
    seed_enquiries(rng)
    _seed_demo_applicant(User.objects.get(email="applicant@demo.kvisa"), officers[0])
    _seed_resident(User.objects.get(email="resident@demo.kvisa"), officers[0])
    states = (["draft"] * 2 + ["submitted"] * 3 + ["under_review"] * 3 +
              ["evidence_requested"] * 2 + ["issued"] * 4 + ["refused"] * 2 + ["withdrawn"])
    for index in range(count):
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        with transaction.atomic():
            applicant = User.objects.create_user(
                f"applicant{index:03d}@demo.kvisa", PASSWORD, role=Role.APPLICANT,
                display_name=f"{given.title()} {surname.title()}", email_verified=True)
            if index % 10 == 0:
                AdviserLink.objects.create(applicant=applicant, adviser=adviser)
        born = dt.date(1980, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 24))
        profile = {"date_of_birth": born.isoformat(), "nationality": rng.choice(NATIONALITIES),
                   "highest_degree": rng.choice(["bachelor", "master", "master", "doctorate"]),
                   "degree_field": rng.choice(FIELDS),
                   "degree_institution_recognised": rng.random() < 0.75,
                   "teaching_or_research_at_recognised_institution": rng.random() < 0.3,
                   "years_work_experience": float(rng.randint(0, 15))}
        if states[index % len(states)] == "refused":
            # the officer refuses for the reason the note gives, a criterion the
            # rules find not met: the dashboard's refusal reasons have something to show
            profile["degree_field"] = "0311"   # economics: not a STEM field, and the only
            profile["degrees"] = [{"level": profile["highest_degree"], "field": "0311",  # degree
                                   "institution_recognised":
                                   profile["degree_institution_recognised"]}]
            profile["teaching_or_research_at_recognised_institution"] = False
        identity = {"surname": surname, "given_names": given, "sex": rng.choice("FM"),
                    "passport_number": f"{rng.choice('ZPKLMN')}{rng.randint(1000000, 9999999)}",
                    **visa_answers(str(profile["nationality"]), rng)}
        application = services.application_create(applicant=applicant)
        services.application_save_draft(application_id=application.pk, by=applicant,
                                        profile=profile, identity=identity)
        _advance(application.pk, applicant=applicant, officer=officers[index % len(officers)],
                 supervisor=supervisor, target=states[index % len(states)],
                 txn=f"demo-{index}", ask_first=index % 3 == 0, reverse=index % 4 == 0)
        _spread_in_time(application.pk, rng)
    from kvisa.audit.log import chain_pending

    chain_pending(checkpoint=True)  # the seeded history is witnessed before anyone looks
    return accounts


# Enquiries a day by M49 sub-region of the nationality, before August; after 1 August
# those the seed names (India, Southeast Asia, Europe, the United States) rise by a
# third or more, the rest stay level.  Invented figures for the demo, shaped like
# the seed's one operational statement.
ENQUIRY_RATES: dict[str, tuple[float, float]] = {
    "034": (9.0, 1.45), "035": (5.0, 1.4), "154": (2.0, 1.35), "155": (2.5, 1.35),
    "039": (1.5, 1.3), "151": (1.5, 1.3), "021": (3.0, 1.4), "030": (2.0, 1.0),
    "145": (1.5, 1.0), "202": (2.0, 1.0), "419": (1.5, 1.0), "": (2.0, 1.0)}
ENQUIRY_ROUTES = ("cn.k_visa", "cn.k_visa,us.h1b", "us.h1b", "", "cn.k_visa,cn.work_permit")
ENQUIRY_WEEKS = 30


def seed_enquiries(rng: random.Random, today: dt.date | None = None) -> int:
    """30 weeks of enquiry counts ending today, with the rise after 1 August."""
    from kvisa.analytics.enquiries import default_since
    from kvisa.casework.models import EnquiryCount

    today = today or timezone.localdate()
    august = default_since(today)
    counts: dict[tuple[dt.date, str, str, str], int] = {}
    for offset in range(ENQUIRY_WEEKS * 7):
        day = today - dt.timedelta(days=offset)
        for sub_region, (rate, rise) in ENQUIRY_RATES.items():
            expected = rate * (rise if day >= august else 1.0)
            for _ in range(max(0, round(rng.gauss(expected, expected ** 0.5)))):
                source = EnquiryCount.INTERVIEW if rng.random() < 0.8 else EnquiryCount.START_PAGE
                routes = rng.choice(ENQUIRY_ROUTES) if source == EnquiryCount.INTERVIEW else ""
                key = (day, source, sub_region, routes)
                counts[key] = counts.get(key, 0) + 1
    EnquiryCount.objects.bulk_create(
        [EnquiryCount(day=day, source=source, sub_region=sub, routes_open=routes, count=n)
         for (day, source, sub, routes), n in counts.items()], ignore_conflicts=True)
    return sum(counts.values())


def _spread_in_time(pk: int, rng: random.Random) -> None:
    """Demo history: submissions over the last 30 weeks, more of them lately (as the
    news report's "+30% since August"), decisions 3 to 60 days later.  Only the
    case's dates move; the audit log keeps the real times it was written at."""
    from kvisa.casework.models import Application, Decision

    now = timezone.now()
    weeks_ago = 30 * (1 - rng.random() ** 0.6)       # denser towards now
    submitted = now - dt.timedelta(weeks=weeks_ago, hours=rng.randint(0, 23))
    if Application.objects.filter(pk=pk, submitted_at__isnull=False).update(
            submitted_at=submitted, created_at=submitted):
        decided = min(now, submitted + dt.timedelta(days=rng.randint(3, 60)))
        Decision.objects.filter(application_id=pk).update(decided_at=decided)


def _seed_demo_applicant(applicant: User, officer: User) -> None:
    """The demo applicant's own cases: a draft, one waiting for evidence, one issued.

    A newcomer who signs in as the applicant sees the whole journey at once:
    what a draft looks like, what an officer's request for evidence asks and
    when it is due, and an issued e-visa to download and verify.
    """
    profile = {"date_of_birth": "1996-05-14", "nationality": "IND",
               "highest_degree": "master", "degree_field": "0613",
               "degree_institution_recognised": True,
               "teaching_or_research_at_recognised_institution": True,
               "years_work_experience": 3.0}
    identity = {"surname": "SHARMA", "given_names": "PRIYA DEVI", "sex": "F",
                "passport_number": "Z1234567", **visa_answers("IND", random.Random(7))}
    for target in ("draft", "evidence_requested", "issued"):
        application = services.application_create(applicant=applicant)
        services.application_save_draft(application_id=application.pk, by=applicant,
                                        profile=profile, identity=identity)
        _advance(application.pk, applicant=applicant, officer=officer, supervisor=officer,
                 target=target, txn=f"demo-own-{target}", ask_first=False, reverse=False)


@functools.lru_cache(maxsize=8)
def portrait(width: int = 360, height: int = 480) -> bytes:
    """A drawn passport-style photo (no real person's face in the demo)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (200, 215, 235))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.3, height * 0.17, width * 0.7, height * 0.52], fill=(230, 190, 160))
    draw.rectangle([width * 0.2, height * 0.55, width * 0.8, height], fill=(40, 60, 110))
    draw.ellipse([width * 0.4, height * 0.3, width * 0.45, height * 0.34], fill=(40, 30, 30))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90)
    return output.getvalue()


def _seed_resident(applicant: User, officer: User) -> None:
    """Permanent residence on the employment route: one case waiting, one card issued."""
    this_year = dt.date.today().year
    records = [{"year": year, "city": "Shanghai", "salary_cny": 1_250_000.0,
                "income_tax_cny": 310_000.0, "months_in_china": 11.0}
               for year in range(this_year - 4, this_year)]
    profile = {"date_of_birth": "1985-03-01", "nationality": "DEU",
               "no_criminal_record": True, "good_health": True,
               "employment_records": records}
    identity = {"surname": "MUELLER", "given_names": "ANNA", "sex": "F",
                "passport_number": "C01X00T47", "chinese_name": "穆安娜",
                "route": "employment", "phone": "+44 20 7946 0123",
                "home_address": "Room 1203, 88 Century Avenue, Pudong, Shanghai",
                "passport_expiry": (dt.date.today() + dt.timedelta(days=2000)).isoformat()}
    for target in ("under_review", "issued"):
        application = services.application_create(applicant=applicant,
                                                  programme="cn.permanent_residence")
        services.application_save_draft(application_id=application.pk, by=applicant,
                                        profile=profile, identity=identity)
        services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                                 name="photo.jpg", data=portrait())
        _advance(application.pk, applicant=applicant, officer=officer, supervisor=officer,
                 target=target, txn=f"demo-resident-{target}", ask_first=False, reverse=False)


@functools.lru_cache(maxsize=32)
def specimen_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scanned document (marked as a specimen)."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle(title)
    page.drawString(72, 760, f"SPECIMEN - {title}")
    page.save()
    return buffer.getvalue()


def attach_required_documents(application_id: int, by: User | None = None) -> None:
    """Upload what a draft's route requires (the demo's drawn photo, specimen PDFs),
    as its applicant unless ``by`` is given; a case past its draft is left alone."""
    from kvisa.casework import service_programmes
    from kvisa.casework.models import Application, State

    application = Application.objects.get(pk=application_id)
    if application.state != State.DRAFT:
        return
    by = by or application.applicant
    uploaded = set(application.documents.values_list("kind", flat=True))
    for requirement in service_programmes.missing(application.programme,
                                              str(application.identity.get("route", "")),
                                              uploaded):
        kind = requirement.kinds[0]
        data, name = (portrait(), "photo.jpg") if kind == "photo" else \
            (specimen_pdf(kind.replace("_", " ")), f"{kind}.pdf")
        services.document_upload(application_id=application_id, by=by, kind=kind, name=name,
                                 data=data)


def _advance(pk: int, *, applicant: User, officer: User, supervisor: User, target: str,
             txn: str, ask_first: bool, reverse: bool) -> None:
    """Walk one application through the services to ``target``, as real use would."""
    if target == "draft":
        return
    attach_required_documents(pk, applicant)
    services.application_submit(application_id=pk, by=applicant, client_txn_id=f"{txn}-submit")
    if target == "submitted":
        return
    if target == "withdrawn":
        services.application_withdraw(application_id=pk, by=applicant,
                                      client_txn_id=f"{txn}-withdraw")
        return
    services.application_assign(application_id=pk, by=officer, client_txn_id=f"{txn}-assign")
    if target == "under_review":
        return
    if target == "evidence_requested" or ask_first:
        services.application_request_evidence(
            application_id=pk, by=officer,
            message="Please upload your degree certificate with a certified translation.",
            due_date=dt.date.today() + dt.timedelta(days=14), client_txn_id=f"{txn}-ask")
        if target == "evidence_requested":
            return
        services.application_answer_evidence(application_id=pk, by=applicant,
                                              answer="Uploaded the certified translation.",
                                              client_txn_id=f"{txn}-answer")
    if target == "issued":
        services.application_approve(application_id=pk, by=officer,
                                     client_txn_id=f"{txn}-approve")
        return
    application = Application.objects.get(pk=pk)
    assessment = assess(application).assessment
    services.application_refuse(application_id=pk, by=officer,
                                reasons=decisions.refusal_reasons(assessment),
                                note="The degree is not in a STEM field.",
                                client_txn_id=f"{txn}-refuse")
    if reverse:
        services.application_reverse(application_id=pk, by=supervisor,
                                     note="Engineering economics counts as STEM here.",
                                     client_txn_id=f"{txn}-reverse")
