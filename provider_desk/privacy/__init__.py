"""Data protection: retention of records (review, then purge) and subject access exports."""
