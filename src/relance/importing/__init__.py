"""Taking invoices in from CSV files and e-invoices (UBL, CII, Factur-X), all or nothing."""
