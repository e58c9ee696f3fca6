"""Staff and recruitment checks.

The area's models, rules, queries, services, imports, exports and its reader."""
