"""Pages for anyone: start, privacy, language."""
