"""A compared route in words, in English or Chinese: what the CLI table and the
pathways page print.

One place decides how a conditional payment, an unpublished fee or a verdict
resting on a draft reads, so the terminal and the web page cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import language, pick, punctuation, translate
from kvisa.pathways.changes import Change
from kvisa.pathways.compare import RouteResult
from kvisa.rules.facts import FACTS_BY_NAME
from kvisa.rules.labels import fact_label, status_label, verdict_label, word


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def colon(lang: str) -> str:
    return punctuation("colon", lang)


def separator(lang: str) -> str:
    """Between the items of a list: the enumeration comma in Chinese."""
    return punctuation("separator", lang)


def pick_text(texts: dict[str, str | None], lang: str) -> str:
    """A per-language text of a route in the reader's language ("" when it has none)."""
    return pick({k: v or "" for k, v in texts.items()}, lang)


def facts_in_words(names: list[str], lang: str) -> str:
    return separator(lang).join(fact_label(n, lang) for n in names)


@dataclass
class RouteText:
    name: str
    verdict: str
    status: str            # "" when in force
    missing: str
    changes: list[str]
    fees: list[str]
    days: str
    validity: str
    odds: str
    waiting: str
    season: str

    @property
    def verdict_with_status(self) -> str:
        return f"{self.verdict} — {self.status}" if self.status else self.verdict


DEGREE_NAMES = {"none": N_("no degree"), "secondary": N_("secondary school"),
                "bachelor": N_("bachelor's"), "master": N_("master's"),
                "doctorate": N_("doctorate")}


def change_text(change: Change, lang: str) -> str:
    """A change that would meet a criterion, in the reader's language.

    English is the change's own text; other languages read these catalogue messages
    (their English ids are the same sentences in other words)."""
    if language(lang) == "en":
        return change.text
    label, needed, now = fact_label(change.fact, lang), change.needed, change.current
    kind = FACTS_BY_NAME[change.fact].kind

    def say(message: str, **values: Any) -> str:
        return translate(message, lang).format(label=label, **values)

    if kind == "bool":
        return say(N_("{label}: must be {answer}"),
                   answer=translate("Yes" if needed else "No", lang))
    if change.fact == "highest_degree":
        return say(N_("Needs a {degree} degree"),
                   degree=translate(DEGREE_NAMES.get(str(needed), str(needed)), lang))
    if kind == "code" and isinstance(needed, list):
        return say(N_("Needs a degree in ISCED-F broad field {fields}"),
                   fields=separator(lang).join(str(n) for n in needed))
    if kind == "money":
        return say(N_("{label} of at least {needed} (now {now})"),
                   needed=f"{float(needed):,.0f}", now=f"{float(now or 0):,.0f}")
    if kind in ("years", "months", "int"):
        return say(N_("{label} must reach {needed} (now {now})"),
                   needed=f"{float(needed):g}", now=f"{float(now or 0):g}")
    return f"{label}{colon(lang)}{needed}"


def conditional_amount(most: Decimal | float, currency: str, depends_on: list[str],
                       lang: str) -> str:
    """"up to 100,000 USD — depends on: …": one wording for every amount not yet known."""
    return (f"{word('up to', lang)} {_money(Decimal(str(most)), currency)} — "
            f"{word('depends on', lang)}{colon(lang)}{facts_in_words(depends_on, lang)}")


def output_text(assessment: Any, key: str, lang: str) -> str:
    """An output of an assessment as ``kvisa check`` prints it: the value, or for an
    amount that blank facts leave open, what it can come to and what it depends on."""
    value = assessment.outputs.get(key)
    depends_on = assessment.output_depends_on.get(key, [])
    unit = assessment.output_units.get(key, "")
    if value is None and depends_on and key in assessment.output_range \
            and unit in ("USD", "CNY"):
        return conditional_amount(assessment.output_range[key][1], unit, depends_on, lang)
    shown = "?" if value is None else (_money(Decimal(str(value)), unit)
                                       if unit in ("USD", "CNY") else str(value))
    if depends_on:
        shown += f" — {word('depends on', lang)}{colon(lang)}{facts_in_words(depends_on, lang)}"
    return shown


def fee_lines(route: RouteResult, lang: str) -> list[str]:
    """The total (sure, then "up to" with what it depends on), or "fee not published"."""
    lines = []
    for currency, total in route.totals.items():
        line = _money(total["certain"], currency)
        if total["depends_on"]:
            line += "; " + conditional_amount(total["up_to"], currency, total["depends_on"],
                                              lang)
        lines.append(line)
    unpublished = [c for c in route.costs if not c.published and not c.optional]
    if unpublished and not lines:
        lines.append(word("not published", lang))
    return lines


def days_text(route: RouteResult, lang: str) -> str:
    days = route.processing_days
    if not days:
        return word("not published (time)", lang)
    low, high = days.get("min"), days.get("max")
    text = f"{high}" if low == high else f"{low if low is not None else '?'}–{high}"
    status = days.get("status", "in_force")
    if status != "in_force":
        text += f" ({status_label(status, lang)})"
    return text


def odds_text(route: RouteResult, lang: str) -> str:
    odds: dict[str, Any] | None = route.odds
    if not odds:
        return "—"
    if odds.get("probability") is not None:
        text = f"{odds['probability']:.0%}"
        if odds.get("status", "in_force") != "in_force":
            text += f" ({status_label(odds['status'], lang)})"
        return text
    if odds.get("depends_on"):
        return (f"{word('depends on', lang)}{colon(lang)}"
                f"{facts_in_words(odds['depends_on'], lang)}")
    return "—"


def route_text(route: RouteResult, lang: str = "en") -> RouteText:
    status = "" if route.status == "in_force" else status_label(route.status, lang)
    missing = (f"{word('missing', lang)}{colon(lang)}{facts_in_words(route.missing, lang)}"
               if route.missing else "")
    return RouteText(
        name=translate(route.route.name, lang),
        verdict=verdict_label(route.verdict, lang), status=status, missing=missing,
        changes=[change_text(c, lang) for c in route.changes], fees=fee_lines(route, lang),
        days=days_text(route, lang),
        validity=pick_text(route.validity_texts, lang) or "—",
        odds=odds_text(route, lang), waiting=pick_text(route.waiting_texts, lang) or "",
        season=season_text(route.season, lang))


def season_text(season: dict[str, Any] | None, lang: str) -> str:
    """"FY2027 cap season" → "2027财年申报季" in Chinese."""
    if not season:
        return ""
    label = str(season.get("label", ""))
    if language(lang) != "en" and label.startswith("FY"):
        return translate(N_("fiscal year {year} season"), lang).format(year=label[2:6])
    return label
