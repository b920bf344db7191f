"""The web fixtures (an app with Orenburg officials, signed-in clients) for the security tests;
a module that needs another app defines its own ``app`` fixture, which wins."""
from tests.web.conftest import app, client_for  # noqa: F401 - fixtures, found by name
