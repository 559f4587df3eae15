"""Reads calendar.ics files with the `icalendar` package (RFC 5545) and prints,
as JSON, what a calendar application would import: each event's UID, times,
text, and the offset its VTIMEZONE gives at its start next to the IANA one.

Usage: python3 ics_check.py FILE.ics  (exit 1 with the problems when the
file does not parse cleanly or breaks a rule of RFC 5545 checked here).
"""

import datetime
import json
import sys

from icalendar import Calendar


def problems_of(raw):
    """Rules the parser is lenient about: CRLF line ends, 75-octet lines."""
    out = []
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        out.append("the file does not end with CRLF")
    for n, line in enumerate(lines[:-1], 1):
        if b"\n" in line or b"\r" in line:
            out.append(f"line {n}: a bare CR or LF")
        if len(line) > 75:
            out.append(f"line {n}: {len(line)} octets, more than 75")
    return out


def instant(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return {"floating": value.isoformat()}
        return {
            "local": value.isoformat(),
            "utc": value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    return {"date": value.isoformat()}


def main(path):
    raw = open(path, "rb").read()
    problems = problems_of(raw)
    cal = Calendar.from_ical(raw)
    for component in cal.walk():
        for prop, error in component.errors:
            problems.append(f"{component.name} {prop}: {error}")
    for prop in ("VERSION", "PRODID"):
        if prop not in cal:
            problems.append(f"VCALENDAR without {prop}")
    zones = {}
    for vtz in cal.walk("VTIMEZONE"):
        # Built from the VTIMEZONE itself, not looked up by its name.
        zones[str(vtz["TZID"])] = vtz.to_tz(lookup_tzid=False)
    events = []
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in ev:
                problems.append(f"VEVENT without {prop}")
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND") if "DTEND" in ev else None
        event = {
            "uid": str(ev.get("UID")),
            "summary": str(ev.get("SUMMARY", "")),
            "location": str(ev.get("LOCATION", "")),
            "description": str(ev.get("DESCRIPTION", "")),
            "url": str(ev.get("URL", "")),
            "start": instant(start),
            "end": instant(end) if end is not None else None,
        }
        tzid = ev["DTSTART"].params.get("TZID")
        if tzid is not None:
            if tzid not in zones:
                problems.append(f"TZID {tzid} without its VTIMEZONE")
            else:
                naive = start.replace(tzinfo=None)
                ours = zones[tzid].utcoffset(naive)
                iana = start.utcoffset()
                if ours != iana:
                    problems.append(f"{event['uid']}: VTIMEZONE offset {ours}, IANA {iana}")
        events.append(event)
    uids = [e["uid"] for e in events]
    if len(set(uids)) != len(uids):
        problems.append("two events share a UID")
    print(json.dumps({"problems": problems, "events": events}, indent=1, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
