"""The work permit's pathway facets: its fee is not published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, unpublished

ID = "cn.work_permit"
ROUTES = (Route(ID, None, N_("China work permit (A/B/C)"), "CHN"),)


class WorkPermit(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        return [unpublished(f"{ID}.fee", N_("Work permit fee"), "employer", "fee not published")]


FACETS = WorkPermit()
