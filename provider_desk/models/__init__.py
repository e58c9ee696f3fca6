"""Model parts every area shares: the declarative base and common columns, attachments, the
change log. Each area keeps its own tables in `provider_desk/areas/<key>/models.py`;
`provider_desk.areas.models` imports them all so `Base.metadata` knows every table."""
