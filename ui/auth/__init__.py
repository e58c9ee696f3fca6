"""Signing in, the inactivity lock, and user administration in the client."""
