"""Pure rules: no I/O, no database, no Textual. Everything takes its inputs and a Config."""
