"""Getting messages out: reminder text, the outbox, later SMTP and letters."""
