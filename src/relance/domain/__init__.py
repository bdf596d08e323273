"""Pure logic: money, dates, aging, next actions, plans. No I/O, no clock."""
