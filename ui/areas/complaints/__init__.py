"""Complaints and compliments: the page and its dialogs."""
