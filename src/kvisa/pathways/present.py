"""A compared route in words, in English or Chinese: what the CLI table and the
pathways page print.

One place decides how a conditional payment, an unpublished fee or a verdict
resting on a draft reads, so the terminal and the web page cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kvisa.pathways.compare import RouteResult
from kvisa.rules.labels import fact_label, status_label, verdict_label, word


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def colon(lang: str) -> str:
    return "：" if lang.startswith("zh") else ": "


def facts_in_words(names: list[str], lang: str) -> str:
    separator = "、" if lang.startswith("zh") else ", "
    return separator.join(fact_label(n, lang) for n in names)


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


def fee_lines(route: RouteResult, lang: str) -> list[str]:
    """The total (sure, then "up to" with what it depends on), or "fee not published"."""
    lines = []
    for currency, total in route.totals.items():
        line = _money(total["certain"], currency)
        if total["depends_on"]:
            line += (f"; {word('up to', lang)} {_money(total['up_to'], currency)} — "
                     f"{word('depends on', lang)}{colon(lang)}"
                     f"{facts_in_words(total['depends_on'], lang)}")
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
    zh = lang.startswith("zh")
    status = "" if route.status == "in_force" else status_label(route.status, lang)
    missing = (f"{word('missing', lang)}{colon(lang)}{facts_in_words(route.missing, lang)}"
               if route.missing else "")
    return RouteText(
        name=route.route.name_zh if zh else route.route.name,
        verdict=verdict_label(route.verdict, lang), status=status, missing=missing,
        changes=[c.text for c in route.changes], fees=fee_lines(route, lang),
        days=days_text(route, lang),
        validity=(route.validity_zh if zh else route.validity) or "—",
        odds=odds_text(route, lang), waiting=(route.waiting_zh if zh else route.waiting) or "",
        season=season_text(route.season, lang))


def season_text(season: dict[str, Any] | None, lang: str) -> str:
    """"FY2027 cap season" → "2027财年申报季" in Chinese."""
    if not season:
        return ""
    label = str(season.get("label", ""))
    if lang.startswith("zh") and label.startswith("FY"):
        return f"{label[2:6]}财年{word('season', lang)}"
    return label
