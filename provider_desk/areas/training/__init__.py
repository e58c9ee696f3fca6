"""Training records and the matrix.

The area's models, rules, queries, services, imports, exports and its reader."""
