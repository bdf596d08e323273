"""Use cases: one function per user action, each one transaction that writes a history event."""
