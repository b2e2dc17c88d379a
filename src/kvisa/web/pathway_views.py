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

from kvisa.accounts import public_budget
from kvisa.casework.service_programmes import default_programme, service_for
from kvisa.i18n import language
from kvisa.pathways.chart import cost_time_svg
from kvisa.pathways.compare import compare
from kvisa.pathways.present import route_text
from kvisa.rules import ProfileError, RulesError, fact_text, validate_profile
from kvisa.rules.facts import FACTS_BY_NAME, Fact
from kvisa.rules.labels import verdict_label

FORM_FIELDS = (
    "date_of_birth", "nationality", "highest_degree", "degree_field",
    "degree_institution_recognised", "teaching_or_research_at_recognised_institution",
    "years_work_experience", "annual_salary_cny", "local_urban_average_income_cny",
    "years_continuous_work_in_china", "months_in_china_per_year", "us_job_offer",
    "us_job_is_specialty_occupation", "us_offer_wage_level", "us_advanced_degree", "outside_us",
    "holds_valid_h1b_visa", "us_petition_requests_consular_notification",
    "us_change_of_status_denied", "us_national_interest_exception", "no_criminal_record",
    "good_health",
)
"""The facts the all-answers page asks (for advisers), each read from its definition."""


ON_DATE = Fact("on", "date", "The day the comparison is for.")
"""The comparison's own date, read as every date answer is."""


def _profile_from_form(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile, and every bad answer at once (each checked on its own)."""
    profile: dict[str, Any] = {}
    errors: dict[str, str] = {}
    lang = get_language()
    for name in FORM_FIELDS:
        try:
            value = fact_text.read(FACTS_BY_NAME[name], fact_text.posted(data, name), lang)
        except fact_text.AnswerProblem as problem:
            errors[name] = problem.message
            continue
        if value is None:
            continue
        try:
            validate_profile({name: value})
        except ProfileError as exc:
            errors[name] = fact_text.problem_in_words(exc, lang)
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
    typed_on = ""
    if request.method == "POST":
        wait = public_budget.retry_after(request, "compute")
        if wait is not None:
            return public_budget.too_many_page(request, wait)
        values = {name: fact_text.posted(request.POST, name) for name in FORM_FIELDS}
        upload = request.FILES.get("profile_json")
        try:
            typed_on = fact_text.posted(request.POST, "on")
            if typed_on:
                on = dt.date.fromisoformat(fact_text.read(ON_DATE, typed_on, get_language()))
        except fact_text.AnswerProblem as problem:
            errors["on"] = problem.message
        if upload is not None:
            try:
                profile = json.loads(upload.read(1_000_001).decode("utf-8"))
                if not isinstance(profile, dict):
                    raise ValueError("not an object")
            except (UnicodeDecodeError, ValueError) as exc:
                form_error = f"profile JSON: {exc}"
                profile = {}
            values = {k: v for k, v in profile.items() if k in FORM_FIELDS}
        else:
            profile, field_errors = _profile_from_form(request.POST)
            errors.update(field_errors)
            # an answer that read shows as read (a name for a code); one that did not,
            # as typed
            values.update(profile)
        if not errors and not form_error:
            try:
                comparison = compare(profile, on=on)
            except ProfileError as exc:
                errors[exc.field] = exc.problem
            except RulesError as exc:  # a date outside the range the rules evaluate
                errors["on"] = str(exc).removeprefix("on: ")
    chart = []
    rows = []
    lang = language(get_language())
    if comparison is not None:
        for route in comparison.routes:
            totals = route.totals
            usd, cny = totals.get("USD", {}), totals.get("CNY", {})
            days = (route.processing_days or {}).get("max")
            chart.append({"name": route.route.name,
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
        "on": typed_on if "on" in errors else on.isoformat(),  # a bad date kept as typed
        "prefill": {k: v for k, v in values.items() if k in {
            "date_of_birth", "nationality", "highest_degree", "degree_field",
            "degree_institution_recognised", "teaching_or_research_at_recognised_institution",
            "years_work_experience"}}}, status=status)
