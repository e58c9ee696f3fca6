"""The home page: what needs doing today across every area."""
