"""Interest registrations (intresseanmälan) and invitations."""
