"""Seeds the demo organisation, permission sets and Identity Center users.

Idempotent: every object is looked up by name first and created only when
missing, so seeding twice changes nothing. On an empty sandbox it first fixes
moto's random seed, so account ids and ARNs are the same on every start and data
that the backend kept across a sandbox restart still points at real objects.
"""

from __future__ import annotations

import urllib.request
from typing import Any

import boto3
from botocore.config import Config

DEMO_RANDOM_SEED = 20261121
REGION = "us-east-1"

OUS = {
    # name: parent name (None = root)
    "Workloads": None,
    "Production": "Workloads",
    "Development": "Workloads",
    "Security": None,
}
ACCOUNTS = {
    "payments-prod": "Production",
    "data-prod": "Production",
    "payments-dev": "Development",
    "data-dev": "Development",
    "audit": "Security",
}
# Account tags the catalog module reads (elevatedAccess.catalog.ownerTag and
# systemTag); the other accounts take the configured default owner.
ACCOUNT_TAGS = {
    "payments-prod": {"owner": "payments-team", "system": "payments"},
    "payments-dev": {"owner": "payments-team", "system": "payments"},
}
PERMISSION_SETS = {
    "ReadOnlyAccess": ("Read-only access to every service", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
    "PowerUserAccess": ("Full access except IAM and Organizations", "arn:aws:iam::aws:policy/PowerUserAccess"),
    "AdministratorAccess": ("Full access", "arn:aws:iam::aws:policy/AdministratorAccess"),
}
USERS = {
    "alice": ("Alice", "Requester"),
    "erin": ("Erin", "Requester"),
    "bob": ("Bob", "Approver"),
    "carol": ("Carol", "Auditor"),
    "dave": ("Dave", "Admin"),
}


def _client(service: str, endpoint: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 2}),
    )


def seed_demo(endpoint: str) -> dict[str, Any]:
    org = _client("organizations", endpoint)
    sso = _client("sso-admin", endpoint)
    ids = _client("identitystore", endpoint)

    try:
        org.describe_organization()
        fresh = False
    except org.exceptions.AWSOrganizationsNotInUseException:
        fresh = True
    if fresh:
        # Deterministic ids for the whole seed; must precede the first SSO call.
        req = urllib.request.Request(f"{endpoint}/moto-api/seed?a={DEMO_RANDOM_SEED}", method="POST")
        urllib.request.urlopen(req).read()
        org.create_organization(FeatureSet="ALL")

    root_id = org.list_roots()["Roots"][0]["Id"]

    def children(parent: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for page in org.get_paginator("list_organizational_units_for_parent").paginate(ParentId=parent):
            out.update({ou["Name"]: ou["Id"] for ou in page["OrganizationalUnits"]})
        return out

    ou_ids: dict[str, str] = {}
    for name, parent in OUS.items():
        parent_id = root_id if parent is None else ou_ids[parent]
        existing = children(parent_id)
        ou_ids[name] = existing.get(name) or org.create_organizational_unit(
            ParentId=parent_id, Name=name
        )["OrganizationalUnit"]["Id"]

    accounts = {
        a["Name"]: a["Id"]
        for page in org.get_paginator("list_accounts").paginate()
        for a in page["Accounts"]
    }
    for name, ou in ACCOUNTS.items():
        if name not in accounts:
            status = org.create_account(AccountName=name, Email=f"aws+{name}@example.com")
            account_id = org.describe_create_account_status(
                CreateAccountRequestId=status["CreateAccountStatus"]["Id"]
            )["CreateAccountStatus"]["AccountId"]
            org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=ou_ids[ou])
            accounts[name] = account_id

    instance = sso.list_instances()["Instances"][0]
    instance_arn = instance["InstanceArn"]
    store_id = instance["IdentityStoreId"]

    existing_sets: dict[str, str] = {}
    for page in sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance_arn):
        for arn in page["PermissionSets"]:
            ps = sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)["PermissionSet"]
            existing_sets[ps["Name"]] = arn
    for name, (description, policy_arn) in PERMISSION_SETS.items():
        if name not in existing_sets:
            arn = sso.create_permission_set(
                InstanceArn=instance_arn, Name=name, Description=description, SessionDuration="PT1H"
            )["PermissionSet"]["PermissionSetArn"]
            sso.attach_managed_policy_to_permission_set(
                InstanceArn=instance_arn, PermissionSetArn=arn, ManagedPolicyArn=policy_arn
            )
            existing_sets[name] = arn

    users: dict[str, str] = {}
    for user_name, (given, family) in USERS.items():
        found = ids.list_users(
            IdentityStoreId=store_id,
            Filters=[{"AttributePath": "UserName", "AttributeValue": user_name}],
        )["Users"]
        if found:
            users[user_name] = found[0]["UserId"]
            continue
        users[user_name] = ids.create_user(
            IdentityStoreId=store_id,
            UserName=user_name,
            DisplayName=f"{given} {family}",
            Name={"GivenName": given, "FamilyName": family},
            Emails=[{"Value": f"{user_name}@example.com", "Type": "work", "Primary": True}],
        )["UserId"]

    # Tagged last: tagging before the Identity Center objects above were made
    # changed their ids (it draws on moto's seeded random numbers). Only
    # missing tags are added, a tag someone changed since is left as it is.
    for name, tags in ACCOUNT_TAGS.items():
        present = {
            t["Key"]
            for page in org.get_paginator("list_tags_for_resource").paginate(ResourceId=accounts[name])
            for t in page["Tags"]
        }
        missing = [{"Key": k, "Value": v} for k, v in tags.items() if k not in present]
        if missing:
            org.tag_resource(ResourceId=accounts[name], Tags=missing)

    return {
        "region": REGION,
        "instanceArn": instance_arn,
        "identityStoreId": store_id,
        "managementAccountId": org.describe_organization()["Organization"]["MasterAccountId"],
        "rootId": root_id,
        "ous": ou_ids,
        "accounts": accounts,
        "permissionSets": existing_sets,
        "users": users,
    }
