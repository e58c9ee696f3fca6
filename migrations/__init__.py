"""Alembic migrations: one revision per schema change; never edit a released one."""
