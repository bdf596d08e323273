"""The Textual app: screens, widgets, modals and styles."""
