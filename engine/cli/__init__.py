"""The ``otklik`` console: the main group (deploy, deadline, worker), and one module per group (db, users/orgs/demo, report)."""
