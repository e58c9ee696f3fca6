"""Read side: select() to frozen dataclass rows for the UI, the exports and the CLI."""
