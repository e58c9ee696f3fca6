"""People we support and their care plans: the page and its dialogs."""
