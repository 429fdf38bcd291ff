"""The Typer commands, by topic; each module's ``register(app)`` adds its commands to the app."""
