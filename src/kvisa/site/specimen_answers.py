"""A made-up applicant's answers besides the conditions, for the demo and the load tools.

What a visa application asks that no rule reads (the degree's institution, how to
reach the person, the journey), drawn so that none of it reaches a real person:
telephone numbers are in Ofcom's range kept for drama (+44 20 7946 0xxx) and
addresses are on an "Example Street".  No Django here, so scripts that drive a
running service (the crash test, the load test) use the same answers as the demo.
"""

from __future__ import annotations

import datetime as dt
import random

INSTITUTIONS = {"IND": "Indian Institute of Science", "VNM": "Vietnam National University",
                "DEU": "Technical University of Munich", "BRA": "University of São Paulo",
                "NGA": "University of Lagos", "USA": "Georgia Institute of Technology",
                "FRA": "École Polytechnique", "POL": "Warsaw University of Technology",
                "JPN": "Tohoku University", "IDN": "Bandung Institute of Technology",
                "RUS": "Novosibirsk State University", "EGY": "Cairo University",
                "KOR": "KAIST", "ESP": "Polytechnic University of Madrid",
                "ITA": "Politecnico di Milano"}


def visa_answers(nationality: str, rng: random.Random) -> dict[str, object]:
    """What a visa application asks besides the conditions: the degree's institution,
    how to reach the person and when they mean to arrive.  The telephone numbers are in
    Ofcom's range kept for drama (+44 20 7946 0xxx), so none reaches a real person."""
    arrival = dt.date.today() + dt.timedelta(days=rng.randint(20, 120))
    return {"institution_name": INSTITUTIONS.get(nationality, "Demonstration University"),
            "institution_country": nationality,
            "passport_expiry": (dt.date.today() + dt.timedelta(days=rng.randint(400, 3000))
                                ).isoformat(),
            "phone": f"+44 20 7946 0{rng.randint(0, 999):03d}",
            "home_address": f"{rng.randint(1, 200)} Example Street, Demonstration City",
            "intended_entry_date": arrival.isoformat(),
            "visited_china_before": rng.random() < 0.3}
