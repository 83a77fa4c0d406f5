"""CloudTrail LookupEvents (moto lacks it) over an event store per account and region, and PutTestEvents to seed it."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from moto.cloudtrail.responses import CloudTrailResponse

from .state import STATE, _aws_error, _now


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
