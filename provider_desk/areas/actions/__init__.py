"""The action plan.

The area's models, rules, queries, services, imports, exports and its reader."""
