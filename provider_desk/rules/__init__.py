"""Pure rules: dates, statuses and validators. No database, no Qt."""
