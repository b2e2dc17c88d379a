"""The web pages: the applicants' portal, the officers' console, the analysts'
dashboard and policy lab, the public start, pathways and verify pages, accounts —
thin adapters that ask the services, selectors and the policy, and render
templates.  The API and the site's settings sit above it in :mod:`kvisa.site`."""
