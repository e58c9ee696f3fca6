"""Supervision, spot checks, appraisals and competency.

The area's models, rules, queries, services, imports, exports and its reader."""
