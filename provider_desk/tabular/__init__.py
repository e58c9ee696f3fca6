"""Spreadsheets in and out: read CSV/XLSX with cell-level reports (`read`, `report`), match
and merge rows into saved records (`records`), and write tables atomically (`write`)."""
