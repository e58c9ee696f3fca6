"""Complaints and compliments.

The area's models, rules, queries, services, imports, exports and its reader."""
