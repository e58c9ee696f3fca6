"""Qt pages of the Provider Desk client."""
