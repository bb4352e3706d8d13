"""People, roles, login, invitations and password reset."""
