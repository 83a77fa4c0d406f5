"""AWS sandbox for Elevated Access (moto plus CloudTrail lookup, faults and a seed)."""
