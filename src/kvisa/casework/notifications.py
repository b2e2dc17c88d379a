"""E-mails to the applicant (and advisers acting for them) when their case needs them.

Sent only after the transaction commits, so a rolled-back action never mails.
Every language the site offers, side by side, since no language preference is stored
yet; the sentences are the catalogue's (one place per sentence).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from kvisa.accounts.models import AdviserLink
from kvisa.casework.models import Application
from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate

# Each e-mail is a subject and a body, message ids of the one catalogue; a mail carries
# them in every language the site offers (settings.LANGUAGES), one after the other.
MESSAGES = {
    "submit": (
        N_("Your kvisa application {ref} is submitted"),
        N_("Thank you. An officer will check your application; if anything is missing you "
           "will be asked here, with a date to answer by. Quote {ref} when you write to us.")),
    "request_evidence": (
        N_("Your kvisa application {ref}: more evidence is needed"),
        N_("The officer asks: {message}\nPlease answer by {due}.")),
    "issue": (
        N_("Your kvisa application {ref}: your e-visa is issued"),
        N_("Sign in to download your e-visa (visa number {visa}).")),
    "issue_card": (
        N_("Your kvisa application {ref}: your permanent resident ID card is issued"),
        N_("Card number {card}, valid until {valid_until}. Sign in for how to collect it.")),
    "remind": (
        N_("Your kvisa application {ref}: evidence due {due}"),
        N_("The officer is waiting for: {message}\nPlease answer by {due}.")),
    "refuse": (
        N_("Your kvisa application {ref}: decision"),
        N_("The application was refused. Sign in to read the reasons.")),
}


def notify(application: Application, event: str, **details: str) -> None:
    """Queue the e-mail for ``event``; it is sent when the current transaction commits."""
    if event not in MESSAGES:
        return
    subject_id, body_id = MESSAGES[event]
    values = {"ref": application.reference or str(application.pk), **details}
    languages = [code for code, _name in settings.LANGUAGES]
    subject = " / ".join(translate(subject_id, lang).format(**values) for lang in languages)
    link = f"{settings.SITE_URL.rstrip('/')}/applications/{application.pk}/"
    body = "\n\n".join([*(translate(body_id, lang).format(**values) for lang in languages),
                         f"{link}\n"])
    advisers = AdviserLink.objects.filter(applicant=application.applicant,
                                          revoked_at__isnull=True)
    recipients = [application.applicant.email,
                  *advisers.values_list("adviser__email", flat=True)]
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients,
                                            fail_silently=True))
