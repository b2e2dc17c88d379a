"""Demo data covers every state and keeps a valid audit chain; password reset works."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from kvisa.audit.log import verify_chain
from kvisa.casework.models import Application, State
from kvisa.site.demo import seed
from tests.support.people import PASSWORD, make_user


def test_demo_data_has_every_state_and_an_intact_chain() -> None:
    accounts = seed(36)
    assert {a.role for a in accounts} >= {"applicant", "adviser", "officer", "supervisor",
                                          "analyst", "admin"}
    assert all(a.totp_url.startswith("otpauth://") for a in accounts
               if a.role in ("officer", "supervisor", "analyst", "admin"))
    states = set(Application.objects.values_list("state", flat=True))
    assert states >= {State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW,
                      State.EVIDENCE_REQUESTED, State.ISSUED, State.REFUSED, State.WITHDRAWN}
    assert verify_chain().ok
    # permanent residence too: a waiting case and an issued card with a valid number
    from kvisa.documents import resident_id
    from kvisa.issuance.models import ResidentCard

    card = ResidentCard.objects.get(application__applicant__email="resident@demo.kvisa")
    assert resident_id.parse(card.number).valid and card.pdf_sha256
    assert Application.objects.filter(programme="cn.permanent_residence",
                                      state=State.UNDER_REVIEW).exists()
    # refusals cite the criteria the rules find not met, as an officer must
    from kvisa.casework.models import Decision

    refusals = Decision.objects.filter(outcome="refuse")
    assert refusals.exists()
    assert all("cn.k_visa.stem_field" in d.reasons for d in refusals), \
        [d.reasons for d in refusals]


def test_password_reset_by_e_mail() -> None:
    user = make_user("applicant")
    client = Client()
    client.post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    new = "another long and memorable passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new) and not user.check_password(PASSWORD)
