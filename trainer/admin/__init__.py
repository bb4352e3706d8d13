"""Administration of people and roles, and the audit log."""
