from django.urls import path

from kvisa.web import case_views as views
from kvisa.web import form_views, queue_views

portal = ([
    path("", views.dashboard, name="dashboard"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", form_views.edit, name="edit"),
    path("<int:pk>/edit/<slug:slug>/", form_views.form_page, name="page"),
    path("<int:pk>/autosave/", form_views.autosave, name="autosave"),
    path("<int:pk>/route/", form_views.choose_route, name="route"),
    path("<int:pk>/mrz/", views.mrz_prefill, name="mrz"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/submitted/", views.submitted, name="submitted"),
    path("<int:pk>/withdraw/", views.applicant_action, {"action": "withdraw"}, name="withdraw"),
    path("<int:pk>/answer/", views.applicant_action, {"action": "answer_evidence"},
         name="answer"),
    path("<int:pk>/e-visa/", views.evisa_download, name="evisa"),
    path("<int:pk>/cards/<int:card>/<str:face>/", views.card_download, name="card"),
    path("<int:pk>/documents/<int:doc>/", views.document_view, name="document"),
    path("<int:pk>/documents/<int:doc>/remove/", views.document_remove,
         name="document_remove"),
], "portal")

console = ([
    path("", queue_views.queue, name="queue"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/cards/<int:card>/reissue/", views.card_reissue, name="card_reissue"),
    path("cases/<int:pk>/confirm/<str:action>/", views.confirm_decision, name="confirm"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="action"),
    path("workload/", views.workload, name="workload"),
    path("workload/<int:pk>/reassign/", views.workload_reassign, name="workload_reassign"),
], "console")
