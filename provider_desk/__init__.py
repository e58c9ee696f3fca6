"""Provider Desk core: models, queries, services, imports and exports. Never imports Qt."""

__version__ = "0.1.0"
