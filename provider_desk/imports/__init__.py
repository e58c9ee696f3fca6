"""Spreadsheets in: read CSV/XLSX, find the header, map columns, report problems by place."""
