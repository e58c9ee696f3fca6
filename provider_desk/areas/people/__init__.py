"""People we support and their care plans.

The area's models, rules, queries, services, imports, exports and its reader."""
