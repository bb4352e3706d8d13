"""Course files → Python objects. Imports neither Flask nor the database."""
