"""The bad-input corpus: colleagues' files that must be refused with a clear message (or, for
formula-like text, imported verbatim), generated from valid files Loupe itself writes."""
