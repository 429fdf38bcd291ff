"""The Textual UI. Import ``tuicrm.ui.app.make_app``; nothing here runs at import time."""
