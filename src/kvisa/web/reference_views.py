"""The reference-data page: the local average wage table, its versions, and uploads.

Staff who read verdicts (officers, supervisors, analysts) see the figures and
their sources; only administrators upload (the service checks the role).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvisa.accounts.typing import AuthedRequest
from kvisa.casework import wage_tables
from kvisa.casework.errors import CaseworkError
from kvisa.casework.models import WageTable
from kvisa.casework.policy import Permission, may
from kvisa.rules import reference
from kvisa.spreadsheet_csv import rows_to_csv
from kvisa.web.case_views import area, rid

MAX_UPLOAD = reference.MAX_BYTES


@area("reference_data")
def average_wages(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        return _upload(request)
    version, rows = wage_tables.current_rows()
    if request.GET.get("format") == "csv":
        body = rows_to_csv(reference.COLUMNS, reference.table_cells(rows))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="local-average-wages.csv"'
        return response
    return render(request, "reference/average_wages.html", {
        "rows": rows, "version": version,
        "versions": WageTable.objects.select_related("uploaded_by")[:20],
        "may_upload": may(request.user, Permission.CHANGE_REFERENCE_DATA),
        "columns": ",".join(reference.COLUMNS)})


def _upload(request: AuthedRequest) -> HttpResponse:
    file = request.FILES.get("table")
    if file is None:
        messages.error(request, _("Choose a CSV file to upload."))
        return redirect("reference_wages")
    if file.size is not None and file.size > MAX_UPLOAD:
        messages.error(request, _("The file is larger than 2 MB; nothing was changed."))
        return redirect("reference_wages")
    try:
        table = wage_tables.upload(by=request.user, data=file.read(MAX_UPLOAD + 1),
                                   replace=request.POST.get("mode") == "replace",
                                   note=request.POST.get("note", ""), request_id=rid(request))
    except CaseworkError as exc:
        messages.error(request, exc.detail)
        return redirect("reference_wages")
    messages.success(request, ngettext("Saved: the table now has %(n)d figure.",
                                      "Saved: the table now has %(n)d figures.", table.rows)
                     % {"n": table.rows})
    return redirect("reference_wages")
