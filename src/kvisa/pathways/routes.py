"""The routes a person can compare, and how each maps onto a programme of kvisa.rules.

A route is a whole programme (the K visa) or one of its alternative routes (the
investment route to Chinese permanent residence).  A route's verdict is the
Kleene AND of the programme's shared conditions and that route's group.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    programme: str
    group: str | None          # id of the route's group in the programme; None = whole
    name: str
    name_zh: str
    country: str

    @property
    def key(self) -> str:
        return self.group or self.programme


PR = "cn.permanent_residence"
ROUTES: tuple[Route, ...] = (
    Route("cn.k_visa", None, "China K visa", "中国K字签证", "CHN"),
    Route("cn.r_visa", None, "China R visa", "中国R字签证", "CHN"),
    Route("cn.work_permit", None, "China work permit (A/B/C)", "中国工作许可（A/B/C类）", "CHN"),
    Route(PR, f"{PR}.route.investment", "China permanent residence: investment",
          "中国永久居留：投资", "CHN"),
    Route(PR, f"{PR}.route.senior_post", "China permanent residence: senior post",
          "中国永久居留：任职", "CHN"),
    Route(PR, f"{PR}.route.contribution", "China permanent residence: contribution",
          "中国永久居留：重大贡献", "CHN"),
    Route(PR, f"{PR}.route.employment", "China permanent residence: salary and tax",
          "中国永久居留：工资和纳税", "CHN"),
    Route(PR, f"{PR}.route.spouse", "China permanent residence: spouse", "中国永久居留：配偶",
          "CHN"),
    Route(PR, f"{PR}.route.child", "China permanent residence: child", "中国永久居留：子女",
          "CHN"),
    Route(PR, f"{PR}.route.elderly", "China permanent residence: elderly dependant",
          "中国永久居留：老年投亲", "CHN"),
    # 2020 draft regulations (Art. 15): never enacted; shown only when drafts are asked for
    Route(PR, f"{PR}.route.draft_renowned",
          "China permanent residence: renowned graduate (2020 draft, not law)",
          "中国永久居留：知名高校毕业（2020年草案，非现行法律）", "CHN"),
    Route(PR, f"{PR}.route.draft_key_industry",
          "China permanent residence: key industry (2020 draft, not law)",
          "中国永久居留：重点产业（2020年草案，非现行法律）", "CHN"),
    Route(PR, f"{PR}.route.draft_six_times",
          "China permanent residence: 6× average wage (2020 draft, not law)",
          "中国永久居留：六倍平均工资（2020年草案，非现行法律）", "CHN"),
    Route(PR, f"{PR}.route.draft_long_service",
          "China permanent residence: long service (2020 draft, not law)",
          "中国永久居留：长期服务（2020年草案，非现行法律）", "CHN"),
    Route("us.h1b", None, "US H-1B", "美国H-1B签证", "USA"),
    Route("us.green_card", "us.green_card.route.eb1a", "US green card: EB-1A",
          "美国绿卡：EB-1A", "USA"),
    Route("us.green_card", "us.green_card.route.eb2_niw", "US green card: EB-2 NIW",
          "美国绿卡：EB-2国家利益豁免", "USA"),
)
