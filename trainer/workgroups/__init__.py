"""The jour's workgroups."""
