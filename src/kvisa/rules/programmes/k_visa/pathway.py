"""The K visa's pathway facets: its fee is set per nationality by each embassy and
published nowhere centrally, and its validity comes from the rules' outputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, entries_text, unpublished

ID = "cn.k_visa"
ROUTES = (Route(ID, None, N_("China K visa"), "CHN"),)


class KVisa(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        return [unpublished(f"{ID}.fee", N_("K visa fee"), "applicant",
                            "fee not published (set per nationality by the embassy)")]

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        outputs = assessment.outputs
        if outputs.get(f"{ID}.validity_years") is None:
            return None
        return translate(N_("{years} years, {entries}, {stay} days per stay"), lang).format(
            years=outputs[f"{ID}.validity_years"], stay=outputs[f"{ID}.stay_days"],
            entries=entries_text(outputs[f"{ID}.entries"], lang))


FACETS = KVisa()
