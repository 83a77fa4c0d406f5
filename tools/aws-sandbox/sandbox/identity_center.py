"""IAM Identity Center as AWS behaves: real permission set ARNs, account assignments with describable request statuses, and permission set provisioning."""

from __future__ import annotations

import json
import uuid
from typing import Any

from moto.moto_api._internal import mock_random
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import PermissionSet
from moto.ssoadmin.responses import SSOAdminResponse

from .cloudtrail import record_event
from .state import STATE, _aws_error, _now


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
