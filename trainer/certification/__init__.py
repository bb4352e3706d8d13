"""The confidentiality pledge (tystnadslöfte) and, later, certification."""
