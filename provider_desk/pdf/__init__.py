"""The ReportLab renderer base every PDF export shares."""
