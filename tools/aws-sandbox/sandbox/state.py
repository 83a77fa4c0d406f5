"""The sandbox's shared state: fault modes, rate limits and the call record."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import JsonRESTError


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
