"""Qt dialogs of the Provider Desk client."""
