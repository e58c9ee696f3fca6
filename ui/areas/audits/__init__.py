"""Audits and the audit programme: the page and its dialogs."""
