"""The policy lab pages: ask for a what-if run, watch it, read and download its result."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvisa.accounts.typing import AuthedRequest
from kvisa.analytics import charts, policy_lab, policy_lab_results
from kvisa.casework.errors import CaseworkError, NotFound
from kvisa.casework.models import PolicyRun
from kvisa.i18n import language, pick, translate
from kvisa.population import scenario_run
from kvisa.rules import RulesError, explain, fact_text
from kvisa.rules.parameters import all_parameters
from kvisa.rules.programmes import PROGRAMMES
from kvisa.rules.scenario import override_problem, parse_plain_yaml, scenario_from_dict
from kvisa.web.case_views import area, rid

ROWS_OF_PARAMETERS = 10   # the first SHOWN_ROWS open, the rest behind "More parameters"
SHOWN_ROWS = 3
PAGE = 50


def _catalogue(on: dt.date) -> list[dict[str, Any]]:
    """Every parameter with its value in force today, its status and its source."""
    rows = []
    for name, parameter in all_parameters().items():
        current = parameter.at(on)
        if current is None:
            continue
        source = current.source
        rows.append({"name": name, "description": parameter.description, "unit": parameter.unit,
                     "value": json.dumps(current.value, default=str, ensure_ascii=False),
                     "status": current.status,
                     "source": f"{source.instrument} {source.article}".strip(),
                     "url": source.url})
    return rows


# A new value is a number, a date, a short list or a small table: 4 KB is ample.
VALUE_MAX_BYTES = 4096


def _value(raw: str, name: str) -> Any:
    """A typed value from the form: numbers, dates, lists and tables as YAML reads them,
    without anchors or aliases and bounded in size (:func:`parse_plain_yaml`)."""
    return parse_plain_yaml(raw, where=name, max_bytes=VALUE_MAX_BYTES) if raw.strip() else None


def _overrides(post: Any) -> tuple[dict[str, Any], dict[int, str]]:
    """The parameters to change, and per form row the reason its value is refused."""
    overrides: dict[str, Any] = {}
    errors: dict[int, str] = {}
    for index in range(ROWS_OF_PARAMETERS):
        name = post.get(f"parameter-{index}", "")
        if not name:
            continue
        try:
            value = _value(post.get(f"value-{index}", ""), name)
        except RulesError as exc:
            errors[index] = str(exc).removeprefix(f"{name}: ")
            continue
        problem = override_problem(name, value)
        if problem:
            errors[index] = problem
            continue
        overrides[name] = value
    return overrides, errors


@area("analytics")
def lab(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    catalogue = _catalogue(today)
    form: dict[str, Any] = {"generate": "100000", "seed": "7", "on": today.isoformat()}
    if request.method == "POST":
        form = {key: request.POST.get(key, "")[:VALUE_MAX_BYTES] for key in request.POST}
        overrides, errors = _overrides(request.POST)
        if errors:
            messages.error(request, _("Some new values cannot be used: see the parameters "
                                      "marked below."))
            return _page(request, catalogue, form, status=400, errors=errors)
        programme = request.POST.get("programme", "")
        upload = request.FILES.get("population")
        try:
            on = dt.date.fromisoformat(request.POST.get("on", ""))
            run = policy_lab.policy_run_create(
                by=request.user, name=request.POST.get("name", "")[:120], overrides=overrides,
                programmes=[programme] if programme else [], on=on,
                generate=None if upload else int(request.POST.get("generate") or 0),
                seed=int(request.POST.get("seed") or 7),
                upload=(upload.name or "population", upload.read(policy_lab.MAX_UPLOAD + 1))
                if upload else None, request_id=rid(request))
        except ValueError:
            messages.error(request, _("Enter a date, a number of profiles and a seed as "
                                      "numbers."))
            return _page(request, catalogue, form, status=400)
        except CaseworkError as exc:
            messages.error(request, exc.detail)
            return _page(request, catalogue, form, status=400)
        return redirect("policy_run", pk=run.pk)
    return _page(request, catalogue, form)


def _page(request: AuthedRequest, catalogue: list[dict[str, Any]], form: dict[str, Any], *,
          status: int = 200, errors: dict[int, str] | None = None) -> HttpResponse:
    return render(request, "policy_lab.html", {
        "catalogue": catalogue, "form": form, **_rows(form, errors or {}),
        "value_max": VALUE_MAX_BYTES, "programmes": PROGRAMMES,
        "runs": policy_lab.runs_visible_to(request.user)[:20]},
        status=status)


def _rows(form: dict[str, Any], errors: dict[int, str]) -> dict[str, Any]:
    """The parameter rows with what was entered, so a refused form keeps every choice."""
    rows = [{"index": i, "number": i + 1, "name": form.get(f"parameter-{i}", ""),
             "value": form.get(f"value-{i}", ""), "error": errors.get(i, "")}
            for i in range(ROWS_OF_PARAMETERS)]
    more = rows[SHOWN_ROWS:]
    return {"rows": rows[:SHOWN_ROWS], "more_rows": more,
            "more_open": any(r["name"] or r["value"] or r["error"] for r in more)}


def _run(request: AuthedRequest, pk: int) -> PolicyRun:
    try:
        return policy_lab.policy_run_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


@area("analytics")
def run_page(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    names = {p.id: translate(p.name, get_language()) for p in PROGRAMMES}
    context: dict[str, Any] = {"run": run, "fragment": bool(request.headers.get("HX-Request"))}
    if run.status == PolicyRun.DONE:
        result = policy_lab.result_folder(run)
        asked = request.GET.get("page", "1")
        # a page number of any length is read (and clamped to the pages there are)
        wanted = int(asked[:12]) if asked[:12].isdigit() else 1
        rows, page, total = policy_lab_results.page(result, wanted, PAGE, names,
                                                    _criteria_words(run))
        baseline = run.summary.get("baseline_name", "")
        svg = charts.render_svg(scenario_run.verdict_chart(
            run.summary, names=names,
            runs=(_("law in force") if baseline == "law in force" else baseline,
                  run.summary.get("scenario_name", run.name)),
            title=_("Eligible before and after"), axis=_("eligible people")))
        context.update(
            changes=rows, changed_total=total, page=page, pages=max(1, -(-total // PAGE)),
            chart=svg,
            programmes=[_reconciled(pid, names.get(pid, pid), run.summary)
                        for pid in run.summary["baseline"]],
            who=_who_changed(run.summary, names))
    template = "policy_run_status.html" if context["fragment"] else "policy_run.html"
    return render(request, template, context)


def _criteria_words(run: PolicyRun) -> dict[str, str]:
    """Each criterion's sentence under the run's scenario, in the reader's language
    ("Aged 40 or under on the day of application."), for the changed people's table."""
    try:
        scenario = scenario_from_dict({"name": run.name or "what-if",
                                       "parameters": run.overrides})
        assessment = explain({}, None, run.on, scenario)
    except RulesError:  # a parameter the rules no longer have: the ids, as the files
        return {}
    lang = language(get_language())
    return {c.id: pick(c.texts, lang) for pa in assessment.programmes for c in pa.criteria}


def _reconciled(pid: str, name: str, summary: dict[str, Any]) -> dict[str, Any]:
    """A programme's line: eligible before and after, and every change accounted for —
    gained + lost + moved between "not eligible" and "undetermined" = changed."""
    changed = summary["changed"][pid]
    return {"id": pid, "name": name, **summary["baseline"][pid],
            "after": summary["scenario"][pid]["eligible"], **changed,
            "between": changed["total"] - changed["gained"] - changed["lost"]}


WHO_SHOWN = 5
"""The largest groups of changed people listed per programme and measure."""


def _who_changed(summary: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Per programme with changes, who changed: the largest age bands, nationalities and
    degree levels, each named as pages name them."""
    lang = language(get_language())
    shown = {"age_band": _("Age on the day"), "nationality": _("Nationality"),
             "highest_degree": _("Highest degree")}
    found = []
    for pid, changed in summary["changed"].items():
        if not changed["total"]:
            continue
        parts = []
        for group, title in shown.items():
            counts = summary.get("by", {}).get(group, {}).get(pid, {})
            top = list(counts.items())[:WHO_SHOWN]
            if top:
                parts.append({"title": title, "rest": max(0, len(counts) - WHO_SHOWN),
                              "items": [(_group_value(group, key, lang), n) for key, n in top]})
        found.append({"programme": names.get(pid, pid), "total": changed["total"],
                      "groups": parts})
    return found


def _group_value(group: str, key: str, lang: str) -> str:
    if not key:
        return str(_("not given"))
    if group == "age_band":
        return key if key[0].isdigit() else str(_("under 18"))
    return fact_text.in_words(group, key, lang)


@area("analytics")
def run_download(request: AuthedRequest, pk: int, name: str
                 ) -> HttpResponse | FileResponse | StreamingHttpResponse:
    run = _run(request, pk)
    result = policy_lab.result_folder(run)
    if run.status != PolicyRun.DONE or name not in ("summary.json", "changes.csv",
                                                    "changes.parquet", "verdicts.png"):
        raise Http404
    if name in ("changes.csv", "changes.parquet"):
        # streamed part by part: memory stays bounded whatever the number of changes
        chunks, kind = ((policy_lab_results.csv_chunks(result), "text/csv; charset=utf-8")
                        if name == "changes.csv" else
                        (policy_lab_results.parquet_chunks(result),
                         "application/vnd.apache.parquet"))
        response = StreamingHttpResponse(chunks, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-{name}"'
        return response
    path: Path = result / name
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"run-{run.pk}-{name}")
