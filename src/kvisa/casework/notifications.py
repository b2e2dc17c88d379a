"""E-mails to the applicant (and advisers acting for them) when their case needs them.

Sent only after the transaction commits, so a rolled-back action never mails.
English and Chinese side by side, since no language preference is stored yet.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from kvisa.accounts.models import AdviserLink
from kvisa.casework.models import Application

MESSAGES = {
    "submit": ("Your kvisa application {ref} is submitted",
               "您的kvisa申请{ref}已提交",
               "Thank you. An officer will check your application; if anything is missing you "
               "will be asked here, with a date to answer by. Quote {ref} when you write to us.",
               "谢谢。签证官将审核您的申请；如缺少材料，会在此通知您并注明答复期限。联系我们时请注明{ref}。"),
    "request_evidence": ("Your kvisa application {ref}: more evidence is needed",
                         "您的kvisa申请{ref}：需要补充材料",
                         "The officer asks: {message}\nPlease answer by {due}.",
                         "签证官要求：{message}\n请于{due}前答复。"),
    "issue": ("Your kvisa application {ref}: your e-visa is issued",
              "您的kvisa申请{ref}：电子签证已签发",
              "Sign in to download your e-visa (visa number {visa}).",
              "请登录下载您的电子签证（签证号码{visa}）。"),
    "issue_card": ("Your kvisa application {ref}: your permanent resident ID card is issued",
                   "您的kvisa申请{ref}：外国人永久居留身份证已签发",
                   "Card number {card}, valid until {valid_until}. Sign in for how to collect it.",
                   "证件号码{card}，有效期至{valid_until}。请登录查看领取方式。"),
    "remind": ("Your kvisa application {ref}: evidence due {due}",
               "您的kvisa申请{ref}：补充材料截止日期{due}",
               "The officer is waiting for: {message}\nPlease answer by {due}.",
               "签证官正在等待：{message}\n请于{due}前答复。"),
    "refuse": ("Your kvisa application {ref}: decision",
               "您的kvisa申请{ref}：决定",
               "The application was refused. Sign in to read the reasons.",
               "申请被拒绝。请登录查看理由。"),
}


def notify(application: Application, event: str, **details: str) -> None:
    """Queue the e-mail for ``event``; it is sent when the current transaction commits."""
    if event not in MESSAGES:
        return
    subject_en, subject_zh, body_en, body_zh = MESSAGES[event]
    values = {"ref": application.reference or str(application.pk), **details}
    subject = f"{subject_en.format(**values)} / {subject_zh.format(**values)}"
    link = f"{settings.SITE_URL.rstrip('/')}/applications/{application.pk}/"
    body = (f"{body_en.format(**values)}\n\n{body_zh.format(**values)}\n\n"
            f"{link}\n")
    advisers = AdviserLink.objects.filter(applicant=application.applicant,
                                          revoked_at__isnull=True)
    recipients = [application.applicant.email,
                  *advisers.values_list("adviser__email", flat=True)]
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients,
                                            fail_silently=True))
