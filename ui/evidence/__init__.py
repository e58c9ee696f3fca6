"""The evidence pack for inspection: choose a period, preview the gaps, build the PDF (and ZIP)."""
