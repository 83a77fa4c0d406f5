"""AWS sandbox for Elevated Access: moto's server plus what moto lacks.

moto speaks the real AWS wire protocol for Organizations, IAM Identity Center
(sso-admin, identitystore) and STS. This launcher wraps moto's WSGI application
without editing any moto file and adds:

- CloudTrail ``LookupEvents`` (moto raises NotImplementedError) over an event
  store kept per account and region, and ``PutTestEvents`` / a plain JSON
  control call to seed events;
- realistic account-assignment semantics: creating an assignment that already
  exists does not duplicate it, every create/delete gets its own request id,
  and the creation and deletion status stays describable after the assignment
  is gone (moto forgets it);
- permission set provisioning with a describable status
  (``DescribePermissionSetProvisioningStatus``, which moto lacks);
- fault modes for tests: IN_PROGRESS for N polls, FAILED with a reason,
  throttling at a rate, 5xx at a rate, added latency, and enforced Identity
  Center, CloudTrail and Organizations rate limits (calls per second,
  operations in flight);
- bulk seeding of large organisations (thousands of accounts in nested OUs in
  one control call, straight into moto's model);
- a record of every AWS call, so tests can assert what reached "AWS";
- the demo seed (see seed.py).

Control calls live under ``/_sandbox/`` and take and return plain JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import random as pyrandom
import signal
import sys
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from . import identity_center  # noqa: F401  (installs the Identity Center behaviour into moto)
from .cloudtrail import record_event
from .organizations import bulk_organization
from .state import IDENTITY_CENTER_LIMITED, STATE, Faults, TokenBucket, _now


# --------------------------------------------------------------------------
# WSGI wrapper: control calls, call record, faults
# --------------------------------------------------------------------------


def _json_response(start_response: Any, status: int, body: Any, headers: dict[str, str] | None = None) -> list[bytes]:
    data = json.dumps(body).encode()
    reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}
    hdrs = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    for k, v in (headers or {}).items():
        hdrs.append((k, v))
    start_response(f"{status} {reasons.get(status, 'Error')}", hdrs)
    return [data]


def _aws_error_response(start_response: Any, status: int, code: str, message: str) -> list[bytes]:
    return _json_response(
        start_response,
        status,
        {"__type": code, "message": message},
        {"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())},
    )


def _describe_call(environ: dict[str, Any], body: bytes) -> dict[str, Any]:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    auth = environ.get("HTTP_AUTHORIZATION", "")
    service = region = access_key = None
    try:
        scope = auth.split(",")[0].split()[1].split("=", 1)[1]
        access_key, _, region, service, _ = scope.split("/")
    except (IndexError, ValueError):
        pass
    params: dict[str, Any] = {}
    if target:
        operation = target.rsplit(".", 1)[-1]
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = {}
    else:
        form = parse_qs(body.decode("utf-8", "replace"))
        operation = (form.get("Action") or [""])[0]
        params = {k: v[0] for k, v in form.items() if k not in ("Action", "Version")}
    return {
        "service": service,
        "operation": operation,
        "region": region,
        "accessKeyId": access_key,
        "params": params,
    }


class SandboxApp:
    def __init__(self) -> None:
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.base_url = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_sandbox/"):
            return self.control(environ, start_response, path[len("/_sandbox/") :])
        if path.startswith("/moto-api/reset"):
            STATE.clear()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if path.startswith("/moto-api"):
            return self.moto(environ, start_response)
        return self.aws_call(environ, start_response, body)

    def aws_call(self, environ: dict[str, Any], start_response: Any, body: bytes) -> Any:
        call = _describe_call(environ, body)
        op = call["operation"]
        call["time"] = _now()
        f = STATE.faults
        if f.latency_ms:
            time.sleep(f.latency_ms / 1000)

        def finish(status: int, error: str | None) -> None:
            call["status"] = status
            if error:
                call["error"] = error
            with STATE.lock:
                STATE.calls.append(call)

        # Enforced limits first: they model AWS's own quotas.
        limited = op in IDENTITY_CENTER_LIMITED
        if limited and STATE.identity_center_bucket and not STATE.identity_center_bucket.take():
            finish(400, "ThrottlingException")
            return _aws_error_response(start_response, 400, "ThrottlingException", "Rate exceeded")
        if op == "LookupEvents" and f.lookup_events_per_second:
            key = (call["accessKeyId"] or "", call["region"] or "")
            with STATE.lock:
                bucket = STATE.lookup_buckets.setdefault(
                    key, TokenBucket(f.lookup_events_per_second, f.lookup_events_per_second)
                )
            if not bucket.take():
                finish(400, "ThrottlingException")
                return _aws_error_response(start_response, 400, "ThrottlingException", "Rate exceeded")
        if call["service"] == "organizations" and f.organizations_calls_per_second:
            key = (call["accessKeyId"] or "", op)
            rate = f.organizations_calls_per_second
            with STATE.lock:
                bucket = STATE.organizations_buckets.setdefault(
                    key, TokenBucket(rate, f.organizations_burst or rate)
                )
            if not bucket.take():
                finish(400, "TooManyRequestsException")
                return _aws_error_response(
                    start_response,
                    400,
                    "TooManyRequestsException",
                    "You have sent too many requests in too short a period of time. Try again later.",
                )
        if f.deny_regions and call["region"] in f.deny_regions:
            finish(400, "AccessDeniedException")
            return _aws_error_response(
                start_response,
                400,
                "AccessDeniedException",
                f"Access to region {call['region']} is denied by the sandbox.",
            )
        applies = (not f.operations or op in f.operations) and (
            not f.regions or call["region"] in f.regions
        )
        if applies and f.throttle_rate and pyrandom.random() < f.throttle_rate:
            finish(400, "ThrottlingException")
            return _aws_error_response(start_response, 400, "ThrottlingException", "Rate exceeded")
        if applies and f.server_error_rate and pyrandom.random() < f.server_error_rate:
            finish(500, "InternalServerException")
            return _aws_error_response(
                start_response, 500, "InternalServerException", "The sandbox injected a server error."
            )
        max_in_flight = f.identity_center_max_in_flight
        if limited and max_in_flight:
            with STATE.lock:
                if STATE.in_flight >= max_in_flight:
                    busy = True
                else:
                    busy = False
                    STATE.in_flight += 1
            if busy:
                finish(400, "ThrottlingException")
                return _aws_error_response(
                    start_response, 400, "ThrottlingException", "Too many operations in flight"
                )
        status_holder: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status_holder["status"] = int(status.split()[0])
            status_holder["error"] = dict(headers).get("x-amzn-ErrorType") or dict(headers).get(
                "X-Amzn-ErrorType"
            )
            return start_response(status, headers, exc_info)

        try:
            result = list(self.moto(environ, capture))
        finally:
            if limited and max_in_flight:
                with STATE.lock:
                    STATE.in_flight -= 1
        status = status_holder.get("status", 500)
        error = status_holder.get("error")
        if status >= 400 and not error:
            try:
                error = json.loads(b"".join(result) or b"{}").get("__type")
            except ValueError:
                error = "NonJsonError"
        finish(status, error)
        return result

    def control(self, environ: dict[str, Any], start_response: Any, action: str) -> Any:
        method = environ.get("REQUEST_METHOD", "GET")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return _json_response(start_response, 400, {"error": "body is not JSON"})
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            if action == "health":
                return _json_response(start_response, 200, {"status": "ok"})
            if action == "reset" and method == "POST":
                moto_api_backend.reset()
                STATE.clear()
                return _json_response(start_response, 200, {"reset": True})
            if action == "seed" and method == "POST":
                from .seed import seed_demo

                return _json_response(start_response, 200, seed_demo(self.base_url))
            if action == "faults":
                if method == "POST":
                    STATE.set_faults(Faults.from_json(body))
                elif method == "DELETE":
                    STATE.set_faults(Faults())
                return _json_response(start_response, 200, STATE.faults.to_json())
            if action == "calls":
                if method == "DELETE":
                    with STATE.lock:
                        STATE.calls = []
                    return _json_response(start_response, 200, {"calls": []})
                ops = set(query.get("operation", []))
                since = float((query.get("since") or ["0"])[0])
                with STATE.lock:
                    calls = [
                        c
                        for c in STATE.calls
                        if (not ops or c["operation"] in ops) and c["time"] >= since
                    ]
                return _json_response(start_response, 200, {"calls": calls})
            if action == "organizations/bulk" and method == "POST":
                return _json_response(start_response, 200, bulk_organization(body))
            if action == "cloudtrail/events" and method == "POST":
                account = body.get("accountId")
                region = body.get("region") or "us-east-1"
                events = body.get("events")
                if not account or not isinstance(events, list):
                    return _json_response(
                        start_response, 400, {"error": "accountId and events[] are required"}
                    )
                stored = sum(record_event(account, region, e) for e in events)
                return _json_response(start_response, 200, {"stored": stored})
        except ValueError as e:
            return _json_response(start_response, 400, {"error": str(e)})
        return _json_response(start_response, 404, {"error": f"no control call {method} {action}"})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="AWS sandbox for Elevated Access")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566, help="0 picks a free port")
    parser.add_argument("--seed", action="store_true", help="seed the demo organisation")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request")
    args = parser.parse_args(argv)
    if not args.verbose:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    app = SandboxApp()
    server = make_server(args.host, args.port, app, threaded=True)
    app.base_url = f"http://{args.host}:{server.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop(*_: Any) -> None:
        server.shutdown()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    seeded = None
    if args.seed:
        from .seed import seed_demo

        seeded = seed_demo(app.base_url)
    # One JSON line on stdout tells the parent where we listen.
    print(json.dumps({"ready": True, "url": app.base_url, "seeded": seeded}), flush=True)
    while thread.is_alive():
        thread.join(0.5)
