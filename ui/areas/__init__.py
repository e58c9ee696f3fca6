"""One package per area of the client: its page and dialogs."""
