"""tuicrm: a keyboard-driven terminal CRM for the individual sales rep."""

__version__ = "0.1.0"
