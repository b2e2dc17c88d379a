"""Issuing what an approval grants: the K visa's e-visa (MRZ, Visible Digital Seal,
signed PDF) and the permanent resident's ID card (number, faces, seal), with
renewals and replacements.

It sits over the cases: an approval asks the registry in
:mod:`kvisa.casework.issuers` for the issuer of the programme's kind, which this
app registers when Django starts (``IssuanceConfig.ready``).
"""
