"""Services: the only layer that opens and commits transactions. Views and the CLI call these."""
