"""The applicant every test drives: one complete K visa profile and identity.

Kept apart from :mod:`tests.support.cases` so that code without Django (the cluster
test's driver) can use them too.
"""

PROFILE = {"date_of_birth": "1996-05-14", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True,
           "teaching_or_research_at_recognised_institution": False,
           "years_work_experience": 4.0}
IDENTITY = {"surname": "SHARMA", "given_names": "PRIYA", "sex": "F",
            "passport_number": "Z1234567"}
