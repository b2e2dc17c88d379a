"""The audit log: append-only events, written in each state change's own transaction
and chained after commit with a keyed hash; signed checkpoints, pinned keys, an
external witness, and the security log of refused access.

Nothing here knows a case: the journal it cross-checks (every journal entry must
have its event) is named by the ``AUDIT_JOURNAL_MODEL`` setting.
"""
