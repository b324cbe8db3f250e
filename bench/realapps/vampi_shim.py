"""Serve VAmPI's unchanged controllers without connexion (not packaged in Debian).

VAmPI (github.com/erev0s/VAmPI) wires its spec to its code with connexion. This shim replaces only
that wiring (VAmPI's config.py): it routes every operation of the spec to the function named by its
operationId and does what connexion 2 does around the call — bearer security presence (401),
request body presence, content type (415) and schema validation (400), problem+json errors. Every
controller and model is VAmPI's own code, read from the source directory given on the command line.

    /usr/bin/python3 vampi_shim.py VAMPI_SOURCE_DIR SPEC_FILE [PORT]   # PORT 0 (default): a free one

Needs Debian's python3-flask, python3-flask-sqlalchemy, python3-jsonschema, python3-jwt and
python3-yaml. The environment variable `vulnerable` (1 or 0) picks VAmPI's mode, as upstream.
"""
import importlib
import json
import os
import re
import sys
import tempfile
import types

import flask
import jsonschema
import yaml
from flask_sqlalchemy import SQLAlchemy
from werkzeug.serving import make_server

source_dir, spec_file = sys.argv[1], sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
sys.path.insert(0, source_dir)

# VAmPI's config.py, minus connexion: the same Flask settings and secret, an SQLite file of our own.
with open(os.path.join(source_dir, "config.py"), encoding="utf8") as f:
    secret = re.search(r"\['SECRET_KEY'\]\s*=\s*'([^']*)'", f.read()).group(1)
flask_app = flask.Flask("vampi")
db_dir = tempfile.mkdtemp(prefix="vampi-db-")
flask_app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(db_dir, "database.db")
flask_app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
flask_app.config["SECRET_KEY"] = secret
config = types.ModuleType("config")
config.vuln_app = types.SimpleNamespace(app=flask_app, root_path=source_dir)
config.db = SQLAlchemy(flask_app)
sys.modules["config"] = config


def problem(status, title, detail):
    body = {"type": "about:blank", "title": title, "detail": detail, "status": status}
    return flask.Response(json.dumps(body), status, mimetype="application/problem+json")


def me():
    """GET /me exists in the pinned spec but not in the stored controllers: written from its spec text."""
    from api_views.users import error_message_helper, token_validator
    from models.user_model import User

    resp = token_validator(flask.request.headers.get("Authorization"))
    if "expired" in resp or "Invalid token" in resp:
        return flask.Response(error_message_helper(resp), 401, mimetype="application/json")
    user = User.query.filter_by(username=resp).first()
    if not user:
        return flask.Response(error_message_helper("Invalid token. Please log in again."), 401, mimetype="application/json")
    body = {"status": "success", "data": {"username": user.username, "email": user.email, "admin": user.admin}}
    return flask.Response(json.dumps(body), 200, mimetype="application/json")


def resolve(operation_id):
    module, name = operation_id.rsplit(".", 1)
    if operation_id == "api_views.users.me" and not hasattr(importlib.import_module(module), name):
        return me
    return getattr(importlib.import_module(module), name)


def bearer_missing(spec, operation):
    security = operation.get("security", spec.get("security", []))
    if not security:
        return False
    header = flask.request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    # connexion 2 hands the token to x-bearerInfoFunc; VAmPI's decode_auth_token never returns None, so
    # only a missing or non-bearer header is refused before the controller runs.
    return scheme.lower() != "bearer" or not token


def body_problem(operation):
    request_body = operation.get("requestBody")
    if not request_body:
        return None
    raw = flask.request.get_data()
    if not raw:
        return problem(400, "Bad Request", "RequestBody is required") if request_body.get("required") else None
    mimetype = flask.request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        return problem(415, "Unsupported Media Type", f"Invalid Content-type ({mimetype}), expected JSON data")
    try:
        data = json.loads(raw)
    except ValueError:
        return problem(400, "Bad Request", "Request body is not valid JSON")
    schema = request_body.get("content", {}).get("application/json", {}).get("schema", {})
    try:
        jsonschema.Draft4Validator(schema).validate(data)
    except jsonschema.ValidationError as exc:
        return problem(400, "Bad Request", exc.message)
    return None


def route(spec, path, method, operation):
    handler = resolve(operation["operationId"])

    def view(**params):
        if bearer_missing(spec, operation):
            return problem(401, "Unauthorized", "No authorization token provided")
        refused = body_problem(operation)
        if refused is not None:
            return refused
        return handler(**params)

    rule = re.sub(r"\{([^}]+)\}", r"<\1>", path)
    flask_app.add_url_rule(rule, f"{method} {path}", view, methods=[method.upper()])


with open(spec_file, encoding="utf8") as f:
    spec = yaml.safe_load(f)
with flask_app.app_context():
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                route(spec, path, method, operation)
    importlib.import_module("api_views.main").populate_db()  # what GET /createdb does; upstream ships a populated DB


@flask_app.errorhandler(404)
def not_found(_):
    return problem(404, "Not Found", "The requested URL was not found on the server.")


@flask_app.errorhandler(405)
def not_allowed(_):
    return problem(405, "Method Not Allowed", "The method is not allowed for the requested URL.")


@flask_app.errorhandler(500)
def server_error(_):
    return problem(500, "Internal Server Error", "The server encountered an internal error.")


@flask_app.after_request
def remove_server_header(response):  # as VAmPI's config.py does
    response.headers.pop("Server", None)
    return response


server = make_server("127.0.0.1", port, flask_app, threaded=True)
print(f"VAmPI listening on http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
