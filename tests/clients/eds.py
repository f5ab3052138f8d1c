#!/usr/bin/python3
"""Import iCalendar files into Evolution's data server and print what it shows.

Usage: /usr/bin/python3 eds.py [--sequence] FILE.ics [FILE.ics ...]

Runs Debian's evolution-data-server (libecal 2.0 / libical 3) for real: the script
re-executes itself under `dbus-run-session` with private XDG_CONFIG_HOME,
XDG_DATA_HOME and XDG_CACHE_HOME folders, so D-Bus activates a private
evolution-source-registry and evolution-calendar-factory
(/usr/share/dbus-1/services/org.gnome.evolution.dataserver.{Sources5,Calendar8}.service).
It creates a local calendar ESource, connects an ECalClient to it and imports each
file as Evolution's File > Import does: the whole VCALENDAR with receive_objects_sync
(METHOD:PUBLISH when it has no METHOD; REQUEST and CANCEL are iTIP). A re-import of a
UID replaces it, detached instances (RECURRENCE-ID) included.

then lists the instances with generate_instances_sync over 1990-2040, in UTC.

Set RT_EDS_DEBUG=1 to see on stderr the objects the calendar stores and each instance
as EDS generates it (local time and zone), before conversion to UTC.

Without --sequence each file goes into a fresh, empty calendar and is reported
under its own path. With --sequence all files go, in order, into the same calendar
and the final state is reported once, under the last file's path.

Output: the JSON of tests/ics/expand.py:
  {"files": {PATH: {"method", "calname", "events": [...], "cancelled": [...]}}}
with occurrences {"uid", "start_utc", "end_utc", "status", "summary", "sequence",
"recurrence_id_utc"}. A STATUS:CANCELLED instance goes to "cancelled"; an object
removed by an iTIP CANCEL is simply gone. Exit status 1 with a message on failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

INNER = "RT_EDS_INNER"
# RT_EDS_DEBUG=1: print the stored objects and each instance (local time, zone) on stderr.
DEBUG = bool(os.environ.get("RT_EDS_DEBUG"))
RANGE = ("19900101T000000Z", "20400101T000000Z")


def outer(argv: list[str]) -> int:
    """Start a private session bus and data server, run ourselves inside it."""
    for tool in ("dbus-run-session", "/usr/libexec/evolution-calendar-factory",
                 "/usr/libexec/evolution-source-registry"):
        if shutil.which(tool) is None and not os.path.exists(tool):
            print(f"eds.py: {tool} not found (apt-get install evolution-data-server dbus-bin)",
                  file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="rt-eds-") as tmp:
        env = dict(os.environ)
        for var in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(var, None)
        env.update({
            INNER: "1",
            "HOME": tmp,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
            "GSETTINGS_BACKEND": "memory",
            "TZ": "UTC",
        })
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
        proc = subprocess.run(
            ["dbus-run-session", "--", sys.executable, os.path.abspath(__file__), *argv],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # dbus-daemon's own chatter (activation notices, fd limit) is noise.
        err = "\n".join(l for l in proc.stderr.splitlines() if not l.startswith("dbus-daemon["))
        if err.strip():
            print(err, file=sys.stderr)
        if proc.returncode != 0:
            return proc.returncode or 1
        sys.stdout.write(proc.stdout)
        return 0


def inner(argv: list[str]) -> int:
    import gi

    gi.require_version("EDataServer", "1.2")
    gi.require_version("ECal", "2.0")
    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ECal, EDataServer, GLib, ICalGLib

    sequence = False
    files = []
    for a in argv:
        if a == "--sequence":
            sequence = True
        elif a.startswith("-"):
            print(f"eds.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
    if not files:
        print(__doc__, file=sys.stderr)
        return 2

    utc = ICalGLib.Timezone.get_utc_timezone()
    registry = EDataServer.SourceRegistry.new_sync(None)
    counter = [0]

    def new_client():
        counter[0] += 1
        source = EDataServer.Source.new(None, None)
        source.set_display_name(f"roundtable test {counter[0]}")
        source.set_parent("local-stub")
        source.get_extension(EDataServer.SOURCE_EXTENSION_CALENDAR).set_backend_name("local")
        registry.commit_source_sync(source, None)
        # -1: do not wait for the backend to report "connected" (a local calendar never
        # goes online in a network-less sandbox; waiting would block for the timeout).
        # The calendar factory has its own view of the registry and may not know a
        # source committed a moment ago ("No such source for UID"): retry briefly.
        for attempt in range(100):
            try:
                client = ECal.Client.connect_sync(source, ECal.ClientSourceType.EVENTS,
                                                  0xFFFFFFFF, None)
                break
            except GLib.Error as e:
                if "No such source" not in str(e) or attempt == 99:
                    raise
                time.sleep(0.05)
        client.set_default_timezone(utc)
        return client

    def text(comp, kind):
        p = comp.get_first_property(kind)
        return p.get_value_as_string() if p is not None else None

    def import_file(client, path):
        with open(path, encoding="utf-8") as f:
            vcal = ICalGLib.Component.new_from_string(f.read())
        if vcal is None or vcal.isa() != ICalGLib.ComponentKind.VCALENDAR_COMPONENT:
            raise RuntimeError(f"{path}: libical could not parse a VCALENDAR")
        method = text(vcal, ICalGLib.PropertyKind.METHOD_PROPERTY)
        calname = None
        p = vcal.get_first_property(ICalGLib.PropertyKind.X_PROPERTY)
        while p is not None:
            if p.get_x_name() == "X-WR-CALNAME":
                calname = p.get_value_as_string()
            p = vcal.get_next_property(ICalGLib.PropertyKind.X_PROPERTY)
        if method is None:
            vcal.add_property(ICalGLib.Property.new_method(ICalGLib.PropertyMethod.PUBLISH))
        # As Evolution's File > Import does (update_objects in
        # src/calendar/importers/icalendar-importer.c): the whole VCALENDAR, METHOD kept.
        client.receive_objects_sync(vcal, ECal.OperationFlags.NONE, None)
        return method, calname

    def to_utc(t, comp_zone=None):
        t = t.clone()
        zone = t.get_timezone() or comp_zone
        if not t.is_utc() and zone is not None:
            t.convert_timezone(zone, utc)
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (
            t.get_year(), t.get_month(), t.get_day(), t.get_hour(), t.get_minute(),
            t.get_second())

    def instances(client):
        events, cancelled = [], []

        def cb(icomp, start, end, *rest):
            if DEBUG:
                zs, ze = start.get_timezone(), end.get_timezone()
                print("instance", icomp.get_uid(), start.as_ical_string(),
                      zs.get_tzid() if zs else None, end.as_ical_string(),
                      ze.get_tzid() if ze else None, file=sys.stderr)
            # get_status() raises on a VEVENT without STATUS (enum value 0): read the text.
            status_s = text(icomp, ICalGLib.PropertyKind.STATUS_PROPERTY)
            seq = icomp.get_first_property(ICalGLib.PropertyKind.SEQUENCE_PROPERTY)
            rid = icomp.get_recurrenceid()
            rid_s = None
            if rid is not None and not rid.is_null_time():
                rid_prop = icomp.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
                tzid = rid_prop.get_parameter_as_string("TZID") if rid_prop else None
                zone = None
                if tzid and not rid.is_utc():
                    try:
                        ok, zone = client.get_timezone_sync(tzid, None)
                    except Exception:  # noqa: BLE001 - unknown TZID: leave it floating
                        zone = None
                rid_s = to_utc(rid, zone)
            elif icomp.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY) is not None \
                    or icomp.get_first_property(ICalGLib.PropertyKind.RDATE_PROPERTY) is not None:
                rid_s = to_utc(start)
            occ = {
                "uid": icomp.get_uid(),
                "start_utc": to_utc(start),
                "end_utc": to_utc(end),
                "status": status_s,
                "summary": icomp.get_summary(),
                "sequence": seq.get_sequence() if seq is not None else None,
                "recurrence_id_utc": rid_s,
            }
            (cancelled if status_s == "CANCELLED" else events).append(occ)
            return True

        def safe_cb(*args):
            # An exception inside the callback would only be printed by PyGObject and
            # generation would go on silently: keep it and fail afterwards.
            try:
                return cb(*args)
            except Exception as e:  # noqa: BLE001
                errors.append(e)
                return False

        errors: list[Exception] = []

        start = ICalGLib.Time.new_from_string(RANGE[0]).as_timet()
        end = ICalGLib.Time.new_from_string(RANGE[1]).as_timet()
        if DEBUG:
            ok, objs = client.get_object_list_sync("#t", None)
            for o in objs:
                print(o.as_ical_string(), file=sys.stderr)
        client.generate_instances_sync(start, end, None, safe_cb)
        if errors:
            raise errors[0]
        key = lambda o: (o["start_utc"], o["uid"], o["recurrence_id_utc"] or "")
        return sorted(events, key=key), sorted(cancelled, key=key)

    result = {}
    try:
        if sequence:
            client = new_client()
            method = calname = None
            for path in files:
                method, calname = import_file(client, path)
            ev, ca = instances(client)
            result[files[-1]] = {"method": method, "calname": calname, "events": ev,
                                 "cancelled": ca}
        else:
            for path in files:
                client = new_client()
                method, calname = import_file(client, path)
                ev, ca = instances(client)
                result[path] = {"method": method, "calname": calname, "events": ev,
                                "cancelled": ca}
    except Exception as e:  # noqa: BLE001
        print(f"eds.py: {e}", file=sys.stderr)
        return 1
    json.dump({"files": result}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    if os.environ.get(INNER) == "1":
        sys.exit(inner(sys.argv[1:]))
    sys.exit(outer(sys.argv[1:]))
