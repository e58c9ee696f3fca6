"""Alembic migrations for Provider Desk (one revision per schema change; never edit a released one)."""
