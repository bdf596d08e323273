"""Modal forms: one per user action, each dismissing with the service's result."""
