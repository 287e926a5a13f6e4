"""Demo content for `manage.py load_demo`: a small, realistic site with no network access."""
