#!/usr/bin/env node
// Expand iCalendar files into UTC occurrences with ical.js (Mozilla's parser).
//
// Usage: node expand.mjs [--vtimezone-only | --native] [--max N] FILE.ics [FILE.ics ...]
//        node expand.mjs --offsets QUERY.json FILE.ics [FILE.ics ...]
//
// Same JSON as expand.py:
//   {"files": {PATH: {"method", "calname", "events": [OCC...], "cancelled": [OCC...]}}}
//   OCC = {"uid", "start_utc", "end_utc", "status", "summary", "sequence",
//          "recurrence_id_utc"}, times YYYY-MM-DDTHH:MM:SSZ, sorted by (start_utc, uid).
// STATUS:CANCELLED occurrences (master or override) go to "cancelled"; EXDATE'd ones
// appear nowhere; "sequence" is the SEQUENCE of the VEVENT the occurrence comes from;
// "recurrence_id_utc" is null for a one-off event.
//
// Time zones: ical.js has no tz database. A TZID is looked up (1) among the VTIMEZONEs
// of the VCALENDAR the property sits in, then (2) in the process-wide
// ICAL.TimezoneService (which ical.js pre-fills with "UTC", "GMT" and "Z" only), then
// (3) falls back to a floating time. Per file we reset the service and register that
// file's VTIMEZONEs, so nothing leaks from one file to the next.
//   --vtimezone-only (default): TZIDs are renamed "X-RT-<n>-<TZID>" (so even
//     TZID=UTC needs its VTIMEZONE); in VTIMEZONE observances each RDATE value gets
//     its own RDATE line and DTSTART is added to the RDATEs (ical.js otherwise drops
//     those onsets, see normalizeObservance and README.md); a TZID without a
//     VTIMEZONE, a floating or a date-only time is an error.
//   --native: the file as is; floating times are read as UTC.
// Exit 0 with the JSON on stdout; 1 with messages on stderr (and no JSON) on any
// error, or when a file has more than --max occurrences before 2100.
//
// --offsets QUERY.json: instead of occurrences, print the UTC offset (seconds east)
// that each file's VTIMEZONE gives at given UTC instants, as ical.js reads it (the
// file prepared as in --vtimezone-only): ical.js turns a VTIMEZONE into a list of
// changes in UTC (Timezone#changes, each with utcOffset); the offset at an instant is
// that of the last change at or before it, 0 before the first (ical.js's own rule).
// Timezone#utcOffset itself takes a *local* time, so it is not used here.
//   QUERY  = {PATH: {TZID: ["YYYY-MM-DDTHH:MM:SSZ", ...]}}   (TZIDs unprefixed)
//   output = {"offsets": {PATH: {TZID: [seconds, ...] or null without that VTIMEZONE}}}

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const STOP_YEAR = 2100;
const TIME_PROPS = ["dtstart", "dtend", "recurrence-id", "exdate", "rdate"];

class FileError extends Error {}

// ------------------------------------------------------------------------- text

function unfold(text) {
  return text
    .replace(/\r?\n[ \t]/g, "")
    .split(/\r?\n/)
    .filter((l) => l !== "");
}

function unfoldBytes(buf) {
  const out = Buffer.alloc(buf.length);
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a && (buf[i + 2] === 0x20 || buf[i + 2] === 0x09)) {
      i += 2;
    } else if (buf[i] === 0x0a && (buf[i + 1] === 0x20 || buf[i + 1] === 0x09)) {
      i += 1;
    } else {
      out[n++] = buf[i];
    }
  }
  return out.subarray(0, n);
}

// [name, [[pname, rawValue]...], value] or null
function splitContentLine(line) {
  let i = 0;
  const n = line.length;
  while (i < n && line[i] !== ";" && line[i] !== ":") i++;
  const name = line.slice(0, i);
  const params = [];
  while (i < n && line[i] === ";") {
    i++;
    let j = i;
    while (j < n && !"=;:".includes(line[j])) j++;
    const pname = line.slice(i, j);
    if (j >= n || line[j] !== "=") return null;
    j++;
    let k = j;
    let inQuotes = false;
    while (k < n) {
      const c = line[k];
      if (c === '"') inQuotes = !inQuotes;
      else if (!inQuotes && (c === ";" || c === ":")) break;
      k++;
    }
    params.push([pname, line.slice(j, k)]);
    i = k;
  }
  if (i >= n || line[i] !== ":") return null;
  return [name, params, line.slice(i + 1)];
}

// Two quirks of ical.js's Timezone#_expandComponent, which lists the onsets of an
// observance: (1) when the observance has RDATE, the onsets are the RDATEs and the
// RRULE's occurrences only, so DTSTART (the first onset, RFC 5545) is dropped;
// (2) it reads only the first value of each RDATE property, so in
// RDATE:20240331T030000,20250330T030000 the 2025 onset is lost. Here each RDATE
// value gets its own line and DTSTART is added to them when absent.
function normalizeObservance(lines) {
  let dtstart = null;
  const rdates = new Set();
  let hasRdate = false;
  const out = [];
  for (const line of lines) {
    const p = splitContentLine(line);
    const uname = p ? p[0].toUpperCase() : "";
    if (uname === "DTSTART") dtstart = p[2].trim();
    if (uname === "RDATE") {
      hasRdate = true;
      const head = line.slice(0, line.length - p[2].length); // "RDATE;...:"
      for (const v of p[2].split(",")) {
        rdates.add(v.trim());
        out.push(head + v.trim());
      }
    } else {
      out.push(line);
    }
  }
  if (hasRdate && dtstart !== null && !rdates.has(dtstart)) out.push("RDATE:" + dtstart);
  // END:<observance> is not in `lines`, so appending keeps the line inside it.
  return out;
}

function prepareVtimezoneOnly(text, prefix) {
  const out = [];
  const stack = [];
  let observance = null;
  const sink = () => (observance !== null ? observance : out);
  for (let line of unfold(text)) {
    const parts = splitContentLine(line);
    if (!parts) {
      sink().push(line);
      continue;
    }
    const [name, params] = parts;
    let value = parts[2];
    const uname = name.toUpperCase();
    if (uname === "BEGIN") {
      stack.push(value.toUpperCase());
      const top2 = stack.slice(-2).join("/");
      if (top2 === "VTIMEZONE/STANDARD" || top2 === "VTIMEZONE/DAYLIGHT") observance = [];
    } else if (uname === "END") {
      if (observance !== null && stack.length && value.toUpperCase() === stack[stack.length - 1]) {
        out.push(...normalizeObservance(observance));
        observance = null;
      }
      stack.pop();
    }
    let changed = false;
    const newParams = params.map(([pname, pvalue]) => {
      if (pname.toUpperCase() === "TZID") {
        changed = true;
        if (pvalue.length >= 2 && pvalue.startsWith('"') && pvalue.endsWith('"')) {
          pvalue = '"' + prefix + pvalue.slice(1, -1) + '"';
        } else {
          pvalue = prefix + pvalue;
        }
      }
      return [pname, pvalue];
    });
    if (uname === "TZID") {
      changed = true;
      value = prefix + value;
    }
    if (changed) line = name + newParams.map(([p, v]) => `;${p}=${v}`).join("") + ":" + value;
    sink().push(line);
  }
  if (observance !== null) out.push(...observance);
  return out.join("\r\n") + "\r\n";
}

function stripPrefix(tzid) {
  return String(tzid).replace(/^X-RT-\d+-/, "");
}

// ------------------------------------------------------------------------- times

function isFloating(t) {
  return t.zone === ICAL.Timezone.localTimezone || !t.zone;
}

function utcText(t) {
  const seconds = t.toUnixTime();
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function checkInstant(t, what, strict) {
  if (t.isDate) throw new FileError(`${what}: date-only value ${t.toString()} (no instant)`);
  if (strict && isFloating(t)) {
    throw new FileError(`${what}: floating date-time ${t.toString()} (no TZID, no Z)`);
  }
}

function checkTimes(vevents, strict) {
  for (const ev of vevents) {
    const uid = ev.getFirstPropertyValue("uid") ?? "?";
    for (const name of TIME_PROPS) {
      for (const prop of ev.getAllProperties(name)) {
        const tzid = prop.getParameter("tzid");
        for (let value of prop.getValues()) {
          if (value instanceof ICAL.Period) value = value.start;
          const what = `VEVENT ${uid} ${name.toUpperCase()}`;
          if (tzid && !value.isDate && isFloating(value)) {
            if (strict) {
              throw new FileError(
                `${what}: TZID ${JSON.stringify(stripPrefix(tzid))} has no VTIMEZONE in the file`,
              );
            }
          }
          checkInstant(value, what, strict);
        }
      }
    }
  }
}

// ------------------------------------------------------------------------- expand

function textOrNull(v) {
  return v === null || v === undefined ? null : String(v);
}

function intOrNull(v) {
  return v === null || v === undefined ? null : Number(v);
}

function row(uid, start, end, sourceComponent, rid) {
  return {
    uid,
    start_utc: utcText(start),
    end_utc: utcText(end),
    status: textOrNull(sourceComponent.getFirstPropertyValue("status")),
    summary: textOrNull(sourceComponent.getFirstPropertyValue("summary")),
    sequence: intOrNull(sourceComponent.getFirstPropertyValue("sequence")),
    recurrence_id_utc: rid === null ? null : utcText(rid),
  };
}

function expandFile(path, index, native, limit) {
  let text;
  try {
    // Unfold the bytes before decoding, as RFC 5545 3.1 asks of readers: a fold may
    // split a multi-byte character (lint.py reports that as a writer's fault).
    text = new TextDecoder("utf-8", { fatal: true }).decode(unfoldBytes(readFileSync(path)));
  } catch (e) {
    throw new FileError(`cannot read as UTF-8: ${e.message}`);
  }
  if (!native) text = prepareVtimezoneOnly(text, `X-RT-${index}-`);

  let vcalendar;
  try {
    const jcal = ICAL.parse(text);
    if (Array.isArray(jcal[0])) throw new Error("more than one top-level component");
    vcalendar = new ICAL.Component(jcal);
  } catch (e) {
    throw new FileError(`ical.js cannot parse it: ${e.message}`);
  }
  if (vcalendar.name !== "vcalendar") {
    throw new FileError(`top-level component is ${vcalendar.name}, not VCALENDAR`);
  }

  ICAL.TimezoneService.reset();
  for (const vtz of vcalendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }

  const vevents = vcalendar.getAllSubcomponents("vevent");
  checkTimes(vevents, !native);

  // Group by UID: master (no RECURRENCE-ID) + overrides.
  const masters = new Map();
  const overrides = new Map();
  for (const comp of vevents) {
    const uid = comp.getFirstPropertyValue("uid") ?? "";
    if (comp.hasProperty("recurrence-id")) {
      const key = utcText(comp.getFirstPropertyValue("recurrence-id"));
      if (!overrides.has(uid)) overrides.set(uid, new Map());
      if (overrides.get(uid).has(key)) {
        throw new FileError(`two VEVENTs with UID ${uid} and RECURRENCE-ID ${key}`);
      }
      overrides.get(uid).set(key, comp);
    } else {
      if (masters.has(uid)) throw new FileError(`two VEVENTs with UID ${uid} and no RECURRENCE-ID`);
      masters.set(uid, comp);
    }
  }

  const rows = [];
  const push = (r) => {
    if (r.start_utc < `${STOP_YEAR}-01-01T00:00:00Z`) rows.push(r);
    if (rows.length > limit) {
      throw new FileError(`more than --max ${limit} occurrences before ${STOP_YEAR}: unbounded RRULE?`);
    }
  };

  for (const [uid, master] of masters) {
    const ovs = overrides.get(uid) ?? new Map();
    const event = new ICAL.Event(master, { strictExceptions: true, exceptions: [] });
    for (const ov of ovs.values()) event.relateException(new ICAL.Event(ov));
    const used = new Set();
    if (!event.isRecurring()) {
      push(row(uid, event.startDate, event.endDate, master, null));
      continue;
    }
    const exdates = new Set(
      master.getAllProperties("exdate").flatMap((p) => p.getValues().map((t) => utcText(t))),
    );
    const it = event.iterator();
    let next;
    while ((next = it.next())) {
      if (next.year >= STOP_YEAR) break;
      // ical.js's own matching (getOccurrenceDetails: the RECURRENCE-ID's local string,
      // then the occurrence's UTC string) decides which override replaces an occurrence;
      // `used` records the override component it chose, not a UTC key, because ical.js
      // can turn the same local time in a fold into different instants on different
      // paths (the parsed RECURRENCE-ID vs the iterator's occurrence).
      const details = event.getOccurrenceDetails(next);
      const rid = details.recurrenceId;
      const source = details.item && details.item !== event ? details.item.component : null;
      if (source) used.add(source);
      push(row(uid, details.startDate, details.endDate, source ?? master, rid));
    }
    // Overrides whose RECURRENCE-ID is not an occurrence of the rule: shown on their
    // own (as recurring_ical_events does), unless EXDATE removes that id.
    for (const [key, ov] of ovs) {
      if (used.has(ov) || exdates.has(key)) continue;
      const e = new ICAL.Event(ov);
      push(row(uid, e.startDate, e.endDate, ov, e.recurrenceId));
    }
  }
  // Overrides without a master in this file (e.g. a REQUEST for one instance).
  for (const [uid, ovs] of overrides) {
    if (masters.has(uid)) continue;
    for (const ov of ovs.values()) {
      const e = new ICAL.Event(ov);
      push(row(uid, e.startDate, e.endDate, ov, e.recurrenceId));
    }
  }

  const cmp = (a, b) =>
    a.start_utc < b.start_utc ? -1 : a.start_utc > b.start_utc ? 1
      : a.uid < b.uid ? -1 : a.uid > b.uid ? 1
        : (a.recurrence_id_utc ?? "") < (b.recurrence_id_utc ?? "") ? -1
          : (a.recurrence_id_utc ?? "") > (b.recurrence_id_utc ?? "") ? 1 : 0;
  const cancelled = rows.filter((r) => (r.status ?? "").toUpperCase() === "CANCELLED").sort(cmp);
  const events = rows.filter((r) => (r.status ?? "").toUpperCase() !== "CANCELLED").sort(cmp);
  return {
    method: textOrNull(vcalendar.getFirstPropertyValue("method")),
    calname: textOrNull(vcalendar.getFirstPropertyValue("x-wr-calname")),
    events,
    cancelled,
  };
}

function offsetsFile(path, index, wanted) {
  const text = prepareVtimezoneOnly(
    new TextDecoder("utf-8", { fatal: true }).decode(unfoldBytes(readFileSync(path))),
    `X-RT-${index}-`,
  );
  const vcalendar = new ICAL.Component(ICAL.parse(text));
  const zones = new Map();
  for (const vtz of vcalendar.getAllSubcomponents("vtimezone")) {
    const tz = new ICAL.Timezone(vtz);
    zones.set(stripPrefix(tz.tzid), tz);
  }
  const out = {};
  for (const [tzid, instants] of Object.entries(wanted)) {
    const tz = zones.get(tzid);
    if (!tz) {
      out[tzid] = null;
      continue;
    }
    tz._ensureCoverage(2100);
    // Each change as seconds since the epoch (its fields are UTC), with its offset.
    const changes = tz.changes.map((c) => [
      Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) / 1000,
      c.utcOffset,
    ]);
    out[tzid] = instants.map((iso) => {
      const t = Date.parse(iso) / 1000;
      let lo = 0;
      let hi = changes.length; // first change after t
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (changes[mid][0] <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : changes[lo - 1][1];
    });
  }
  return out;
}

function main(argv) {
  let offsets = null;
  let native = false;
  let limit = 5000;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--native") native = true;
    else if (a === "--vtimezone-only") native = false;
    else if (a === "--max") limit = Number(argv[++i]);
    else if (a.startsWith("--max=")) limit = Number(a.slice(6));
    else if (a === "--offsets") offsets = JSON.parse(readFileSync(argv[++i], "utf-8"));
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: node expand.mjs [--vtimezone-only|--native] [--max N] [--offsets QUERY.json] FILE.ics...\n");
      return 0;
    } else if (a.startsWith("--")) {
      process.stderr.write(`unknown option ${a}\n`);
      return 2;
    } else files.push(a);
  }
  if (!files.length || !Number.isInteger(limit)) {
    process.stderr.write("usage: node expand.mjs [--vtimezone-only|--native] [--max N] [--offsets QUERY.json] FILE.ics...\n");
    return 2;
  }
  const result = {};
  let failed = false;
  files.forEach((path, index) => {
    try {
      result[path] = offsets
        ? offsetsFile(path, index, offsets[path] ?? {})
        : expandFile(path, index, native, limit);
    } catch (e) {
      const msg = e instanceof FileError ? e.message : `${e.name}: ${e.message}`;
      process.stderr.write(`${path}: ${msg}\n`);
      failed = true;
    }
  });
  if (failed) return 1;
  const key = offsets ? "offsets" : "files";
  process.stdout.write(JSON.stringify({ [key]: result }, null, 2) + "\n");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
