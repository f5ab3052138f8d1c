//! iCalendar (RFC 5545) output: one [`Event`] per session, rendered into the three kinds of
//! calendar roundtable writes (programme PUBLISH, participant PUBLISH, session REQUEST/CANCEL).
//!
//! Written by hand rather than with the `icalendar` crate, which writes no VTIMEZONE, invents a
//! random UID and DTSTAMP, leaves raw CRs in text and does not escape RFC 7986 properties: every
//! line here goes through [`text`], and every TZID through [`vtimezone`].

mod event;
pub mod lock;
pub mod text;
pub mod vtimezone;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

pub use event::events_for;

use crate::i18n::Lang;
use crate::occurrence::{Occurrence, Schedule};
use crate::programme::{Participant, Programme, Session};
use crate::zone::{Zone, ZoneSpec, describe_offset};
use text::{escape_text, param_value, push_line, uri_value, utc_value};

/// PRODID of every calendar.
pub const PRODID: &str = concat!(
    "-//roundtable//roundtable ",
    env!("CARGO_PKG_VERSION"),
    "//EN"
);

/// iTIP method of a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Publish: no ATTENDEE.
    Publish,
    /// An invitation to be mailed: ORGANIZER and ATTENDEEs.
    Request,
    /// A cancellation.
    Cancel,
}

impl Method {
    fn word(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// One occurrence of a series written as its own VEVENT (a RECURRENCE-ID override of the same
/// UID): an occurrence whose end is in a fold or that spans a change of offset (with an
/// explicit UTC time, so that no client can disagree on it), or one a `[[session.occurrence]]`
/// moves or changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// RECURRENCE-ID value: the civil start the RRULE generates.
    pub recurrence_id: String,
    /// The instant roundtable resolved it to.
    pub start: DateTime<Utc>,
    /// The instant the moved occurrence ends.
    pub end: DateTime<Utc>,
    /// DTSTART and DTEND as civil values with the event's TZID, for a moved occurrence at
    /// plain local times; `None`: in UTC.
    pub civil: Option<(String, String)>,
    /// Its own SUMMARY (else the event's).
    pub title: Option<String>,
    /// Its own DESCRIPTION (else the event's).
    pub description: Option<String>,
    /// Its own link (else the event's).
    pub join_url: Option<String>,
}

/// Everything about one VEVENT (and its overrides) that does not depend on who receives it.
#[derive(Debug, Clone)]
pub struct Event {
    /// Index into [`Programme::sessions`]; `None` for a cancelled session known from the lock.
    pub session: Option<usize>,
    /// The session's current id (a UID may still hold its `previous_id`); file stems are
    /// made from it.
    pub session_id: String,
    /// Stable UID.
    pub uid: String,
    /// SEQUENCE: raised each time the event changes, so that clients take the new version.
    pub sequence: u32,
    /// Cancelled (removed from the programme).
    pub cancelled: bool,
    /// SUMMARY.
    pub title: String,
    /// TZID of DTSTART and DTEND, as [`tzid`] writes it for the session's zone.
    pub tzid: String,
    /// The zone behind the TZID.
    pub zone: Zone,
    /// DTSTART value (civil `20231213T090000` with TZID, or UTC ending in `Z`).
    pub dtstart: String,
    /// DTEND value, same form; `None` when DURATION is written instead.
    pub dtend: Option<String>,
    /// DURATION, written for a series whose first start is itself disambiguated.
    pub duration: Option<Duration>,
    /// RRULE value.
    pub rrule: Option<String>,
    /// EXDATE values (civil, TZID).
    pub exdates: Vec<String>,
    /// Overrides for disambiguated occurrences.
    pub overrides: Vec<Override>,
    /// Video link.
    pub join_url: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Minutes before the start for a DISPLAY alarm.
    pub reminder: Option<i64>,
    /// First occurrence start.
    pub first: DateTime<Utc>,
    /// Last occurrence start.
    pub last: DateTime<Utc>,
}

/// The TZID roundtable writes for a zone: the IANA name as written; for a fixed offset of whole
/// hours, a name that clients which ignore VTIMEZONE and hand the TZID to the C library
/// (calcurse) read right: west of UTC the IANA zone that is that offset for all time
/// (`Etc/GMT+3` is UTC-03:00 — POSIX signs), east of UTC the POSIX string tzdata itself gives
/// those zones (`<+01>-1`), because Evolution's data server (3.46) reads `Etc/GMT-1` as UTC.
/// Any other fixed offset is `UTC±HHMM` (no `:`, so that the TZID parameter needs no quotes,
/// which some clients mishandle), read from its VTIMEZONE.
///
/// ```
/// use roundtable::zone::ZoneSpec;
/// let tzid = |z: &str| roundtable::ics::tzid(&z.parse::<ZoneSpec>().unwrap());
/// assert_eq!(tzid("UTC-03:00"), "Etc/GMT+3");
/// assert_eq!(tzid("UTC+01:00"), "<+01>-1");
/// assert_eq!(tzid("UTC+14"), "<+14>-14");
/// assert_eq!(tzid("UTC+00:00"), "Etc/UTC");
/// assert_eq!(tzid("UTC+05:30"), "UTC+0530");
/// assert_eq!(tzid("Europe/Paris"), "Europe/Paris");
/// ```
pub fn tzid(spec: &ZoneSpec) -> String {
    match spec.zone {
        Zone::Iana(tz) => tz.name().to_string(),
        Zone::Fixed(offset) => {
            let secs = offset.local_minus_utc();
            let hours = secs / 3600;
            if secs == 0 {
                "Etc/UTC".to_string()
            } else if secs % 3600 != 0 || !(-12..=14).contains(&hours) {
                format!("UTC{}", vtimezone::ics_offset(offset))
            } else if hours < 0 {
                // Etc/GMT+1 … Etc/GMT+12; the sign is POSIX's, the opposite of ISO's.
                format!("Etc/GMT+{}", -hours)
            } else {
                format!("<+{hours:02}>-{hours}")
            }
        }
    }
}

/// The zone behind a TZID [`tzid`] wrote (for a cancelled event known only from the lock file),
/// or `None` for one it did not write.
///
/// ```
/// use roundtable::ics::zone_of_tzid;
/// use roundtable::zone::Zone;
/// let offset = |t: &str| match zone_of_tzid(t) {
///     Some(Zone::Fixed(o)) => Some(o.local_minus_utc()),
///     _ => None,
/// };
/// assert_eq!(offset("<+01>-1"), Some(3600));
/// assert_eq!(offset("UTC-0300"), Some(-10800));
/// assert!(matches!(zone_of_tzid("Etc/GMT+3"), Some(Zone::Iana(_))));
/// ```
pub fn zone_of_tzid(tzid: &str) -> Option<Zone> {
    if let Some(rest) = tzid.strip_prefix("<+")
        && let Some((name, posix)) = rest.split_once(">-")
        && let (Ok(h), Ok(p)) = (name.parse::<i32>(), posix.parse::<i32>())
        && h == p
    {
        return chrono::FixedOffset::east_opt(h * 3600).map(Zone::Fixed);
    }
    tzid.parse::<ZoneSpec>().ok().map(|z| z.zone)
}

/// The stable UID of a session: `<session>.<programme>@<organizer's domain>`.
///
/// ```
/// assert_eq!(roundtable::ics::uid("day-2", "peer-2023", "org@Example.org"), "day-2.peer-2023@example.org");
/// ```
pub fn uid(session: &str, programme: &str, organizer_email: &str) -> String {
    format!("{session}.{programme}@{}", email_domain(organizer_email))
}

/// The domain part of an e-mail as UIDs hold it: lower case, only letters, digits, '.' and '-'.
fn email_domain(email: &str) -> String {
    email
        .rsplit_once('@')
        .map_or("roundtable.invalid", |(_, d)| d)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect()
}

/// The domain of a programme's UIDs: its `uid_domain`, else the organizer's e-mail domain.
pub fn uid_domain(programme: &Programme) -> String {
    programme
        .uid_domain
        .clone()
        .unwrap_or_else(|| email_domain(&programme.organizer.email))
}

/// The UID of `session` (`part` is empty, or `~<YYYYMMDDTHHMM>` for a later part of a split
/// series): its `previous_id` when it has one, else its id, then the programme and
/// [`uid_domain`]. A renamed session (with `previous_id`) and a programme whose organizer
/// changed domain (with `uid_domain`) keep their UIDs, so calendars update their events.
pub fn session_uid(
    programme: &Programme,
    session: &crate::programme::Session,
    part: &str,
) -> String {
    let id = session.previous_id.as_deref().unwrap_or(&session.id);
    format!("{id}{part}.{}@{}", programme.id, uid_domain(programme))
}

impl Event {
    /// The name of this event's files among the organizer's (`sessions/<stem>.ics`): the session
    /// id, or for a later part of a split series (see [`events_for`]) the session id and the
    /// part's first local start, as in its UID (`day-1~20240310T0230`).
    pub fn stem(&self) -> String {
        // The part stamp comes from the UID; the id is the session's own (a UID may hold its
        // `previous_id`).
        let head = self.uid.split('.').next().unwrap_or_default();
        match head.split_once('~') {
            Some((_, stamp)) => format!("{}~{stamp}", self.session_id),
            None => self.session_id.clone(),
        }
    }
}

/// VTIMEZONE text per TZID, each generated once over the span of every event that uses it.
#[derive(Debug, Default)]
pub struct Timezones {
    blocks: BTreeMap<String, String>,
}

impl Timezones {
    /// Generates the VTIMEZONE of every TZID of `events`, the zones spread over `jobs` threads
    /// (each zone's block checks its rules against the tz data year by year: a tenth of a
    /// 10,000-participant `invites` run when done one zone after another).
    pub fn for_events(events: &[Event], jobs: crate::jobs::Jobs) -> Self {
        let mut spans: BTreeMap<String, (Zone, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
        for e in events {
            let entry = spans
                .entry(e.tzid.clone())
                .or_insert((e.zone, e.first, e.last));
            entry.1 = entry.1.min(e.first);
            entry.2 = entry.2.max(e.last);
            // A moved occurrence may be outside the series' span.
            for o in &e.overrides {
                entry.1 = entry.1.min(o.start);
                entry.2 = entry.2.max(o.start);
            }
        }
        let spans: Vec<_> = spans.into_iter().collect();
        let texts = crate::jobs::map(jobs, spans.len(), 1, |i| {
            let (tzid, (zone, first, last)) = &spans[i];
            let mut out = String::new();
            vtimezone::write_vtimezone(&mut out, tzid, zone, *first, *last);
            out
        });
        let blocks = spans
            .into_iter()
            .zip(texts)
            .map(|((tzid, _), out)| (tzid, out))
            .collect();
        Timezones { blocks }
    }

    fn get(&self, tzid: &str) -> &str {
        self.blocks.get(tzid).map_or("", String::as_str)
    }
}

/// Who is being addressed in a calendar.
pub enum Recipients<'a> {
    /// No ATTENDEE (PUBLISH).
    Nobody,
    /// These participants, as ATTENDEEs.
    Attendees(&'a [&'a Participant]),
}

/// One VEVENT to render, with what differs per file.
pub struct Item<'a> {
    /// The event, shared by every file it goes into.
    pub event: &'a Event,
    /// DESCRIPTION for this file (participant calendars open it with the local time).
    pub description: Option<String>,
}

/// What every calendar of a run shares.
pub struct Context<'a> {
    /// Organizer's name and e-mail.
    pub organizer: (&'a str, &'a str),
    /// DTSTAMP of every VEVENT.
    pub dtstamp: DateTime<Utc>,
    /// VTIMEZONE blocks.
    pub timezones: &'a Timezones,
}

/// Renders a whole VCALENDAR.
pub fn calendar(
    out: &mut String,
    ctx: &Context<'_>,
    method: Method,
    name: Option<&str>,
    items: &[Item<'_>],
    attendees: &Recipients<'_>,
) {
    render(out, ctx, method, name, items, attendees, &mut |_| {});
}

/// [`calendar`], written to `w` as it is rendered: a session's calendar lists every attendee
/// (100,000 of them in a large programme), so it is never held whole. The bytes are exactly
/// those of [`calendar`].
pub fn write_calendar(
    w: &mut dyn std::io::Write,
    ctx: &Context<'_>,
    method: Method,
    name: Option<&str>,
    items: &[Item<'_>],
    attendees: &Recipients<'_>,
) -> std::io::Result<()> {
    const PIECE: usize = 64 * 1024;
    let mut out = String::new();
    let mut failed: Option<std::io::Error> = None;
    render(&mut out, ctx, method, name, items, attendees, &mut |out| {
        if out.len() >= PIECE && failed.is_none() {
            if let Err(e) = w.write_all(out.as_bytes()) {
                failed = Some(e);
            }
            out.clear();
        }
    });
    match failed {
        Some(e) => Err(e),
        None => w.write_all(out.as_bytes()),
    }
}

/// A whole calendar into `out`, calling `flush` after each ATTENDEE line so that a caller can
/// pass the text on when it grows large.
fn render(
    out: &mut String,
    ctx: &Context<'_>,
    method: Method,
    name: Option<&str>,
    items: &[Item<'_>],
    attendees: &Recipients<'_>,
    flush: &mut dyn FnMut(&mut String),
) {
    begin(out, method, name);
    timezones(out, ctx, items.iter().map(|i| i.event));
    for item in items {
        vevents(out, ctx, item, method, attendees, flush);
    }
    end(out);
}

/// The calendar's opening lines.
pub fn begin(out: &mut String, method: Method, name: Option<&str>) {
    push_line(out, "BEGIN:VCALENDAR");
    push_line(out, &format!("PRODID:{PRODID}"));
    push_line(out, "VERSION:2.0");
    push_line(out, "CALSCALE:GREGORIAN");
    push_line(out, &format!("METHOD:{}", method.word()));
    if let Some(name) = name {
        push_line(out, &format!("NAME:{}", escape_text(name)));
        push_line(out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    }
}

/// The VTIMEZONE of every TZID the events use, each once, sorted.
pub fn timezones<'e>(out: &mut String, ctx: &Context<'_>, events: impl Iterator<Item = &'e Event>) {
    let tzids: BTreeSet<&str> = events
        .filter(|e| !e.dtstart.ends_with('Z'))
        .map(|e| e.tzid.as_str())
        .collect();
    for t in tzids {
        out.push_str(ctx.timezones.get(t));
    }
}

/// One event's VEVENT and its overrides.
pub fn events(
    out: &mut String,
    ctx: &Context<'_>,
    item: &Item<'_>,
    method: Method,
    attendees: &Recipients<'_>,
) {
    vevents(out, ctx, item, method, attendees, &mut |_| {});
}

/// [`events`], calling `flush` after each ATTENDEE line.
fn vevents(
    out: &mut String,
    ctx: &Context<'_>,
    item: &Item<'_>,
    method: Method,
    attendees: &Recipients<'_>,
    flush: &mut dyn FnMut(&mut String),
) {
    vevent(out, ctx, item, method, attendees, None, flush);
    for o in &item.event.overrides {
        vevent(out, ctx, item, method, attendees, Some(o), flush);
    }
}

/// The calendar's closing line.
pub fn end(out: &mut String) {
    push_line(out, "END:VCALENDAR");
}

fn dt_line(out: &mut String, prop: &str, value: &str, tzid: &str) {
    if value.ends_with('Z') {
        push_line(out, &format!("{prop}:{value}"));
    } else {
        push_line(out, &format!("{prop};TZID={}:{value}", param_value(tzid)));
    }
}

fn vevent(
    out: &mut String,
    ctx: &Context<'_>,
    item: &Item<'_>,
    method: Method,
    attendees: &Recipients<'_>,
    over: Option<&Override>,
    // Called after each ATTENDEE line, to pass the text on when it grows large.
    flush: &mut dyn FnMut(&mut String),
) {
    let e = item.event;
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(&e.uid)));
    push_line(out, &format!("DTSTAMP:{}", utc_value(ctx.dtstamp)));
    match over {
        Some(o) => override_times(out, e, o),
        None => series_times(out, e),
    }
    push_line(out, &format!("SEQUENCE:{}", e.sequence));
    // An override's own title, description and link, else the event's.
    let title = over.and_then(|o| o.title.as_deref()).unwrap_or(&e.title);
    push_line(out, &format!("SUMMARY:{}", escape_text(title)));
    description_and_link(out, item, over);
    organizer_and_attendees(out, ctx, attendees, flush);
    let cancelled = e.cancelled || method == Method::Cancel;
    push_line(
        out,
        if cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        },
    );
    push_line(out, "TRANSP:OPAQUE");
    if let (Some(m), false) = (e.reminder, cancelled) {
        alarm(out, title, m);
    }
    push_line(out, "END:VEVENT");
}

/// RECURRENCE-ID, DTSTART and DTEND of an override.
fn override_times(out: &mut String, e: &Event, o: &Override) {
    dt_line(out, "RECURRENCE-ID", &o.recurrence_id, &e.tzid);
    match &o.civil {
        Some((start, end)) => {
            dt_line(out, "DTSTART", start, &e.tzid);
            dt_line(out, "DTEND", end, &e.tzid);
        }
        None => {
            push_line(out, &format!("DTSTART:{}", utc_value(o.start)));
            push_line(out, &format!("DTEND:{}", utc_value(o.end)));
        }
    }
}

/// DTSTART, DTEND or DURATION, RRULE and EXDATEs of an event.
fn series_times(out: &mut String, e: &Event) {
    dt_line(out, "DTSTART", &e.dtstart, &e.tzid);
    match (&e.dtend, e.duration) {
        (Some(end), _) => dt_line(out, "DTEND", end, &e.tzid),
        (None, Some(d)) => push_line(out, &format!("DURATION:PT{}M", d.num_minutes())),
        (None, None) => {}
    }
    if let Some(r) = &e.rrule {
        push_line(out, &format!("RRULE:{r}"));
    }
    for x in &e.exdates {
        dt_line(out, "EXDATE", x, &e.tzid);
    }
}

/// DESCRIPTION (the file's, else the override's, else the event's) and the link as URL,
/// LOCATION and CONFERENCE.
fn description_and_link(out: &mut String, item: &Item<'_>, over: Option<&Override>) {
    let e = item.event;
    if let Some(d) = item
        .description
        .as_deref()
        .or(over.and_then(|o| o.description.as_deref()))
        .or(e.description.as_deref())
    {
        push_line(out, &format!("DESCRIPTION:{}", escape_text(d)));
    }
    if let Some(url) = over
        .and_then(|o| o.join_url.as_deref())
        .or(e.join_url.as_deref())
    {
        let uri = uri_value(url);
        push_line(out, &format!("URL:{uri}"));
        push_line(out, &format!("LOCATION:{}", escape_text(url)));
        push_line(out, &format!("CONFERENCE;VALUE=URI;FEATURE=VIDEO:{uri}"));
    }
}

fn organizer_and_attendees(
    out: &mut String,
    ctx: &Context<'_>,
    attendees: &Recipients<'_>,
    flush: &mut dyn FnMut(&mut String),
) {
    let (org_name, org_email) = ctx.organizer;
    push_line(
        out,
        &format!(
            "ORGANIZER;CN={}:mailto:{}",
            param_value(org_name),
            uri_value(org_email)
        ),
    );
    if let Recipients::Attendees(list) = attendees {
        // One buffer for every line: an invitation may list 100,000 attendees.
        let mut line = String::new();
        for p in list.iter() {
            line.clear();
            line.push_str("ATTENDEE;CN=");
            text::push_param_value(&mut line, &p.name);
            line.push_str(";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:");
            text::push_uri_value(&mut line, &p.email);
            push_line(out, &line);
            flush(out);
        }
    }
}

/// A DISPLAY alarm `minutes` before the start.
fn alarm(out: &mut String, title: &str, minutes: i64) {
    push_line(out, "BEGIN:VALARM");
    push_line(out, "ACTION:DISPLAY");
    push_line(out, &format!("DESCRIPTION:{}", escape_text(title)));
    push_line(out, &format!("TRIGGER:-PT{minutes}M"));
    push_line(out, "END:VALARM");
}

/// "Wed 15 Nov 2023, 05:00–07:00 (America/Sao_Paulo, UTC-03:00)"; a fixed offset: "(UTC-03:00)".
pub fn describe_time(start: DateTime<Utc>, end: DateTime<Utc>, zone: &ZoneSpec) -> String {
    let s = zone.zone.local(start);
    let e = zone.zone.local(end);
    let end_text = if e.date_naive() == s.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%a %d %b %H:%M").to_string()
    };
    // A fixed offset is named once, in the one spelling (`UTC-03:00`), not as written and again.
    let zone_text = if matches!(zone.zone, Zone::Fixed(_)) {
        describe_offset(*s.offset())
    } else {
        format!("{}, {}", zone.written, describe_offset(*s.offset()))
    };
    format!(
        "{}, {}–{end_text} ({zone_text})",
        s.format("%a %d %b %Y"),
        s.format("%H:%M"),
    )
}

/// `event` with its session's title in `lang` (`titles = { fr = "…" }`) and its join link for
/// `lang` (`join_urls`), when the programme gives them; `None`: the event as it is.
pub fn translated(programme: &Programme, event: &Event, lang: crate::i18n::Lang) -> Option<Event> {
    let session = programme.sessions.get(event.session?)?;
    let title = session.titles.iter().find(|(l, _)| *l == lang);
    let link = session.join_urls.iter().find(|(l, _)| l == lang.tag());
    if title.is_none() && link.is_none() {
        return None;
    }
    let mut e = event.clone();
    if let Some((_, t)) = title {
        e.title = t.clone();
    }
    if let Some((_, u)) = link {
        e.join_url = Some(u.clone());
    }
    Some(e)
}

/// The DESCRIPTION of a session in a participant's calendar: their time first, then the
/// session's zone and UTC, then the session's own description; in the participant's language
/// (English text is as it was before localisation).
pub fn participant_description(
    programme: &Programme,
    schedule: &Schedule,
    event: &Event,
    participant: &Participant,
) -> String {
    use crate::i18n::messages::text;
    let Some(index) = event.session else {
        return event.description.clone().unwrap_or_default();
    };
    let lang = participant.language;
    let session = &programme.sessions[index];
    let occurrences: Vec<_> = schedule.of_session(index).collect();
    let mut lines = your_times(lang, session, &occurrences, &participant.timezone);
    lines.extend(session_times(lang, session, &occurrences));
    if !session.languages.is_empty() {
        lines.extend(language_lines(lang, session));
    }
    if let Some(d) = &session.description {
        lines.push(String::new());
        lines.push(d.clone());
    }
    if let Some(u) = session.join_url_in(lang) {
        lines.push(String::new());
        lines.push(format!("{} {u}", text(lang, "join")));
    }
    lines.extend(own_description_lines(
        lang,
        session,
        &occurrences,
        &participant.timezone,
    ));
    lines.join("\n")
}

/// The first occurrences in the participant's zone (`zone`), the first labelled as their time,
/// a moved or retitled one saying so; then how many more there are.
fn your_times(
    lang: Lang,
    session: &Session,
    occurrences: &[&Occurrence],
    zone: &ZoneSpec,
) -> Vec<String> {
    use crate::i18n::format as f;
    use crate::i18n::messages::{Arg, text, tr};
    const SHOWN: usize = 12;
    let mut lines = Vec::new();
    let your_time = format!("{} ", text(lang, "your-time"));
    let indent = " ".repeat(your_time.chars().count());
    for (i, o) in occurrences.iter().enumerate().take(SHOWN) {
        let label = if i == 0 { &your_time } else { &indent };
        let mut note = String::new();
        if o.moved(session) {
            note.push(' ');
            note.push_str(&text(lang, "moved"));
        }
        if let Some(t) = o.change(session).and_then(|c| c.title.as_deref()) {
            note.push_str(&format!(": {t}"));
        }
        lines.push(format!(
            "{label}{}{note}",
            f::span(lang, o.start, o.end, zone)
        ));
    }
    if occurrences.len() > SHOWN {
        let more = tr(
            lang,
            "more-occurrences",
            &[("count", Arg::Count(occurrences.len() - SHOWN))],
        );
        lines.push(format!("{indent}{more}"));
    }
    lines
}

/// The first occurrence in the session's zone and in UTC, and how many occurrences there are.
fn session_times(lang: Lang, session: &Session, occurrences: &[&Occurrence]) -> Vec<String> {
    use crate::i18n::format as f;
    use crate::i18n::messages::{Arg, text, tr};
    let Some(o) = occurrences.first() else {
        return Vec::new();
    };
    let mut lines = vec![
        format!(
            "{} {}",
            text(lang, "session-time"),
            f::span(lang, o.start, o.end, &session.timezone)
        ),
        format!(
            "{} {}",
            text(lang, "utc-time"),
            f::utc_span(lang, o.start, o.end)
        ),
    ];
    if occurrences.len() > 1 {
        lines.push(tr(
            lang,
            "occurrence-count",
            &[("count", Arg::Count(occurrences.len()))],
        ));
    }
    lines
}

/// The session's languages, its interpretation, and a warning when the participant follows
/// none of them.
fn language_lines(lang: Lang, session: &Session) -> Vec<String> {
    use crate::i18n::messages::{Arg, text, tr};
    // Shipped languages by their own name ("Français"), others by their tag.
    let names: Vec<String> = session
        .languages
        .iter()
        .map(|t| match crate::i18n::parse(t) {
            crate::i18n::Parsed::Shipped(l) => text(lang, &format!("lang-{}", l.tag())),
            _ => t.clone(),
        })
        .collect();
    let list = names.join(", ");
    let mut lines = vec![tr(lang, "languages", &[("list", Arg::Text(&list))])];
    if let Some(note) = &session.interpretation {
        lines.push(tr(lang, "interpretation", &[("note", Arg::Text(note))]));
    }
    if !session.follows(lang) {
        lines.push(tr(
            lang,
            "no-common-language",
            &[("list", Arg::Text(&list))],
        ));
    }
    lines
}

/// The description and link of each occurrence that has its own, on its date in the
/// participant's zone (`zone`).
fn own_description_lines(
    lang: Lang,
    session: &Session,
    occurrences: &[&Occurrence],
    zone: &ZoneSpec,
) -> Vec<String> {
    use crate::i18n::format as f;
    use crate::i18n::messages::{Arg, tr};
    let mut lines = Vec::new();
    for o in occurrences {
        let Some(c) = o.change(session) else {
            continue;
        };
        let day = f::day(lang, zone.zone.local(o.start).date_naive());
        if let Some(d) = &c.description {
            lines.push(String::new());
            lines.push(format!(
                "{} {d}",
                tr(lang, "on-day", &[("day", Arg::Text(&day))])
            ));
        }
        if let Some(u) = &c.join_url {
            lines.push(String::new());
            lines.push(format!(
                "{} {u}",
                tr(lang, "join-on-day", &[("day", Arg::Text(&day))])
            ));
        }
    }
    lines
}
