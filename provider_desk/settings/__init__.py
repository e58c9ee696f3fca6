"""The organisation's settings: one row of details and chosen defaults every area reads."""
