"""Public pages of grants and partnerships, the application and report forms, the private files."""
