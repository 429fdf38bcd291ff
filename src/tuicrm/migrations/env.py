"""Alembic environment: always run with a connection handed in by tuicrm.db.upgrade."""

from alembic import context

from tuicrm.models import SQLModel

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from a developer shell
    import sqlalchemy as sa

    connection = sa.create_engine(context.config.get_main_option("sqlalchemy.url")).connect()


def include_object(obj, name, type_, reflected, compare_to):
    """Autogenerate ignores what only migrations create (FTS tables, partial indexes, triggers)."""
    return not (reflected and compare_to is None)


context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
