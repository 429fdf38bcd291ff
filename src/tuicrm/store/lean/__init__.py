"""The hot writes as plain SQL on a DB-API connection: ``log``, ``snooze``, ``assess``,
``add customer``, ``opp move`` — one function each, writing the change and its undo record.

Two callers, one function: the store runs them inside its SQLModel write transaction (on the
session's DB-API connection, ``tuicrm.store.dbapi``; the session adapters in ``store.followups``,
``store.tiers``, ``store.customers`` and ``store.pipeline``), and the command line runs them on a
plain ``sqlite3`` connection in one ``BEGIN IMMEDIATE`` transaction (``connect.write_connection``),
so a quick write from the shell never imports SQLModel or SQLAlchemy.

Modules: ``clock`` (now and today without pendulum unless ``$TUICRM_NOW`` pins them), ``undolog``
(the undo-record encoding and writer the ORM oplog shares), ``rows`` (typed reads, inserts and
updates that log themselves), ``checks`` (input rules shared with the ORM forms), ``writes`` (the
five writes), ``connect`` (the CLI's write connection and transaction).

Importing this package imports neither SQLAlchemy, SQLModel nor pendulum.
"""
