"""The public pathways page: a short form (or a profile JSON upload) → every route
compared, as a table and a cost-versus-time chart, each verdict expandable to
its criteria and citations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from kvisa.pathways.compare import compare
from kvisa.pathways.present import route_text
from kvisa.rules import ProfileError, RulesError

FORM_FIELDS = [
    ("date_of_birth", "date"), ("nationality", "country"), ("highest_degree", "degree"),
    ("degree_field", "field_of_study"), ("degree_institution_recognised", "bool"),
    ("teaching_or_research_at_recognised_institution", "bool"),
    ("years_work_experience", "number"), ("annual_salary_cny", "number"),
    ("local_urban_average_income_cny", "number"), ("years_continuous_work_in_china", "number"),
    ("months_in_china_per_year", "number"), ("us_job_offer", "bool"),
    ("us_job_is_specialty_occupation", "bool"), ("us_offer_wage_level", "int"),
    ("us_advanced_degree", "bool"), ("outside_us", "bool"), ("holds_valid_h1b_visa", "bool"),
    ("us_petition_requests_consular_notification", "bool"),
    ("us_change_of_status_denied", "bool"), ("us_national_interest_exception", "bool"),
    ("no_criminal_record", "bool"), ("good_health", "bool"),
]
KINDS = dict(FORM_FIELDS)


def _profile_from_form(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    profile: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, kind in FORM_FIELDS:
        raw = str(data.get(name, "")).strip()
        if not raw:
            continue
        try:
            if kind == "bool":
                profile[name] = {"true": True, "false": False}[raw]
            elif kind == "number":
                profile[name] = float(raw)
            elif kind == "int":
                profile[name] = int(raw)
            elif name == "nationality":
                profile[name] = raw.upper()
            else:
                profile[name] = raw
        except (KeyError, ValueError):
            errors[name] = "not a valid value"
    return profile, errors


def page(request: HttpRequest) -> HttpResponse:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    comparison = None
    form_error = ""
    on = dt.date.today()
    if request.method == "POST":
        values = {k: v for k, v in request.POST.items() if k in KINDS}
        upload = request.FILES.get("profile_json")
        try:
            if request.POST.get("on"):
                on = dt.date.fromisoformat(request.POST["on"])
        except ValueError:
            errors["on"] = "not a real date (YYYY-MM-DD)"
        if upload is not None:
            try:
                profile = json.loads(upload.read(1_000_001).decode("utf-8"))
                if not isinstance(profile, dict):
                    raise ValueError("not an object")
            except (UnicodeDecodeError, ValueError) as exc:
                form_error = f"profile JSON: {exc}"
                profile = {}
            values = {k: (str(v).lower() if isinstance(v, bool) else v)
                      for k, v in profile.items() if k in KINDS}
        else:
            profile, errors = _profile_from_form(request.POST)
        if not errors and not form_error:
            try:
                comparison = compare(profile, on=on)
            except ProfileError as exc:
                errors[exc.field] = exc.problem
            except RulesError as exc:  # a date outside the range the rules evaluate
                errors["on"] = str(exc).removeprefix("on: ")
    chart = []
    rows = []
    lang = "zh" if get_language().startswith("zh") else "en"
    if comparison is not None:
        for route in comparison.routes:
            totals = route.totals
            usd, cny = totals.get("USD", {}), totals.get("CNY", {})
            days = (route.processing_days or {}).get("max")
            chart.append({"name": route.route.name, "name_zh": route.route.name_zh,
                          "verdict": route.verdict, "usd": float(usd.get("certain", 0)),
                          "usd_up_to": float(usd.get("up_to", 0)),
                          "cny": float(cny.get("certain", 0)), "days": days,
                          "odds": (route.odds or {}).get("probability")})
            rows.append((route, route_text(route, lang)))
    status = 422 if (errors or form_error) else 200
    return render(request, "pathways/page.html", {
        "fields": FORM_FIELDS, "values": values, "errors": errors, "form_error": form_error,
        "comparison": comparison, "rows": rows, "chart": chart, "chart_json": json.dumps(chart),
        "on": on.isoformat(),
        "prefill": {k: v for k, v in values.items() if k in {
            "date_of_birth", "nationality", "highest_degree", "degree_field",
            "degree_institution_recognised", "teaching_or_research_at_recognised_institution",
            "years_work_experience"}}}, status=status)
