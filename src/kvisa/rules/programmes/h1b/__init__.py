"""A programme folder: rules.py, parameters.yaml, cases.yaml, pathway.py."""
