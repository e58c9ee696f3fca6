"""Who is acting: users, roles and what each role may do (enforced in the core)."""
