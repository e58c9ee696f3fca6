"""Supervision, spot checks, appraisals and competency: the page and its dialogs."""
