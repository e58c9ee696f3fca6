"""Database access: engine and URL handling, unit of work, migrations at start."""
