"""Append-only record of who did or looked at what."""
