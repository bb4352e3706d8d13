"""Reading the modules: versions, sections, progress."""
