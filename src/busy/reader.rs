//! Walking the components: which events count, masters and their overrides, free/busy.

use super::lines::{Comp, Name};
use super::series::Summary;
use super::spans::Around;
use super::values::{trim, unescape_text, unescape_tzid};
use super::zones::{CustomZone, Future, Key, Length, Timing, Tref};
use super::{Busy, FREEBUSY_SUMMARY, excerpt};
use crate::error::Diagnostics;

use crate::zone::Zone;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

/// The overrides of a calendar, indexed (see [`Reader::index_overrides`]).
struct Overrides<'a> {
    /// By UID, the occurrences (recurrence ids) overridden.
    replaced: HashMap<String, Vec<Key>>,
    /// By (UID, recurrence id), the winning override: highest SEQUENCE, then later in the file.
    latest: HashMap<(String, Key), (i64, usize)>,
    /// Each override with its index, UID and recurrence id.
    keyed: Vec<(usize, &'a Comp<'a>, String, Key)>,
    /// RANGE=THISANDFUTURE overrides, by UID.
    futures: HashMap<String, Vec<Future>>,
    /// The timing of each THISANDFUTURE override (read once), and whether it has its own length.
    future_timing: HashMap<usize, (Timing, bool)>,
}

/// A civil time in a zone, and the instant it is.
pub(super) type Resolved = (NaiveDateTime, Tref, DateTime<Utc>);

pub(super) struct Reader<'a> {
    pub(super) diags: Diagnostics,
    pub(super) local: Zone,
    /// What a floating date-time is read in: the calendar's `X-WR-TIMEZONE`, else `local`.
    pub(super) floating: Tref,
    pub(super) window: (DateTime<Utc>, DateTime<Utc>),
    /// The window, as zones' spans of one offset are searched around it.
    pub(super) around: Around,
    /// When set, only intervals overlapping one of these spans are kept (see [`Reader::kept`]):
    /// the rest are read, and counted, but never built.
    pub(super) spans: Option<&'a [(DateTime<Utc>, DateTime<Utc>)]>,
    /// No occurrence starting after this civil time can overlap the window, in any zone.
    pub(super) bound: NaiveDateTime,
    /// VTIMEZONE rules are expanded up to this civil time.
    pub(super) zone_bound: NaiveDateTime,
    /// VTIMEZONEs by TZID, unescaped as TEXT (Exchange writes `TZID:Kuala Lumpur\, Singapore`
    /// and refers to it as `TZID="Kuala Lumpur, Singapore"`).
    pub(super) vtimezones: HashMap<Cow<'a, str>, &'a Comp<'a>>,
    pub(super) zones: HashMap<String, Option<Tref>>,
    /// The TZID looked up last, as written (RFC 6868 escapes not decoded), and its zone (an
    /// entry of `zones`).
    pub(super) last_tzid: Option<(String, Option<Tref>)>,
    /// The last civil times turned into instants (a DTSTART is resolved for its length, then
    /// again as the series' first start), newest first. Those of IANA and Windows zones are
    /// also remembered by `timing::resolve_in`, across calendars.
    pub(super) resolved: Cell<[Option<Resolved>; 2]>,
    pub(super) customs: Vec<CustomZone>,
    pub(super) steps: usize,
}

/// Whether an event does not make anyone busy: its first STATUS is CANCELLED, its first TRANSP
/// TRANSPARENT, or its first X-MICROSOFT-CDO-BUSYSTATUS FREE (values trimmed, in any ASCII
/// case). One pass over the properties: it is asked of every event.
pub(super) fn ignored(c: &Comp) -> bool {
    if !c.has_any(&[Name::Status, Name::Transp, Name::BusyStatus]) {
        return false;
    }
    let (mut status, mut transp, mut busy) = (None, None, None);
    for p in c.all_props() {
        match p.name {
            Name::Status => status = status.or(Some(p.value)),
            Name::Transp => transp = transp.or(Some(p.value)),
            Name::BusyStatus => busy = busy.or(Some(p.value)),
            _ => {}
        }
    }
    let is =
        |value: Option<&str>, word: &str| value.is_some_and(|v| trim(v).eq_ignore_ascii_case(word));
    is(status, "CANCELLED") || is(transp, "TRANSPARENT") || is(busy, "FREE")
}

pub(super) fn uid_of(c: &Comp) -> String {
    uid_text(c).to_string()
}

/// The UID of a component, trimmed (empty when absent).
pub(super) fn uid_text<'c>(c: &'c Comp) -> &'c str {
    c.prop(Name::Uid).map_or("", |p| trim(p.value))
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        diags: Diagnostics,
        local: Zone,
        window: (DateTime<Utc>, DateTime<Utc>),
        top: &'a [Comp],
    ) -> Self {
        let end = window.1.naive_utc();
        let after = |days| {
            TimeDelta::try_days(days)
                .and_then(|d| end.checked_add_signed(d))
                .unwrap_or(NaiveDateTime::MAX)
        };
        let mut vtimezones = HashMap::new();
        for cal in top {
            for c in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
                if let Some(p) = c.prop(Name::Tzid) {
                    vtimezones.entry(unescape_tzid(p.value.trim())).or_insert(c);
                }
            }
        }
        Reader {
            diags,
            local,
            floating: Tref::Zone(local),
            window,
            around: Around::new(window),
            spans: None,
            bound: after(2),
            zone_bound: after(800),
            vtimezones,
            zones: HashMap::new(),
            last_tzid: None,
            resolved: Cell::new([None; 2]),
            customs: Vec::new(),
            steps: 0,
        }
    }

    pub(super) fn read_all(&mut self, top: &'a [Comp], out: &mut Vec<Busy>) {
        self.floating = self.calendar_zone(top);
        // Room for every component: a calendar is nearly all VEVENTs, and nearly all masters.
        let components = top.iter().map(|cal| cal.children.len()).sum();
        let mut masters: Vec<&Comp> = Vec::with_capacity(components);
        let mut overrides: Vec<&Comp> = Vec::new();
        for cal in top {
            for c in &cal.children {
                match &*c.name {
                    "VEVENT" if c.prop(Name::RecurrenceId).is_some() => overrides.push(c),
                    "VEVENT" => masters.push(c),
                    "VFREEBUSY" => self.freebusy(c, out),
                    _ => {}
                }
            }
        }
        let index = self.index_overrides(&overrides);
        let mut series: HashMap<String, (Length, String)> = HashMap::new();
        let has_overrides = !index.keyed.is_empty();
        for c in masters {
            if ignored(c) {
                continue;
            }
            let uid = uid_text(c);
            // Unescaped only where it is used.
            let summary = Summary::Written(c.prop(Name::Summary).map_or("", |p| p.value));
            let keys = index.replaced.get(uid).map_or(&[][..], Vec::as_slice);
            let later = index.futures.get(uid).map_or(&[][..], Vec::as_slice);
            let length = self.master(c, uid, summary, keys, later, out);
            // A series' length and summary are only asked for by its overrides.
            if let Some(length) = length
                && has_overrides
            {
                series
                    .entry(uid.to_string())
                    .or_insert_with(|| (length, summary.text().into_owned()));
            }
        }
        self.read_overrides(index, &series, out);
    }

    /// Indexes the overrides (VEVENTs with a RECURRENCE-ID) by the occurrences they replace.
    fn index_overrides(&mut self, overrides: &[&'a Comp<'a>]) -> Overrides<'a> {
        // Which occurrences of which series the overrides replace. When the same occurrence is
        // overridden twice (a file merged from two exports), the highest SEQUENCE wins, then the
        // later in the file.
        let mut replaced: HashMap<String, Vec<Key>> = HashMap::new();
        let mut latest: HashMap<(String, Key), (i64, usize)> = HashMap::new();
        let mut keyed: Vec<(usize, &Comp, String, Key)> = Vec::new();
        // RANGE=THISANDFUTURE overrides, by UID, and their timing (read once, here).
        let mut futures: HashMap<String, Vec<Future>> = HashMap::new();
        let mut future_timing: HashMap<usize, (Timing, bool)> = HashMap::new();
        for (i, c) in overrides.iter().copied().enumerate() {
            let Some(key) = self.recurrence_id(c) else {
                continue;
            };
            let uid = uid_of(c);
            let this_and_future = c
                .prop(Name::RecurrenceId)
                .and_then(|p| p.param("RANGE"))
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("THISANDFUTURE"));
            if this_and_future {
                let Some(t) = self.timing(c, None) else {
                    continue;
                };
                let own = c.prop(Name::Dtend).is_some() || c.prop(Name::Duration).is_some();
                let Some(start) = self.instant_at(t.start.civil, t.start.tref, c.line) else {
                    continue;
                };
                future_timing.insert(i, (t, own));
                futures.entry(uid.clone()).or_default().push(Future {
                    from: key,
                    start,
                    length: own.then_some(t.length),
                    summary: c
                        .prop(Name::Summary)
                        .map(|p| unescape_text(p.value).into_owned()),
                    free: ignored(c),
                });
            }
            let sequence = c
                .prop(Name::Sequence)
                .and_then(|p| p.value.trim().parse::<i64>().ok())
                .unwrap_or(0);
            let best = latest.entry((uid.clone(), key)).or_insert((sequence, i));
            if (sequence, i) >= *best {
                *best = (sequence, i);
            }
            replaced.entry(uid.clone()).or_default().push(key);
            keyed.push((i, c, uid, key));
        }
        Overrides {
            replaced,
            latest,
            keyed,
            futures,
            future_timing,
        }
    }

    /// The busy intervals of the overrides that are not superseded, each read with its
    /// series' length and summary where it has none of its own.
    fn read_overrides(
        &mut self,
        index: Overrides<'a>,
        series: &HashMap<String, (Length, String)>,
        out: &mut Vec<Busy>,
    ) {
        let Overrides {
            latest,
            keyed,
            future_timing,
            ..
        } = index;
        for (i, c, uid, key) in keyed {
            let superseded = latest
                .get(&(uid.clone(), key))
                .is_some_and(|(_, best)| *best != i);
            if superseded || ignored(c) {
                continue;
            }
            let master = series.get(&uid);
            let summary = match c.prop(Name::Summary) {
                Some(p) => unescape_text(p.value).into_owned(),
                None => master.map(|m| m.1.clone()).unwrap_or_default(),
            };
            let t = match future_timing.get(&i) {
                Some(&(t, own)) => match (own, master) {
                    (false, Some(m)) => Timing {
                        start: t.start,
                        length: m.0,
                    },
                    _ => t,
                },
                None => match self.timing(c, master.map(|m| m.0)) {
                    Some(t) => t,
                    None => continue,
                },
            };
            let Some(start) = self.instant_at(t.start.civil, t.start.tref, c.line) else {
                continue;
            };
            let Some(end) = self.end_of(t.start.civil, start, t.start.tref, t.length, c.line)
            else {
                continue;
            };
            if self.overlaps(start, end) && self.kept(start, end) {
                out.push(Busy {
                    start,
                    end,
                    summary,
                    uid,
                });
            }
        }
    }

    /// The zone of floating date-times: the first `X-WR-TIMEZONE` of a VCALENDAR (Google and
    /// Apple write it; it is how their floating times are meant), when it names a zone (IANA,
    /// Windows, or a VTIMEZONE of the file); else the participant's zone, with a note.
    pub(super) fn calendar_zone(&mut self, top: &[Comp]) -> Tref {
        let local = Tref::Zone(self.local);
        let Some(p) = top
            .iter()
            .filter_map(|cal| cal.prop(Name::XWrTimezone))
            .find(|p| !p.value.trim().is_empty())
        else {
            return local;
        };
        let name = unescape_tzid(p.value.trim()).into_owned();
        let found = self.find_tzid(&name);
        if let Some(zone) = found {
            // Shared with the TZIDs that name the same zone: a VTIMEZONE is read (and any
            // error in it reported) once.
            self.zones.insert(name.clone(), zone);
        }
        match found {
            Some(Some(t)) => t,
            // The VTIMEZONE it names is broken: that is reported as an error.
            Some(None) => local,
            None => {
                self.diags.warning_at(
                    p.line,
                    format!(
                        "X-WR-TIMEZONE `{}` is not a time zone roundtable knows: floating times are read in the participant's zone",
                        excerpt(&name)
                    ),
                    "nothing to do if the participant's zone is the calendar's; otherwise give the events a TZID",
                );
                local
            }
        }
    }

    /// Whether the interval `start`..`end` (in the window) is kept: it overlaps one of the
    /// spans (`start < span end` and `end > span start`: a zero-length interval only strictly
    /// inside one), or there are no spans.
    pub(super) fn kept(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.spans
            .is_none_or(|spans| spans.iter().any(|&(s, e)| end > s && start < e))
    }

    pub(super) fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let (from, to) = self.window;
        if from >= to {
            return false;
        }
        if start == end {
            from <= start && start < to
        } else {
            start < to && end > from
        }
    }

    // --- zones -------------------------------------------------------------------------------

    pub(super) fn freebusy(&mut self, c: &Comp, out: &mut Vec<Busy>) {
        let uid = uid_of(c);
        for p in c.props(Name::Freebusy) {
            if p.param("FBTYPE")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("FREE"))
            {
                continue;
            }
            for v in p.value.split(',').filter(|v| !v.trim().is_empty()) {
                let Some((s, e)) = v.split_once('/') else {
                    self.diags.error_at(
                        p.line,
                        format!("FREEBUSY period `{}` has no `/`", excerpt(v)),
                        "write a period as 19980415T133000Z/19980415T170000Z or 19980415T133000Z/PT3H",
                    );
                    continue;
                };
                let Some(w) = self.when(p, s, self.floating) else {
                    continue;
                };
                let Some(start) = self.instant_at(w.civil, w.tref, p.line) else {
                    continue;
                };
                let Some(end) = self.period_end(p, start, e, self.floating) else {
                    continue;
                };
                if self.overlaps(start, end) && self.kept(start, end) {
                    out.push(Busy {
                        start,
                        end,
                        summary: FREEBUSY_SUMMARY.to_string(),
                        uid: uid.clone(),
                    });
                }
            }
        }
    }
}
