"""Reads iMIP messages with Python's own MIME parser (`email`) and their calendars with
`icalendar`, independently of roundtable, for tests/it/send.rs.

    python3 read_eml.py FILE.eml...
    python3 read_eml.py --ics SESSION.ics...   (UID, SEQUENCE, METHOD, attendee) of invitations

Prints one JSON object per message (a JSON list): who it is from and to, its Message-ID,
Subject and Date, the first line of its text part, and from the calendar part its METHOD, UID,
SEQUENCE, ORGANIZER, ATTENDEEs and STATUS. `problems` lists every way the message departs
from what RFC 6047 and the big clients need:
multipart/mixed holding multipart/alternative (text/plain, then text/calendar with a `method`
parameter equal to the calendar's METHOD and a charset) and an application/ics attachment
holding the same calendar; From equal to the ORGANIZER; one ATTENDEE, equal to To.
"""

import email
import email.policy
import email.utils
import json
import sys

import icalendar


def addr(value):
    return email.utils.parseaddr(str(value))[1].lower()


def mailto(value):
    v = str(value)
    return v[7:].lower() if v.lower().startswith("mailto:") else v.lower()


def read(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    problems = []
    out = {
        "file": path,
        "from": addr(msg["From"]),
        "from_name": email.utils.parseaddr(str(msg["From"]))[0],
        "to": addr(msg["To"]),
        "to_name": email.utils.parseaddr(str(msg["To"]))[0],
        "message_id": str(msg["Message-ID"]),
        "subject": str(msg["Subject"]),
        "date": str(msg["Date"]),
    }
    if msg.get_content_type() != "multipart/mixed":
        problems.append(f"top is {msg.get_content_type()}")
        out["problems"] = problems
        return out
    parts = msg.get_payload()
    alt = parts[0] if parts else None
    if alt is None or alt.get_content_type() != "multipart/alternative":
        problems.append("first part is not multipart/alternative")
        out["problems"] = problems
        return out
    sub = alt.get_payload()
    if [p.get_content_type() for p in sub] != ["text/plain", "text/calendar"]:
        problems.append(f"alternative holds {[p.get_content_type() for p in sub]}")
        out["problems"] = problems
        return out
    text = sub[0].get_content()
    out["text_first_line"] = text.split("\n", 1)[0]
    cal_part = sub[1]
    method_param = cal_part.get_param("method")
    charset = cal_part.get_content_charset()
    if charset is None or charset.lower() != "utf-8":
        problems.append(f"calendar charset {charset}")
    cal_bytes = cal_part.get_payload(decode=True)
    attachments = [p for p in parts[1:] if p.get_content_disposition() == "attachment"]
    if len(attachments) != 1 or attachments[0].get_content_type() != "application/ics":
        problems.append("no application/ics attachment")
    elif attachments[0].get_payload(decode=True) != cal_bytes:
        problems.append("the attachment differs from the text/calendar part")
    elif attachments[0].get_filename() != "invite.ics":
        problems.append(f"attachment named {attachments[0].get_filename()}")
    cal = icalendar.Calendar.from_ical(cal_bytes)
    method = str(cal.get("METHOD"))
    out["method"] = method
    if method_param is None or method_param.upper() != method:
        problems.append(f"Content-Type method={method_param}, calendar METHOD:{method}")
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    if not events:
        problems.append("no VEVENT")
        out["problems"] = problems
        return out
    uids = {str(e.get("UID")) for e in events}
    seqs = {int(e.get("SEQUENCE", 0)) for e in events}
    if len(uids) != 1 or len(seqs) != 1:
        problems.append(f"UIDs {uids}, SEQUENCEs {seqs}")
    ev = events[0]
    out["uid"] = str(ev.get("UID"))
    out["sequence"] = int(ev.get("SEQUENCE", 0))
    out["status"] = str(ev.get("STATUS"))
    out["organizer"] = mailto(ev.get("ORGANIZER"))
    attendees = ev.get("ATTENDEE")
    if attendees is None:
        attendees = []
    elif not isinstance(attendees, list):
        attendees = [attendees]
    out["attendees"] = [mailto(a) for a in attendees]
    out["attendee_cn"] = [str(a.params.get("CN", "")) for a in attendees]
    if out["organizer"] != out["from"]:
        problems.append(f"ORGANIZER {out['organizer']} is not From {out['from']}")
    if out["attendees"] != [out["to"]]:
        problems.append(f"ATTENDEEs {out['attendees']} are not To {out['to']}")
    out["problems"] = problems
    return out


def invitations(path):
    """The (UID, SEQUENCE, METHOD, attendee) of a published REQUEST/CANCEL file."""
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    method = str(cal.get("METHOD"))
    out = set()
    for ev in cal.walk("VEVENT"):
        attendees = ev.get("ATTENDEE") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        for a in attendees:
            out.add((str(ev.get("UID")), int(ev.get("SEQUENCE", 0)), method, mailto(a)))
    return [list(t) for t in sorted(out)]


def main():
    if sys.argv[1:2] == ["--ics"]:
        rows = []
        for p in sys.argv[2:]:
            rows.extend(invitations(p))
        print(json.dumps(rows, ensure_ascii=False))
        return
    print(json.dumps([read(p) for p in sys.argv[1:]], ensure_ascii=False))


if __name__ == "__main__":
    main()
