"""Analytics: the flows dashboard (with its disclosure control), the counts of
enquiries, and the policy lab's what-if runs over whole populations.

It reads cases and never changes them: it sits over :mod:`kvisa.casework` and under
the site.
"""
