"""Spreadsheets and CSV out, written atomically so a failed export never leaves half a file."""
