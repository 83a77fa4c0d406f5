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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from moto.cloudtrail.responses import CloudTrailResponse
from moto.core.exceptions import JsonRESTError
from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    create_backend_app,
)
from moto.moto_api._internal import mock_random
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import PermissionSet
from moto.ssoadmin.responses import SSOAdminResponse
from werkzeug.serving import make_server

# Operations that count against the Identity Center write/status limits.
IDENTITY_CENTER_LIMITED = {
    "CreateAccountAssignment",
    "DeleteAccountAssignment",
    "DescribeAccountAssignmentCreationStatus",
    "DescribeAccountAssignmentDeletionStatus",
    "GetInlinePolicyForPermissionSet",
    "PutInlinePolicyToPermissionSet",
    "DeleteInlinePolicyFromPermissionSet",
    "ProvisionPermissionSet",
    "DescribePermissionSetProvisioningStatus",
}


def _now() -> float:
    return time.time()


class TokenBucket:
    """A refilling bucket: `rate` tokens per second, at most `burst` stored."""

    def __init__(self, rate: float, burst: float):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


@dataclass
class Faults:
    """Fault modes; all off by default. Set through POST /_sandbox/faults."""

    # Fraction (0..1) of matching calls answered with ThrottlingException.
    throttle_rate: float = 0.0
    # Fraction (0..1) of matching calls answered with a 500 InternalServerException.
    server_error_rate: float = 0.0
    # Operations the two rates above apply to (empty: every AWS call).
    operations: list[str] = field(default_factory=list)
    # Regions the two rates above apply to (empty: every region).
    regions: list[str] = field(default_factory=list)
    # Every call in these regions is denied (AccessDeniedException), as an
    # organization's region-deny SCP does.
    deny_regions: list[str] = field(default_factory=list)
    # Added latency per AWS call, in milliseconds.
    latency_ms: int = 0
    # Assignment creation/deletion status stays IN_PROGRESS for this many polls.
    in_progress_polls: int = 0
    # Creating an assignment fails with this reason (when set); optional filters.
    fail_creation_reason: str | None = None
    fail_deletion_reason: str | None = None
    # Provisioning a permission set fails with this reason (same filters).
    fail_provisioning_reason: str | None = None
    fail_permission_set_arn: str | None = None
    fail_account_id: str | None = None
    # Enforced Identity Center limits (None: unlimited).
    identity_center_calls_per_second: float | None = None
    identity_center_max_in_flight: int | None = None
    # Enforced CloudTrail LookupEvents limit per account and region.
    lookup_events_per_second: float | None = None
    # Enforced AWS Organizations limit: calls per second to each API operation
    # per calling account, with bursts up to `organizations_burst` (default:
    # the rate). Throttled calls get TooManyRequestsException (HTTP 400).
    organizations_calls_per_second: float | None = None
    organizations_burst: float | None = None

    @staticmethod
    def from_json(body: dict[str, Any]) -> "Faults":
        mapping = {
            "throttleRate": "throttle_rate",
            "serverErrorRate": "server_error_rate",
            "operations": "operations",
            "regions": "regions",
            "denyRegions": "deny_regions",
            "latencyMs": "latency_ms",
            "inProgressPolls": "in_progress_polls",
            "failCreationReason": "fail_creation_reason",
            "failDeletionReason": "fail_deletion_reason",
            "failProvisioningReason": "fail_provisioning_reason",
            "failPermissionSetArn": "fail_permission_set_arn",
            "failAccountId": "fail_account_id",
            "identityCenterCallsPerSecond": "identity_center_calls_per_second",
            "identityCenterMaxInFlight": "identity_center_max_in_flight",
            "lookupEventsPerSecond": "lookup_events_per_second",
            "organizationsCallsPerSecond": "organizations_calls_per_second",
            "organizationsBurst": "organizations_burst",
        }
        unknown = set(body) - set(mapping)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        faults = Faults()
        for key, attr in mapping.items():
            if key in body and body[key] is not None:
                setattr(faults, attr, body[key])
        return faults

    def to_json(self) -> dict[str, Any]:
        return {
            "throttleRate": self.throttle_rate,
            "serverErrorRate": self.server_error_rate,
            "operations": self.operations,
            "regions": self.regions,
            "denyRegions": self.deny_regions,
            "latencyMs": self.latency_ms,
            "inProgressPolls": self.in_progress_polls,
            "failCreationReason": self.fail_creation_reason,
            "failDeletionReason": self.fail_deletion_reason,
            "failProvisioningReason": self.fail_provisioning_reason,
            "failPermissionSetArn": self.fail_permission_set_arn,
            "failAccountId": self.fail_account_id,
            "identityCenterCallsPerSecond": self.identity_center_calls_per_second,
            "identityCenterMaxInFlight": self.identity_center_max_in_flight,
            "lookupEventsPerSecond": self.lookup_events_per_second,
            "organizationsCallsPerSecond": self.organizations_calls_per_second,
            "organizationsBurst": self.organizations_burst,
        }


class SandboxState:
    """Everything the launcher adds to moto; cleared by reset."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.faults = Faults()
            self.calls: list[dict[str, Any]] = []
            # (account, region) -> list of CloudTrail events (LookupEvents shape)
            self.events: dict[tuple[str, str], list[dict[str, Any]]] = {}
            self.event_ids: set[str] = set()
            # request id -> status record for assignment creation / deletion
            self.assignment_statuses: dict[str, dict[str, Any]] = {}
            self.identity_center_bucket: TokenBucket | None = None
            self.lookup_buckets: dict[tuple[str, str], TokenBucket] = {}
            # (access key, operation) -> bucket of the Organizations limit
            self.organizations_buckets: dict[tuple[str, str], TokenBucket] = {}
            self.in_flight = 0

    def set_faults(self, faults: Faults) -> None:
        with self.lock:
            self.faults = faults
            rate = faults.identity_center_calls_per_second
            self.identity_center_bucket = TokenBucket(rate, rate) if rate else None
            self.lookup_buckets = {}
            self.organizations_buckets = {}


STATE = SandboxState()


def _aws_error(code: str, message: str, status: int = 400) -> JsonRESTError:
    err = JsonRESTError(code, message)
    err.code = status
    return err


# --------------------------------------------------------------------------
# CloudTrail: LookupEvents and test event seeding
# --------------------------------------------------------------------------


def _epoch(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        from datetime import datetime

        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    raise ValueError(f"not a time: {value!r}")


def record_event(account: str, region: str, event: dict[str, Any]) -> bool:
    """Store one event in LookupEvents shape. Returns False for a duplicate id."""
    ev = dict(event)
    ev.setdefault("EventId", str(uuid.uuid4()))
    ev["EventTime"] = _epoch(ev.get("EventTime", _now()))
    ev.setdefault("EventSource", "sts.amazonaws.com")
    ev.setdefault("EventName", "Unknown")
    ev.setdefault("ReadOnly", "true")
    ev["ReadOnly"] = str(ev["ReadOnly"]).lower()
    ev.setdefault("Resources", [])
    request = ev.pop("RequestParameters", None)
    extra = ev.pop("Detail", {}) or {}
    if "CloudTrailEvent" not in ev:
        detail = {
            "eventVersion": "1.09",
            "eventID": ev["EventId"],
            "eventName": ev["EventName"],
            "eventSource": ev["EventSource"],
            "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ev["EventTime"])),
            "awsRegion": region,
            "recipientAccountId": account,
            "userIdentity": {
                "type": "AssumedRole",
                "principalId": f"AROAEXAMPLE:{ev.get('Username', 'unknown')}",
            },
            "requestParameters": request,
            "readOnly": ev["ReadOnly"] == "true",
        }
        detail.update(extra)
        ev["CloudTrailEvent"] = json.dumps(detail)
    with STATE.lock:
        if ev["EventId"] in STATE.event_ids:
            return False
        STATE.event_ids.add(ev["EventId"])
        STATE.events.setdefault((account, region), []).append(ev)
    return True


def lookup_events(self: CloudTrailResponse) -> str:
    params = json.loads(self.body or "{}")
    attrs = params.get("LookupAttributes") or []
    if len(attrs) > 1:
        raise _aws_error(
            "InvalidLookupAttributesException",
            "You cannot specify more than one lookup attribute.",
        )
    start = float(params.get("StartTime") or 0)
    end = float(params.get("EndTime") or _now() + 1)
    if start > end:
        raise _aws_error("InvalidTimeRangeException", "Start time must be before end time.")
    max_results = int(params.get("MaxResults") or 50)
    if max_results < 1 or max_results > 50:
        raise _aws_error("InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    token = params.get("NextToken")
    try:
        offset = int(token) if token else 0
    except ValueError:
        raise _aws_error("InvalidNextTokenException", "Invalid NextToken.")
    with STATE.lock:
        events = list(STATE.events.get((self.current_account, self.region), []))
    events = [e for e in events if start <= e["EventTime"] <= end]
    for attr in attrs:
        key, value = attr["AttributeKey"], attr["AttributeValue"]
        if key in ("ResourceName", "ResourceType"):
            events = [e for e in events if any(r.get(key) == value for r in e["Resources"])]
        else:
            events = [e for e in events if str(e.get(key)) == value]
    events.sort(key=lambda e: (e["EventTime"], e["EventId"]), reverse=True)
    out: dict[str, Any] = {"Events": events[offset : offset + max_results]}
    if offset + max_results < len(events):
        out["NextToken"] = str(offset + max_results)
    return json.dumps(out)


def put_test_events(self: CloudTrailResponse) -> str:
    events = json.loads(self.body or "{}").get("Events", [])
    stored = sum(record_event(self.current_account, self.region, e) for e in events)
    return json.dumps({"Count": stored})


CloudTrailResponse.lookup_events = lookup_events  # type: ignore[attr-defined]
CloudTrailResponse.put_test_events = put_test_events  # type: ignore[attr-defined]


# --------------------------------------------------------------------------
# IAM Identity Center permission set ARNs
# --------------------------------------------------------------------------


def _permission_set_arn(instance_arn: str) -> str:
    # Real ARNs are arn:<partition>:sso:::permissionSet/ssoins-…/ps-…; moto
    # builds them from the instance ARN (…:instance/ssoins-…/ps-…).
    partition, _, instance_id = instance_arn.partition(":sso:::instance/")
    return f"{partition}:sso:::permissionSet/{instance_id}/ps-{mock_random.get_random_string(length=16).lower()}"


PermissionSet.generate_id = staticmethod(_permission_set_arn)  # type: ignore[method-assign]


# --------------------------------------------------------------------------
# IAM Identity Center account assignments
# --------------------------------------------------------------------------


def _assignment_key(params: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        params.get(k) or ""
        for k in (
            "InstanceArn",
            "TargetId",
            "TargetType",
            "PermissionSetArn",
            "PrincipalType",
            "PrincipalId",
        )
    )


def _find_assignment(backend: Any, params: dict[str, Any]) -> Any | None:
    key = _assignment_key(params)
    for a in backend.account_assignments:
        if (
            a.instance_arn,
            a.target_id,
            a.target_type,
            a.permission_set_arn,
            a.principal_type,
            a.principal_id,
        ) == key:
            return a
    return None


def _status_record(params: dict[str, Any], request_id: str) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "TargetId": params.get("TargetId"),
        "TargetType": params.get("TargetType"),
        "PermissionSetArn": params.get("PermissionSetArn"),
        "PrincipalType": params.get("PrincipalType"),
        "PrincipalId": params.get("PrincipalId"),
        "CreatedDate": _now(),
    }


def _fault_applies(params: dict[str, Any]) -> bool:
    f = STATE.faults
    if f.fail_permission_set_arn and params.get("PermissionSetArn") != f.fail_permission_set_arn:
        return False
    if f.fail_account_id and params.get("TargetId") != f.fail_account_id:
        return False
    return True


def _record_sso_event(self: SSOAdminResponse, name: str, params: dict[str, Any]) -> None:
    record_event(
        self.current_account,
        self.region,
        {
            "EventName": name,
            "EventSource": "sso.amazonaws.com",
            "ReadOnly": "false",
            "Username": self.headers.get("x-test-username", "elevated-access"),
            "Resources": [
                {"ResourceType": "AWS::SSO::PermissionSet", "ResourceName": params.get("PermissionSetArn")},
                {"ResourceType": "AWS::Account", "ResourceName": params.get("TargetId")},
            ],
            "RequestParameters": params,
        },
    )


def _assignment_operation(self: SSOAdminResponse, kind: str, event_name: str, fail_reason, apply) -> str:
    """Creation and deletion alike: a fault fails the operation; otherwise
    `apply` changes moto's assignments and CloudTrail records the event. The
    status is kept for the Describe...Status calls to poll."""
    params = json.loads(self.body)
    backend = self.ssoadmin_backend
    request_id = str(uuid.uuid4())
    record = _status_record(params, request_id)
    f = STATE.faults
    if fail_reason(f) and _fault_applies(params):
        record.update(Status="FAILED", FailureReason=fail_reason(f), _polls=f.in_progress_polls)
    else:
        apply(backend, params)
        record.update(Status="SUCCEEDED", _polls=f.in_progress_polls)
        _record_sso_event(self, event_name, params)
    with STATE.lock:
        STATE.assignment_statuses[request_id] = dict(record, _kind=kind)
    status_key = "AccountAssignmentCreationStatus" if kind == "creation" else "AccountAssignmentDeletionStatus"
    return json.dumps({status_key: _visible_status(record, consume=False)})


def _create_assignment(backend, params) -> None:
    # Real Identity Center keeps one assignment per (principal, account,
    # permission set); moto would store a duplicate.
    if _find_assignment(backend, params) is None:
        backend.create_account_assignment(
            instance_arn=params.get("InstanceArn"),
            target_id=params.get("TargetId"),
            target_type=params.get("TargetType"),
            permission_set_arn=params.get("PermissionSetArn"),
            principal_type=params.get("PrincipalType"),
            principal_id=params.get("PrincipalId"),
        )


def _delete_assignment(backend, params) -> None:
    existing = _find_assignment(backend, params)
    if existing is None:
        raise ResourceNotFoundException("The account assignment does not exist.")
    backend.account_assignments.remove(existing)


def create_account_assignment(self: SSOAdminResponse) -> str:
    return _assignment_operation(
        self, "creation", "CreateAccountAssignment", lambda f: f.fail_creation_reason, _create_assignment
    )


def delete_account_assignment(self: SSOAdminResponse) -> str:
    return _assignment_operation(
        self, "deletion", "DeleteAccountAssignment", lambda f: f.fail_deletion_reason, _delete_assignment
    )


def _visible_status(record: dict[str, Any], consume: bool) -> dict[str, Any]:
    """The status a caller sees: IN_PROGRESS while polls remain."""
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    if record.get("_polls", 0) > 0:
        out["Status"] = "IN_PROGRESS"
        out.pop("FailureReason", None)
        if consume:
            record["_polls"] -= 1
    return out


def _describe(self: SSOAdminResponse, kind: str, id_param: str, wrapper: str) -> str:
    request_id = self._get_param(id_param)
    with STATE.lock:
        record = STATE.assignment_statuses.get(request_id)
        if record is None or record["_kind"] != kind:
            raise _aws_error(
                "ResourceNotFoundException",
                f"Account assignment {kind} request {request_id} was not found.",
            )
        visible = _visible_status(record, consume=True)
    return json.dumps({wrapper: visible})


def describe_creation_status(self: SSOAdminResponse) -> str:
    return _describe(
        self, "creation", "AccountAssignmentCreationRequestId", "AccountAssignmentCreationStatus"
    )


def describe_deletion_status(self: SSOAdminResponse) -> str:
    return _describe(
        self, "deletion", "AccountAssignmentDeletionRequestId", "AccountAssignmentDeletionStatus"
    )


def provision_permission_set(self: SSOAdminResponse) -> str:
    """Provisions to the account asked for, with a status to poll (moto answers SUCCEEDED at once)."""
    params = json.loads(self.body)
    backend = self.ssoadmin_backend
    request_id = str(uuid.uuid4())
    # raises ResourceNotFoundException for an unknown permission set
    backend.provision_permission_set(
        instance_arn=params.get("InstanceArn"),
        permission_set_arn=params.get("PermissionSetArn"),
    )
    record: dict[str, Any] = {
        "RequestId": request_id,
        "AccountId": params.get("TargetId"),
        "PermissionSetArn": params.get("PermissionSetArn"),
        "CreatedDate": _now(),
    }
    f = STATE.faults
    if f.fail_provisioning_reason and _fault_applies(params):
        record.update(Status="FAILED", FailureReason=f.fail_provisioning_reason, _polls=f.in_progress_polls)
    else:
        record.update(Status="SUCCEEDED", _polls=f.in_progress_polls)
        _record_sso_event(self, "ProvisionPermissionSet", params)
    with STATE.lock:
        STATE.assignment_statuses[request_id] = dict(record, _kind="provisioning")
    return json.dumps({"PermissionSetProvisioningStatus": _visible_status(record, consume=False)})


def describe_provisioning_status(self: SSOAdminResponse) -> str:
    return _describe(
        self, "provisioning", "ProvisionPermissionSetRequestId", "PermissionSetProvisioningStatus"
    )


SSOAdminResponse.provision_permission_set = provision_permission_set  # type: ignore[method-assign]
SSOAdminResponse.describe_permission_set_provisioning_status = describe_provisioning_status  # type: ignore[attr-defined]
SSOAdminResponse.create_account_assignment = create_account_assignment  # type: ignore[method-assign]
SSOAdminResponse.delete_account_assignment = delete_account_assignment  # type: ignore[method-assign]
SSOAdminResponse.describe_account_assignment_creation_status = describe_creation_status  # type: ignore[method-assign]
SSOAdminResponse.describe_account_assignment_deletion_status = describe_deletion_status  # type: ignore[method-assign]


# --------------------------------------------------------------------------
# Organizations: bulk seeding
# --------------------------------------------------------------------------


def bulk_organization(body: dict[str, Any]) -> dict[str, Any]:
    """Adds OUs and accounts to the existing organisation in one call.

    ``organizationalUnits``: ``[{"name", "parent"}]`` and ``accounts``:
    ``[{"name", "email"?, "parent"}]``, where a parent is ``"root"``, an
    existing OU id, or ``"#<n>"``: the n-th OU of this same call (OUs are
    created in order). Thousands of accounts take a second this way, where
    CreateAccount plus MoveAccount over the wire would take minutes.
    Returns the root id and the new ids, in the order given.
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[body.get("accountId") or DEFAULT_ACCOUNT_ID]["aws"]
    if backend.org is None:
        raise ValueError("the sandbox has no organisation yet: seed it first")
    root_id = backend.org.root_id
    ou_ids: list[str] = []

    def parent_of(ref: Any) -> str:
        if not isinstance(ref, str) or ref == "root":
            return root_id
        if ref.startswith("#"):
            index = int(ref[1:])
            if not 0 <= index < len(ou_ids):
                raise ValueError(f"parent {ref} names an OU not created before it")
            return ou_ids[index]
        if ref == root_id or any(o.id == ref for o in backend.ou):
            return ref
        raise ValueError(f"parent {ref} does not exist")

    for ou in body.get("organizationalUnits") or []:
        created = backend.create_organizational_unit(ParentId=parent_of(ou.get("parent")), Name=ou["name"])
        ou_ids.append(created["OrganizationalUnit"]["Id"])
    account_ids: list[str] = []
    for account in body.get("accounts") or []:
        parent = parent_of(account.get("parent"))
        name = account["name"]
        backend.create_account(AccountName=name, Email=account.get("email") or f"aws+{name}@example.com")
        created = backend.accounts[-1]
        created.parent_id = parent
        account_ids.append(created.id)
    return {"rootId": root_id, "organizationalUnitIds": ou_ids, "accountIds": account_ids}


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
