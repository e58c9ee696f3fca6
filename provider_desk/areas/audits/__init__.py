"""Audits and the audit programme.

The area's models, rules, queries, services, imports, exports and its reader."""
