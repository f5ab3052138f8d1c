#!/usr/bin/env node
// A benchmark peer of `roundtable invites`: the same job, scripted with Node and ical.js.
//
//     node bench/peers/invites_icaljs.mjs PROGRAMME.toml OUT_DIR --vtimezones RT_PROGRAMME_ICS
//
// Reads the programme with smol-toml and its participants CSV by hand, expands every session's
// RRULE in civil time (ICAL.Recur iterator over floating times), resolves each civil start to
// an instant in the session's zone (offsets from Intl.DateTimeFormat; gaps and folds by the
// programme's policy), and builds every calendar with ICAL.Component / ICAL.Event, serialized
// with toString():
//
//     OUT_DIR/<programme-id>.ics           PUBLISH, every session
//     OUT_DIR/participants/<slug>.ics      PUBLISH, one per participant, their sessions, each
//                                          DESCRIPTION opening with their own local times
//     OUT_DIR/participants/index.csv       email,name,file
//     OUT_DIR/sessions/<session-id>.ics    REQUEST, ORGANIZER + one ATTENDEE per audience member
//
// The VTIMEZONE components are parsed once from roundtable's programme calendar (ical.js has no
// VTIMEZONE generator) and added to every calendar that needs them.
//
// A benchmark peer written "the most direct way", not a test and not a reference: no lock file
// (every SEQUENCE is 0, as on roundtable's first run) and little validation.

import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { parse as parseToml } from 'smol-toml';

const PRODID = '-//roundtable bench peers//invites_icaljs.mjs//EN';
const DAY = 86400e3;
const HORIZON = 366 * DAY;
const MAX_OCCURRENCES = 1000;
const SHOWN = 12;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function die(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

// ---- zones ---------------------------------------------------------------------------------
// Times are numbers: an instant is ms since the epoch; a civil time is the same number for the
// civil fields read as if they were UTC ("civil ms").

const FIXED = /^(?:UTC|GMT)([+\-\u2212])(?:(\d{2})(\d{2})|(\d{1,2})(?::(\d{1,2}))?)$/;
const zones = new Map();

function zone(written) {
  let z = zones.get(written);
  if (z) return z;
  let formatter = null;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: written, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    formatter = null;
  }
  const m = formatter ? null : FIXED.exec(written.trim().toUpperCase());
  if (formatter) {
    z = { written, tzid: written, formatter, fixed: null };
  } else if (m) {
    const sign = m[1] === '+' ? 1 : -1;
    const minutes = Number(m[2] ?? m[4]) * 60 + Number(m[3] ?? m[5] ?? 0);
    const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
    z = { written, tzid: `UTC${sign < 0 ? '-' : '+'}${hhmm}`, formatter: null, fixed: sign * minutes * 60e3 };
  } else {
    die(`unknown time zone \`${written}\``);
  }
  zones.set(written, z);
  return z;
}

/** Offset (ms) of zone z at instant ms. */
function offsetAt(z, ms) {
  if (z.fixed !== null) return z.fixed;
  const f = {};
  for (const p of z.formatter.formatToParts(new Date(ms))) f[p.type] = p.value;
  const local = Date.UTC(+f.year, +f.month - 1, +f.day, +f.hour, +f.minute, +f.second);
  return local - Math.floor(ms / 1000) * 1000;
}

class Ambiguous extends Error {}

/** Civil ms in zone -> [instant ms, was it in a gap or fold]. With "reject", throws Ambiguous. */
function resolve(civil, z, policy) {
  if (z.fixed !== null) return [civil - z.fixed, false];
  const before = offsetAt(z, civil - DAY);
  const after = offsetAt(z, civil + DAY);
  const fits = [...new Set([before, after])].filter((o) => offsetAt(z, civil - o) === o);
  if (fits.length === 1) return [civil - fits[0], false];
  const x = civil - before;
  const y = civil - after;
  const earlier = Math.min(x, y);
  const later = Math.max(x, y);
  const fold = fits.length === 2;
  if (policy === 'reject') {
    throw new Ambiguous(`${civilText(civil)} in ${z.written} ${fold ? 'happens twice (DST fold)' : 'does not exist (DST gap)'}; set disambiguation`);
  }
  if (policy === 'earlier') return [earlier, true];
  if (policy === 'later') return [later, true];
  return [fold ? earlier : later, true]; // compatible
}

function civilText(c) {
  return new Date(c).toISOString().slice(0, 16).replace('T', ' ');
}

const pad = (n) => String(n).padStart(2, '0');

/** Fields of a civil ms. */
function fields(c) {
  const d = new Date(c);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

function offsetText(offset) {
  const minutes = Math.abs(offset) / 60e3;
  return `UTC${offset < 0 ? '\u2212' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function describeTime(start, end, z) {
  const so = offsetAt(z, start);
  const s = fields(start + so);
  const e = fields(end + offsetAt(z, end));
  const hm = (f) => `${pad(f.hour)}:${pad(f.minute)}`;
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  const endText = sameDay ? hm(e) : `${WEEKDAYS[e.weekday]} ${pad(e.day)} ${MONTHS[e.month - 1]} ${hm(e)}`;
  return `${WEEKDAYS[s.weekday]} ${pad(s.day)} ${MONTHS[s.month - 1]} ${s.year}, ${hm(s)}\u2013${endText} (${z.written}, ${offsetText(so)})`;
}

// ---- programme -----------------------------------------------------------------------------

function parseDuration(text) {
  let body = text.trim();
  if (body.slice(0, 2).toUpperCase() === 'PT') body = body.slice(2);
  const m = /^(?:(\d+)[hH])?(?:(\d+)[mM])?$/.exec(body);
  if (!body || !m) die(`\`${text}\` is not a duration`);
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60e3;
}

function civil(value) {
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) die(`\`${text}\` is not a civil date-time`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
}

function parseUntil(value) {
  const text = value.trim();
  const utc = /z$/i.test(text);
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?/i.exec(text);
  if (!m) die(`UNTIL=${value} is not a date-time`);
  const moment = m[4] === undefined
    ? Date.UTC(+m[1], +m[2] - 1, +m[3], 23, 59, 59)
    : Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return { moment, utc };
}

/** A small CSV reader (RFC 4180 quotes, LF or CRLF), rows as arrays. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** fnmatch-style glob with `*` (any run, `/` included) and `?`. */
function globMatch(pattern, text) {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(text);
}

function load(file) {
  const raw = parseToml(fs.readFileSync(file, 'utf8'));
  const prog = raw.programme;
  const policyDefault = prog.disambiguation ?? 'reject';
  const groups = raw.group ?? [];
  const groupIds = new Set(groups.map((g) => g.id));

  const people = [];
  for (const t of raw.participant ?? []) {
    people.push({ name: t.name, email: t.email.trim(), timezone: t.timezone.trim(), groups: new Set(t.groups ?? []) });
  }
  if (prog.participants) {
    let text = fs.readFileSync(path.join(path.dirname(file), prog.participants), 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const [header, ...rows] = parseCsv(text);
    const col = Object.fromEntries(header.map((h, i) => [h.trim(), i]));
    for (const r of rows) {
      const cell = (name) => (col[name] === undefined ? '' : (r[col[name]] ?? '').trim());
      if (r.every((c) => c.trim() === '')) continue;
      people.push({
        name: cell('name'), email: cell('email'), timezone: cell('timezone'),
        groups: new Set(cell('groups').split(';').map((g) => g.trim()).filter(Boolean)),
      });
    }
  }
  const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
  for (const g of groups) {
    for (const m of g.members ?? []) {
      const p = byEmail.get(m.trim().toLowerCase());
      if (!p) die(`group ${g.id} lists ${m}, who is not a participant`);
      p.groups.add(g.id);
    }
  }
  for (const p of people) {
    p.zone = zone(p.timezone);
    for (const g of groups) {
      if ((g.zones ?? []).some((pat) => globMatch(pat, p.timezone))) p.groups.add(g.id);
    }
  }

  const organizer = { name: prog.organizer.name, email: prog.organizer.email.trim() };
  const at = organizer.email.lastIndexOf('@');
  const domain = at < 0 ? 'roundtable.invalid' : organizer.email.slice(at + 1).toLowerCase().replace(/[^a-z0-9.-]/g, '');

  const sessions = [];
  for (const s of raw.session ?? []) {
    const z = zone(s.timezone ?? prog.timezone);
    const policy = s.disambiguation ?? policyDefault;
    const start = civil(s.start);
    const excepts = new Set((s.except ?? []).map(civil));
    // Civil starts: the rule expanded over floating (civil) times, as roundtable does.
    let rule = null;
    let hasCount = false;
    let generated = [start];
    if (s.repeat) {
      let text = s.repeat.trim();
      if (/^rrule:/i.test(text)) text = text.slice(6);
      const parts = [];
      let until = null;
      for (const part of text.split(';').filter(Boolean)) {
        const eq = part.indexOf('=');
        const key = part.slice(0, eq).trim().toUpperCase();
        const value = part.slice(eq + 1).trim();
        if (key === 'UNTIL') until = parseUntil(value);
        else {
          if (key === 'COUNT') hasCount = true;
          parts.push(`${key}=${value}`);
        }
      }
      rule = parts.join(';');
      let untilCivil = null;
      if (until) untilCivil = until.utc ? until.moment + offsetAt(z, until.moment) : until.moment;
      const unbounded = untilCivil === null && !hasCount;
      const f = fields(start);
      const iterator = ICAL.Recur.fromString(rule).iterator(ICAL.Time.fromData({
        year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second,
      }));
      generated = [];
      for (let t = iterator.next(); t; t = iterator.next()) {
        const c = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
        if (untilCivil !== null && c > untilCivil) break;
        if (unbounded && c >= start + HORIZON) break;
        if (generated.length === MAX_OCCURRENCES) die(`session ${s.id}: more than ${MAX_OCCURRENCES} occurrences`);
        generated.push(c);
      }
    }
    let length = s.duration !== undefined
      ? parseDuration(s.duration)
      : resolve(civil(s.end), z, policy)[0] - resolve(start, z, policy)[0];
    length = Math.max(length, 60e3);
    const occurrences = [];
    for (const c of generated) {
      if (excepts.has(c)) continue;
      const [begin, moved] = resolve(c, z, policy);
      occurrences.push({ civil: c, start: begin, end: begin + length, moved });
    }
    if (!occurrences.length) continue;
    let audience = null;
    if (s.audience !== 'all') {
      audience = new Set(s.audience);
      for (const g of audience) if (!groupIds.has(g)) die(`session ${s.id}: unknown group ${g}`);
    }
    const reminder = s.reminder ?? prog.reminder;
    sessions.push({
      id: s.id, title: s.title, zone: z, policy, start, length, rule, hasCount, generated, excepts,
      occurrences, audience, joinUrl: s.join_url, description: s.description,
      reminder: reminder ? parseDuration(reminder) : null,
      uid: `${s.id}.${prog.id}@${domain || 'roundtable.invalid'}`,
    });
  }
  sessions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { prog, organizer, people, sessions };
}

function slug(text) {
  let out = '';
  const last = () => out[out.length - 1];
  for (const c of text.trim().toLowerCase()) {
    if (/^[a-z0-9_]$/.test(c)) out += c;
    else if ((c === '.' || c === '-') && out && last() !== '.' && last() !== '-') out += c;
    else if (c === '@') out += '_at_';
    else if (out && last() !== '.' && last() !== '-') out += '-';
  }
  out = out.replace(/^[.-]+|[.-]+$/g, '');
  if (out.length > 80) out = out.slice(0, 80).replace(/[.-]+$/, '');
  return out || 'participant';
}

function slugs(people) {
  const order = people.map((_, i) => i);
  const key = (i) => people[i].email.toLowerCase();
  order.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const used = new Set();
  const out = [];
  for (const i of order) {
    const base = slug(people[i].email);
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}`;
    used.add(candidate);
    out[i] = candidate;
  }
  return out;
}

// ---- calendars -----------------------------------------------------------------------------

function newCalendar(method, name) {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', PRODID);
  cal.updatePropertyWithValue('version', '2.0');
  cal.updatePropertyWithValue('calscale', 'GREGORIAN');
  cal.updatePropertyWithValue('method', method);
  if (name !== undefined) {
    for (const prop of ['name', 'x-wr-calname']) {
      const p = new ICAL.Property(prop);
      p.resetType('text');
      p.setValue(name);
      cal.addProperty(p);
    }
  }
  return cal;
}

/** A single occurrence that fell in a gap or fold is written in UTC (no TZID). */
const writtenInUtc = (s) => s.rule === null && s.occurrences[0].moved;

function addTimezones(cal, sessions, vtimezones) {
  const tzids = [...new Set(sessions.filter((s) => !writtenInUtc(s)).map((s) => s.zone.tzid))].sort();
  for (const tzid of tzids) cal.addSubcomponent(vtimezones.get(tzid).component);
}

function timeIn(civilMs, tz) {
  const f = fields(civilMs);
  return ICAL.Time.fromData({ year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second }, tz);
}

const utcTime = (instant) => timeIn(instant, ICAL.Timezone.utcTimezone);

/** The VEVENT of a session and one override VEVENT per occurrence in a gap or fold. */
function addEvents(cal, s, ctx, description, attendees) {
  const z = s.zone;
  const tz = ctx.vtimezones.get(z.tzid)?.timezone;
  const first = s.occurrences[0];
  const vevent = new ICAL.Component('vevent');
  const ev = new ICAL.Event(vevent);
  ev.uid = s.uid;
  vevent.addPropertyWithValue('dtstamp', ctx.stamp);
  if (s.rule === null) {
    if (first.moved) {
      ev.startDate = utcTime(first.start);
      ev.endDate = utcTime(first.end);
    } else {
      ev.startDate = timeIn(first.civil, tz);
      ev.endDate = timeIn(first.end + offsetAt(z, first.end), tz);
    }
  } else {
    ev.startDate = timeIn(s.start, tz);
    let begin = null;
    try {
      [begin] = resolve(s.start, z, 'reject');
    } catch (e) {
      if (!(e instanceof Ambiguous)) throw e;
    }
    if (begin === null) ev.duration = ICAL.Duration.fromSeconds(s.length / 1000);
    else ev.endDate = timeIn(begin + s.length + offsetAt(z, begin + s.length), tz);
    let rule = s.rule;
    if (!s.hasCount) {
      const [until] = resolve(s.generated[s.generated.length - 1], z, 'later');
      rule += `;UNTIL=${utcTime(until).toICALString()}`;
    }
    vevent.addPropertyWithValue('rrule', ICAL.Recur.fromString(rule));
    for (const x of [...s.excepts].filter((c) => s.generated.includes(c)).sort((a, b) => a - b)) {
      const p = new ICAL.Property('exdate');
      p.setParameter('tzid', z.tzid);
      p.setValue(timeIn(x, tz));
      vevent.addProperty(p);
    }
  }
  fill(vevent, ev, s, ctx, description, attendees);
  cal.addSubcomponent(vevent);
  if (s.rule === null) return;
  for (const o of s.occurrences) {
    if (!o.moved) continue;
    const over = new ICAL.Component('vevent');
    const oe = new ICAL.Event(over);
    oe.uid = s.uid;
    over.addPropertyWithValue('dtstamp', ctx.stamp);
    oe.recurrenceId = timeIn(o.civil, tz);
    oe.startDate = utcTime(o.start);
    oe.endDate = utcTime(o.end);
    fill(over, oe, s, ctx, description, attendees);
    cal.addSubcomponent(over);
  }
}

function fill(vevent, ev, s, ctx, description, attendees) {
  ev.sequence = 0;
  ev.summary = s.title;
  const text = description ?? s.description;
  if (text) ev.description = text;
  if (s.joinUrl) {
    vevent.addPropertyWithValue('url', s.joinUrl);
    ev.location = s.joinUrl;
    const conference = new ICAL.Property('conference');
    conference.resetType('uri');
    conference.setParameter('feature', 'VIDEO');
    conference.setValue(s.joinUrl);
    vevent.addProperty(conference);
  }
  const organizer = vevent.addPropertyWithValue('organizer', `mailto:${ctx.organizer.email}`);
  organizer.setParameter('cn', ctx.organizer.name);
  for (const p of attendees ?? []) {
    const a = vevent.addPropertyWithValue('attendee', `mailto:${p.email}`);
    a.setParameter('cn', p.name);
    a.setParameter('role', 'REQ-PARTICIPANT');
    a.setParameter('partstat', 'NEEDS-ACTION');
    a.setParameter('rsvp', 'TRUE');
  }
  vevent.addPropertyWithValue('status', 'CONFIRMED');
  vevent.addPropertyWithValue('transp', 'OPAQUE');
  if (s.reminder !== null) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', s.title);
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-s.reminder / 1000));
    vevent.addSubcomponent(alarm);
  }
}

function participantDescription(s, person) {
  const occ = s.occurrences;
  const lines = occ.slice(0, SHOWN).map((o, i) => `${i === 0 ? 'Your time: ' : '           '}${describeTime(o.start, o.end, person.zone)}`);
  if (occ.length > SHOWN) lines.push(`           \u2026 and ${occ.length - SHOWN} more`);
  const { start, end } = occ[0];
  lines.push(`Session time: ${describeTime(start, end, s.zone)}`);
  const u = fields(start);
  const e = fields(end);
  lines.push(`UTC: ${WEEKDAYS[u.weekday]} ${pad(u.day)} ${MONTHS[u.month - 1]} ${u.year}, ${pad(u.hour)}:${pad(u.minute)}\u2013${pad(e.hour)}:${pad(e.minute)}`);
  if (occ.length > 1) lines.push(`${occ.length} occurrences`);
  if (s.description) lines.push('', s.description);
  if (s.joinUrl) lines.push('', `Join: ${s.joinUrl}`);
  return lines.join('\n');
}

const inAudience = (s, person) => s.audience === null || [...person.groups].some((g) => s.audience.has(g));

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function main() {
  const args = process.argv.slice(2);
  const flag = args.indexOf('--vtimezones');
  const vtzFile = flag >= 0 ? args[flag + 1] : null;
  const [programmeFile, outDir] = args.filter((_, i) => i !== flag && i !== flag + 1);
  if (!programmeFile || !outDir || !vtzFile) {
    die('usage: invites_icaljs.mjs PROGRAMME.toml OUT_DIR --vtimezones RT_PROGRAMME_ICS');
  }
  let loaded;
  try {
    loaded = load(programmeFile);
  } catch (e) {
    if (e instanceof Ambiguous) die(e.message);
    throw e;
  }
  const { prog, organizer, people, sessions } = loaded;
  const vtimezones = new Map();
  for (const component of new ICAL.Component(ICAL.parse(fs.readFileSync(vtzFile, 'utf8'))).getAllSubcomponents('vtimezone')) {
    vtimezones.set(component.getFirstPropertyValue('tzid'), { component, timezone: new ICAL.Timezone(component) });
  }
  for (const s of sessions) {
    if (!writtenInUtc(s) && !vtimezones.has(s.zone.tzid)) die(`${vtzFile} has no VTIMEZONE ${s.zone.tzid}`);
  }
  const ctx = { organizer, vtimezones, stamp: ICAL.Time.fromJSDate(new Date(Math.floor(Date.now() / 1000) * 1000), true) };
  fs.mkdirSync(path.join(outDir, 'participants'), { recursive: true });
  fs.mkdirSync(path.join(outDir, 'sessions'), { recursive: true });

  // The whole programme.
  let cal = newCalendar('PUBLISH', prog.title);
  addTimezones(cal, sessions, vtimezones);
  for (const s of sessions) addEvents(cal, s, ctx);
  fs.writeFileSync(path.join(outDir, `${prog.id}.ics`), cal.toString());

  // One calendar per participant, their own local times first in each description.
  const names = slugs(people);
  const index = ['email,name,file'];
  people.forEach((person, i) => {
    const mine = sessions.filter((s) => inAudience(s, person));
    cal = newCalendar('PUBLISH', `${prog.title} \u2014 ${person.name}`);
    addTimezones(cal, mine, vtimezones);
    for (const s of mine) addEvents(cal, s, ctx, participantDescription(s, person));
    const file = `participants/${names[i]}.ics`;
    fs.writeFileSync(path.join(outDir, file), cal.toString());
    index.push([person.email, person.name, file].map(csvCell).join(','));
  });
  fs.writeFileSync(path.join(outDir, 'participants', 'index.csv'), `${index.join('\n')}\n`);

  // One REQUEST per session, every audience member as ATTENDEE.
  for (const s of sessions) {
    const attendees = people.filter((p) => inAudience(s, p)).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
    cal = newCalendar('REQUEST');
    addTimezones(cal, [s], vtimezones);
    addEvents(cal, s, ctx, undefined, attendees);
    fs.writeFileSync(path.join(outDir, 'sessions', `${s.id}.ics`), cal.toString());
  }
  console.error(`wrote ${1 + people.length + sessions.length} calendars and index.csv to ${outDir}`);
}

main();
