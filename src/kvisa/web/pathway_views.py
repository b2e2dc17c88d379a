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
from django.utils.translation import gettext as _

from kvisa.accounts import public_budget
from kvisa.casework.service_programmes import default_programme, service_for
from kvisa.pathways.chart import cost_time_svg
from kvisa.pathways.compare import compare
from kvisa.pathways.present import route_text
from kvisa.reference import country_name
from kvisa.rules import ProfileError, RulesError, validate_profile
from kvisa.rules.facts import FACTS_BY_NAME
from kvisa.rules.labels import verdict_label

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


def _problem(name: str, kind: str, error: ProfileError | None = None) -> str:
    """What is wrong with one answer, in the reader's language (never a validator's text)."""
    fact = FACTS_BY_NAME.get(name)
    if name == "date_of_birth" and error is not None and "future" in error.problem:
        return _("A date of birth cannot be in the future.")
    if kind == "date":
        return _("Enter a real date (YYYY-MM-DD).")
    if name == "nationality":
        return _("Choose a nationality from the list (a three-letter ISO code).")
    if kind in ("number", "int") and fact is not None and fact.maximum is not None:
        return _("Enter a number from %(low)s to %(high)s.") % {
            "low": f"{fact.minimum:g}" if fact.minimum is not None else "0",
            "high": f"{fact.maximum:g}"}
    if kind in ("number", "int"):
        return _("Enter a number of 0 or more.") if error is not None else \
            _("Enter a number, for example 4 or 120000.")
    return _("Choose one of the answers in the list.")


def _profile_from_form(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile, and every bad answer at once (each checked on its own)."""
    profile: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, kind in FORM_FIELDS:
        raw = str(data.get(name, "")).strip()
        if not raw:
            continue
        try:
            if kind == "bool":
                value: Any = {"true": True, "false": False}[raw]
            elif kind == "number":
                value = float(raw.replace(",", ""))
            elif kind == "int":
                value = int(raw)
            elif name == "nationality":
                value = raw.upper()
                if country_name(value, "en") is None:
                    raise ValueError(value)
            else:
                value = raw
        except (KeyError, ValueError):
            errors[name] = _problem(name, kind)
            continue
        try:
            validate_profile({name: value})
        except ProfileError as exc:
            errors[name] = _problem(name, kind, exc)
            continue
        profile[name] = value
    return profile, errors


def summary(rows: list[tuple[Any, Any]]) -> dict[str, list[str]]:
    """Route names by verdict, for the sentence above the table."""
    found: dict[str, list[str]] = {"eligible": [], "undetermined": [], "not_eligible": []}
    for route, text in rows:
        found.setdefault(route.verdict, []).append(text.name)
    return found


def page(request: HttpRequest) -> HttpResponse:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    comparison = None
    form_error = ""
    on = dt.date.today()
    if request.method == "POST":
        wait = public_budget.retry_after(request, "compute")
        if wait is not None:
            return public_budget.too_many_page(request, wait)
        values = {k: v for k, v in request.POST.items() if k in KINDS}
        upload = request.FILES.get("profile_json")
        try:
            if request.POST.get("on"):
                on = dt.date.fromisoformat(request.POST["on"])
        except ValueError:
            errors["on"] = _("Enter a real date (YYYY-MM-DD).")
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
                          "verdict": route.verdict,
                          "verdict_label": verdict_label(route.verdict, lang),
                          "usd": float(usd.get("certain", 0)),
                          "usd_up_to": float(usd.get("up_to", 0)),
                          "cny": float(cny.get("certain", 0)), "days": days,
                          "odds": (route.odds or {}).get("probability")})
            rows.append((route, route_text(route, lang)))
        # routes open now first, then those that need facts, then the closed ones
        order = {"eligible": 0, "undetermined": 1, "not_eligible": 2}
        rows.sort(key=lambda row: order.get(row[0].verdict, 3))
    chart_svg, unplaced = cost_time_svg(chart, lang) if chart else ("", [])
    status = 422 if (errors or form_error) else 200
    return render(request, "pathways/page.html", {
        "fields": FORM_FIELDS, "values": values, "errors": errors, "form_error": form_error,
        "comparison": comparison, "rows": rows, "chart_svg": chart_svg, "unplaced": unplaced,
        "summary": summary(rows), "apply": service_for(default_programme()),
        "on": on.isoformat(),
        "prefill": {k: v for k, v in values.items() if k in {
            "date_of_birth", "nationality", "highest_degree", "degree_field",
            "degree_institution_recognised", "teaching_or_research_at_recognised_institution",
            "years_work_experience"}}}, status=status)
