"""Qt widgets of the Provider Desk client."""
