"""The action plan: the page and its dialogs."""
