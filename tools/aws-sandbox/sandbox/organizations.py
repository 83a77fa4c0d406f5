"""Organizations: bulk seeding of large organisations straight into moto's model."""

from __future__ import annotations

from typing import Any


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
