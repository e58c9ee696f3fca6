"""The Qt client. Talks to the core only through queries, services, imports and exports."""
