"""gunicorn settings for the web app: ``gunicorn -c deploy/gunicorn.conf.py 'web.wsgi:app'``
(otklik-web.service passes it). Command-line options given as well win over these.

The Server header: gunicorn names itself ("Server: gunicorn") on every response and has no
setting to change it (its maintainers' answer is to set the module constant, benoitc/gunicorn
#825, #3006); a scanner matching known versions learns nothing from a neutral name. The reverse
proxy in front should hide its own version too (deploy/nginx/otklik.conf: server_tokens off).
"""
import gunicorn
import gunicorn.http.wsgi

SERVER_NAME = "otklik"
# The module constant for responses, and its copy in gunicorn.http.wsgi if that was imported first.
gunicorn.SERVER = gunicorn.http.wsgi.SERVER = SERVER_NAME
# What the application sees in environ["SERVER_SOFTWARE"] (with the version otherwise).
gunicorn.SERVER_SOFTWARE = gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME

bind = "127.0.0.1:8000"
workers = 2
# One request's head: gunicorn's defaults, written down because they are the only bound on a
# query string (the app caps bodies itself: web.limits).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# A worker stuck longer than this is killed and replaced.
timeout = 30
