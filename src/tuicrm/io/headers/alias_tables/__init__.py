"""The header alias tables, one module per kind of sheet (data; see ``..aliases``)."""
