"""PDF letters: the formal notice of each jurisdiction and the customer statement."""
