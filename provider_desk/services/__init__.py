"""Write side: one function per user intention; each owns its transaction and returns Changes."""

from provider_desk.services.common import Changes

__all__ = ["Changes"]
