"""The applicant every test drives: one complete K visa profile and identity.

Kept apart from :mod:`tests.support.cases` so that code without Django (the cluster
test's driver) can use them too.
"""

import datetime as dt

# how to reach the applicant and the journey: asked of every visa application
CONTACT = {"phone": "+91 98765 43210", "home_address": "12 MG Road, Bengaluru 560001, India",
           "intended_entry_date": (dt.date.today() + dt.timedelta(days=45)).isoformat(),
           "visited_china_before": False}
PASSPORT_EXPIRY = (dt.date.today() + dt.timedelta(days=3 * 365)).isoformat()
# every answer besides the conditions and the name that a visa application asks
VISA_ANSWERS = {"passport_expiry": PASSPORT_EXPIRY,
                "institution_name": "Indian Institute of Science", "institution_country": "IND",
                **CONTACT}
# and a permanent-residence application (its applicants live in China: no journey)
PR_ANSWERS = {"passport_expiry": PASSPORT_EXPIRY, "phone": CONTACT["phone"],
              "home_address": "Room 1203, 88 Century Avenue, Pudong, Shanghai"}

PROFILE = {"date_of_birth": "1996-05-14", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True,
           "teaching_or_research_at_recognised_institution": False,
           "years_work_experience": 4.0}
IDENTITY = {"surname": "SHARMA", "given_names": "PRIYA", "sex": "F",
            "passport_number": "Z1234567", **VISA_ANSWERS}
