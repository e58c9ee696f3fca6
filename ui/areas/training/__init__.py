"""Training records and the matrix: the page and its dialogs."""
