"""Survey hooks for the Wagtail admin (imported by consultations/wagtail_hooks.py)."""

from consultations.surveys import audit  # noqa: F401  (registers the log actions)
