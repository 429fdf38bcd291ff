"""Import/export of a rep's spreadsheets: pure parsing (headers, values) and file readers/writers."""
