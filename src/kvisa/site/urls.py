from django.urls import include, path
from django.views.i18n import set_language

from kvisa.web import case_views as views
from kvisa.web import (
    dashboard_views,
    operations,
    policy_lab_views,
    reference_views,
    start_views,
)
from kvisa.web.api import api
from kvisa.web.case_urls import console, portal
from kvisa.web.pathway_urls import sub_patterns as pathway_pages

urlpatterns = [
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
    path("", views.home, name="home"),
    path("accounts/", include("kvisa.web.account_urls")),
    path("applications/", include(portal)),
    path("console/", include(console)),
    path("analytics/", dashboard_views.analytics, name="analytics"),
    path("policy-lab/", policy_lab_views.lab, name="policy_lab"),
    path("policy-lab/runs/<int:pk>/", policy_lab_views.run_page, name="policy_run"),
    path("policy-lab/runs/<int:pk>/<str:name>", policy_lab_views.run_download,
         name="policy_run_download"),
    path("analytics/<str:table>.<str:fmt>", dashboard_views.analytics_download,
         name="analytics_download"),
    path("reference/average-wages/", reference_views.average_wages, name="reference_wages"),
    path("apply/<slug:slug>/", start_views.start, name="start"),
    path("verify", views.verify_page, name="verify"),
    path("verify/signer-certificate.pem", views.signer_certificate, name="signer_certificate"),
    path("verify/audit-keys.pem", views.audit_public_keys, name="audit_public_keys"),
    path("pathways", include("kvisa.web.pathway_urls")),
    path("pathways/", include(pathway_pages)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]
