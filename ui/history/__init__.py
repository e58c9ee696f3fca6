"""The change log in the app: the viewer, "History…" on every record, and the warning shown
when the log fails its check."""
