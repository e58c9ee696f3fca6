"""Staff and recruitment checks: the page and its dialogs."""
