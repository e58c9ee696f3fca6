"""Qt models of the Provider Desk client."""
