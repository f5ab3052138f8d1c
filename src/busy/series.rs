//! Recurrence: RRULE, RDATE and EXDATE expanded into the occurrences that overlap the window.

use super::lines::{Comp, Name, Prop};
use super::reader::Reader;
use super::values::{DURATION_HELP, parse_duration, unescape_text};
use super::zones::{Future, Key, Length, Timing, Tref};
use super::{Busy, MAX_FILE_STEPS, MAX_OCCURRENCES_PER_EVENT, MAX_RULE_STEPS, excerpt};

use crate::recurrence::Rule;
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::str::FromStr;

/// A start of a series: the instant, its civil time, and its own end (an RDATE period's).
type Start = (DateTime<Utc>, (NaiveDateTime, Option<DateTime<Utc>>));

/// The starts of a series in order: DTSTART alone (most events), or a list.
enum Starts {
    One(Option<Start>),
    Many(std::vec::IntoIter<Start>),
}

impl Iterator for Starts {
    type Item = Start;

    fn next(&mut self) -> Option<Start> {
        match self {
            Starts::One(start) => start.take(),
            Starts::Many(starts) => starts.next(),
        }
    }
}

thread_local! {
    /// The rules read on this thread, across calendars, by their exact text: a calendar's
    /// series repeat a few rules (`FREQ=WEEKLY`, `FREQ=WEEKLY;BYDAY=MO,WE,FR`, ...), and reading
    /// one with the rrule crate (which builds a regular expression's captures) is 11,000
    /// instructions (issue 19). A cache of [`RULE_SLOTS`], as `timing::RESOLVED` is: a text in
    /// the one slot its hash picks, so that texts that collide only miss.
    static RULES: RefCell<Vec<HeldRule>> = const { RefCell::new(Vec::new()) };
}

/// A slot of [`RULES`]: a rule's text and the rule.
type HeldRule = Option<(Box<str>, Rc<Rule>)>;

/// How many rules [`RULES`] holds on a thread.
const RULE_SLOTS: usize = 64;

/// The slot of rule text `text` in [`RULES`].
fn rule_slot(text: &str) -> usize {
    use std::hash::BuildHasher;
    super::slot_of(rustc_hash::FxBuildHasher.hash_one(text), RULE_SLOTS)
}

/// The rule read from exactly `text` on this thread, when it is still held.
fn remembered_rule(text: &str) -> Option<Rc<Rule>> {
    RULES.with_borrow(|rules| match rules.get(rule_slot(text)) {
        Some(Some((held, rule))) if **held == *text => Some(Rc::clone(rule)),
        _ => None,
    })
}

/// Rules longer than this are read each time (a calendar's text is anyone's: what [`RULES`]
/// holds stays small).
const LONGEST_RULE_HELD: usize = 256;

/// Holds `rule`, read from `text`, in its slot of [`RULES`] (unless the text is long).
fn remember_rule(text: &str, rule: Rule) -> Rc<Rule> {
    let rule = Rc::new(rule);
    if text.len() > LONGEST_RULE_HELD {
        return rule;
    }
    RULES.with_borrow_mut(|rules| {
        if rules.len() != RULE_SLOTS {
            rules.resize(RULE_SLOTS, None);
        }
        if let Some(slot) = rules.get_mut(rule_slot(text)) {
            *slot = Some((text.into(), Rc::clone(&rule)));
        }
    });
    rule
}

impl<'a> Reader<'a> {
    pub(super) fn parse_rule(&mut self, prop: &Prop) -> Option<Rc<Rule>> {
        if let Some(rule) = remembered_rule(prop.value) {
            return Some(rule);
        }
        match Rule::from_str(prop.value) {
            Ok(rule) => Some(remember_rule(prop.value, rule)),
            Err(e) => {
                self.diags.error_at(
                    prop.line,
                    format!(
                        "{} `{}` cannot be read: {e}",
                        prop.name,
                        excerpt(prop.value)
                    ),
                    "write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO;UNTIL=20241231T235959Z",
                );
                None
            }
        }
    }

    /// The civil starts `rule` generates from `start` (which it may or may not include), in
    /// order, up to `until` and `bound`.
    pub(super) fn expand(
        &mut self,
        prop: &Prop,
        rule: &Rule,
        start: NaiveDateTime,
        until: Option<NaiveDateTime>,
        bound: NaiveDateTime,
        max_steps: usize,
    ) -> Option<Vec<NaiveDateTime>> {
        let fail = |this: &mut Self, e: String| {
            this.diags.error_at(
                prop.line,
                format!(
                    "{} `{}` cannot be expanded: {e}",
                    prop.name,
                    excerpt(prop.value)
                ),
                "write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO;UNTIL=20241231T235959Z",
            );
        };
        // A plain daily or weekly rule is stepped here; any other is the rrule crate's.
        let mut plain;
        let set;
        let mut from_set;
        let civils: &mut dyn Iterator<Item = NaiveDateTime> = match rule.plain_steps(start) {
            Some(steps) => {
                plain = steps;
                &mut plain
            }
            None => {
                set = match rule
                    .unvalidated()
                    .build(start.and_utc().with_timezone(&rrule::Tz::UTC))
                {
                    Ok(s) => s.limit(),
                    Err(e) => {
                        fail(self, e.to_string());
                        return None;
                    }
                };
                from_set = (&set).into_iter().map(|o| o.naive_utc());
                &mut from_set
            }
        };
        let mut out = Vec::new();
        for civil in civils {
            if until.is_some_and(|u| civil > u) || civil > bound {
                break;
            }
            self.steps += 1;
            if out.len() >= max_steps || self.steps > MAX_FILE_STEPS {
                self.diags.error_at(
                    prop.line,
                    format!(
                        "the rule gives too many occurrences between its start ({}) and the end of the period checked (more than {} for this rule, or {MAX_FILE_STEPS} in the file)",
                        start.format("%Y-%m-%d"),
                        max_steps
                    ),
                    "export only recent events, or end the series with UNTIL or COUNT",
                );
                return None;
            }
            out.push(civil);
        }
        Some(out)
    }

    /// Expands a series (not an override) into `out`; returns its length for its overrides.
    pub(super) fn master(
        &mut self,
        c: &Comp,
        uid: &str,
        summary: Summary,
        replaced: &[Key],
        futures: &[Future],
        out: &mut Vec<Busy>,
    ) -> Option<Length> {
        let t = self.timing(c, None)?;
        let tref = t.start.tref;
        let first = self.instant_at(t.start.civil, tref, c.line)?;
        // Each THISANDFUTURE override, latest first.
        let moves = self.moves(&t, futures);
        let bound = self.expansion_bound(&moves);
        let (occurrences, starts_ok) = self.starts(c, &t, first, bound);
        let (excluded, excluded_ok) = self.excluded(c, &t);
        if !(starts_ok && excluded_ok) {
            return None;
        }
        let mut count = 0usize;
        for (start, (civil, end)) in occurrences {
            if excluded
                .iter()
                .chain(replaced)
                .any(|k| k.matches(start, civil))
            {
                continue;
            }
            let planned = Occurrence {
                start,
                civil,
                end,
                length: t.length,
                summary,
            };
            let Some(o) = self.moved(planned, &moves, tref, c.line)? else {
                continue;
            };
            let end = match o.end {
                Some(e) => e,
                None => self.end_of(o.civil, o.start, tref, o.length, c.line)?,
            };
            if !self.overlaps(o.start, end) {
                continue;
            }
            count += 1;
            if count > MAX_OCCURRENCES_PER_EVENT {
                self.too_many_occurrences(c.line, &o.summary.text());
                return None;
            }
            if !self.kept(o.start, end) {
                continue;
            }
            out.push(Busy {
                start: o.start,
                end,
                summary: o.summary.text().into_owned(),
                uid: uid.to_string(),
            });
        }
        Some(t.length)
    }

    fn too_many_occurrences(&mut self, line: usize, summary: &str) {
        self.diags.error_at(
            line,
            format!(
                "the event “{}” has more than {MAX_OCCURRENCES_PER_EVENT} occurrences in the period checked",
                excerpt(summary)
            ),
            "a busy calendar this dense cannot be checked: remove or shorten this series",
        );
    }

    /// How far to expand a series: far enough that occurrences moved earlier into the window
    /// are found.
    fn expansion_bound(&self, moves: &[Move]) -> NaiveDateTime {
        if moves.is_empty() {
            // Nearly every series (asked once per event: issue 19).
            return self.bound;
        }
        let earliest = moves
            .iter()
            .map(|m| m.delta)
            .min()
            .unwrap_or_default()
            .min(TimeDelta::zero());
        self.bound
            .checked_sub_signed(earliest)
            .unwrap_or(NaiveDateTime::MAX)
    }

    /// `planned` as the latest THISANDFUTURE override before it makes it (moved, re-timed,
    /// renamed); `Some(None)` when that override frees it or moves it past the last date there
    /// is, `None` when its new start cannot be placed (the error is reported).
    fn moved<'s>(
        &mut self,
        planned: Occurrence<'s>,
        moves: &[Move<'s>],
        tref: Tref,
        line: usize,
    ) -> Option<Option<Occurrence<'s>>> {
        let latest = moves.iter().find(|m| match m.from {
            Key::Instant(i) => planned.start > i,
            Key::Date(d) => planned.civil.date() > d,
        });
        let Some(m) = latest else {
            return Some(Some(planned));
        };
        if m.future.free {
            return Some(None);
        }
        let Some(civil) = planned.civil.checked_add_signed(m.delta) else {
            return Some(None);
        };
        let start = self.instant_at(civil, tref, line)?;
        Some(Some(Occurrence {
            start,
            civil,
            end: None,
            length: m.future.length.unwrap_or(planned.length),
            summary: m
                .future
                .summary
                .as_deref()
                .map_or(planned.summary, Summary::Text),
        }))
    }

    /// Each THISANDFUTURE override with how far it moves the later occurrences in the series'
    /// civil time, latest first.
    fn moves<'f>(&self, t: &Timing, futures: &'f [Future]) -> Vec<Move<'f>> {
        if futures.is_empty() {
            return Vec::new();
        }
        let tref = t.start.tref;
        let mut moves: Vec<Move> = futures
            .iter()
            .map(|f| {
                let from_civil = match f.from {
                    Key::Instant(i) => self.civil_of(i, tref),
                    Key::Date(d) => d.and_time(t.start.civil.time()),
                };
                Move {
                    from: f.from,
                    delta: self.civil_of(f.start, tref) - from_civil,
                    future: f,
                }
            })
            .collect();
        moves.sort_by_key(|m| std::cmp::Reverse(key_order(m.from)));
        moves
    }

    /// The series' starts (DTSTART at `first`, RRULEs expanded up to `bound`, RDATEs): start →
    /// (civil start in the series' zone, end when given by an RDATE period); and whether every
    /// rule and date could be read (those that could not are reported).
    fn starts(
        &mut self,
        c: &Comp,
        t: &Timing,
        first: DateTime<Utc>,
        bound: NaiveDateTime,
    ) -> (Starts, bool) {
        let tref = t.start.tref;
        // Most events have neither RRULE nor RDATE: their one start needs no list (issue 19).
        let mut occurrences: Vec<Start> = Vec::new();
        let mut ok = true;
        for rp in c.props(Name::Rrule) {
            let Some(rule) = self.parse_rule(rp) else {
                ok = false;
                continue;
            };
            let until = self.until_civil(&rule, tref);
            let Some(civils) = self.expand(rp, &rule, t.start.civil, until, bound, MAX_RULE_STEPS)
            else {
                ok = false;
                continue;
            };
            for civil in civils {
                if let Some(s) = self.instant(civil, tref) {
                    occurrences.push((s, (civil, None)));
                }
            }
        }
        for rp in c.props(Name::Rdate) {
            for v in rp.value.split(',').filter(|v| !v.trim().is_empty()) {
                match self.rdate(rp, v, t) {
                    Some((s, civil, end)) => occurrences.push((s, (civil, end))),
                    None => ok = false,
                }
            }
        }
        let dtstart = (first, (t.start.civil, None));
        if occurrences.is_empty() {
            return (Starts::One(Some(dtstart)), ok);
        }
        // In start order, the first found of each start kept (DTSTART, then the rules' and
        // dates' in the order read: a stable sort, then dedup).
        occurrences.insert(0, dtstart);
        occurrences.sort_by_key(|o| o.0);
        occurrences.dedup_by_key(|o| o.0);
        (Starts::Many(occurrences.into_iter()), ok)
    }

    /// What EXRULEs (RFC 2445, deprecated by RFC 5545 but still written: the starts they give
    /// from the same DTSTART) and EXDATEs exclude; and whether all could be read.
    fn excluded(&mut self, c: &Comp, t: &Timing) -> (Vec<Key>, bool) {
        let tref = t.start.tref;
        let mut excluded: Vec<Key> = Vec::new();
        let mut ok = true;
        for xp in c.props(Name::Exrule) {
            let Some(rule) = self.parse_rule(xp) else {
                ok = false;
                continue;
            };
            let until = self.until_civil(&rule, tref);
            let Some(civils) =
                self.expand(xp, &rule, t.start.civil, until, self.bound, MAX_RULE_STEPS)
            else {
                ok = false;
                continue;
            };
            excluded.extend(
                civils
                    .into_iter()
                    .filter_map(|civil| self.instant(civil, tref))
                    .map(Key::Instant),
            );
        }
        for xp in c.props(Name::Exdate) {
            for v in xp.value.split(',').filter(|v| !v.trim().is_empty()) {
                match self.key(xp, v, tref) {
                    Some(k) => excluded.push(k),
                    None => ok = false,
                }
            }
        }
        (excluded, ok)
    }

    /// One RDATE value: (start, civil start in the series' zone, end of a period).
    pub(super) fn rdate(
        &mut self,
        prop: &Prop,
        value: &str,
        t: &Timing,
    ) -> Option<(DateTime<Utc>, NaiveDateTime, Option<DateTime<Utc>>)> {
        let tref = t.start.tref;
        let (first, rest) = match value.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (value, None),
        };
        let w = self.when(prop, first, tref)?;
        let (s, civil) = if w.date && !t.start.date {
            // A date in a timed series: the series' time of day on that date.
            let civil = w.civil.date().and_time(t.start.civil.time());
            (self.instant_at(civil, tref, prop.line)?, civil)
        } else {
            let s = self.instant_at(w.civil, w.tref, prop.line)?;
            (s, self.civil_of(s, tref))
        };
        let end = match rest {
            None => None,
            Some(r) => Some(self.period_end(prop, s, r, w.tref)?),
        };
        Some((s, civil, end))
    }

    /// The end of a period `start/END` or `start/DURATION`.
    pub(super) fn period_end(
        &mut self,
        prop: &Prop,
        start: DateTime<Utc>,
        text: &str,
        floating: Tref,
    ) -> Option<DateTime<Utc>> {
        let t = text.trim();
        let end = if t.starts_with(['P', 'p', '+', '-']) {
            match parse_duration(t) {
                Some(d) if !d.negative => TimeDelta::try_days(d.days)
                    .and_then(|days| start.checked_add_signed(days))
                    .and_then(|s| s.checked_add_signed(d.exact)),
                _ => {
                    self.diags.error_at(
                        prop.line,
                        format!("`{}` is not a duration", excerpt(t)),
                        DURATION_HELP,
                    );
                    return None;
                }
            }
        } else {
            let w = self.when(prop, t, floating)?;
            self.instant(w.civil, w.tref)
        };
        match end {
            Some(e) if e >= start => Some(e),
            _ => {
                self.diags.error_at(
                    prop.line,
                    format!("the period ending `{}` ends before it starts", excerpt(t)),
                    "write a period as START/END (END after START) or START/DURATION",
                );
                None
            }
        }
    }
}

/// A THISANDFUTURE override as it applies to its series.
struct Move<'f> {
    /// Where it takes effect.
    from: Key,
    /// How far it moves the later occurrences, in the series' civil time.
    delta: TimeDelta,
    future: &'f Future,
}

/// One occurrence of a series on its way to the busy list.
struct Occurrence<'s> {
    start: DateTime<Utc>,
    /// Its start in the series' zone.
    civil: NaiveDateTime,
    /// Its end when an RDATE period gives it.
    end: Option<DateTime<Utc>>,
    length: Length,
    summary: Summary<'s>,
}

/// An occurrence's SUMMARY: as written in the file (escaped: unescaped only for an interval
/// kept, where `check` keeps a few of a calendar's events: issue 19), or already unescaped
/// (a THISANDFUTURE override's).
#[derive(Debug, Clone, Copy)]
pub(super) enum Summary<'s> {
    Written(&'s str),
    Text(&'s str),
}

impl<'s> Summary<'s> {
    /// The summary, unescaped.
    pub(super) fn text(self) -> Cow<'s, str> {
        match self {
            Summary::Written(written) => unescape_text(written),
            Summary::Text(text) => Cow::Borrowed(text),
        }
    }
}

/// Orders RECURRENCE-IDs in time (a date as its midnight UTC: only compared among the overrides
/// of one series, which are all dates or all date-times).
fn key_order(k: Key) -> DateTime<Utc> {
    match k {
        Key::Instant(i) => i,
        Key::Date(d) => d.and_time(NaiveTime::MIN).and_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule read once is the one held for the same text; texts that share a slot push each
    /// other out and are read again; a long text is never held.
    #[test]
    fn rules_are_held_by_their_exact_text() {
        let read = |text: &str| {
            remembered_rule(text)
                .unwrap_or_else(|| remember_rule(text, Rule::from_str(text).unwrap()))
        };
        let weekly = read("FREQ=WEEKLY");
        assert!(Rc::ptr_eq(&weekly, &read("FREQ=WEEKLY")));
        assert!(remembered_rule("FREQ=WEEKLY;COUNT=2").is_none());
        let sharing: Vec<String> = (1..5000)
            .map(|n| format!("FREQ=DAILY;COUNT={n}"))
            .filter(|t| rule_slot(t) == rule_slot("FREQ=WEEKLY"))
            .take(2)
            .collect();
        assert_eq!(sharing.len(), 2);
        for text in &sharing {
            let rule = read(text);
            assert_eq!(rule.body, text.as_str());
            assert!(remembered_rule("FREQ=WEEKLY").is_none());
        }
        let long = format!("FREQ=WEEKLY;BYDAY={}MO", "MO,".repeat(100));
        assert!(long.len() > LONGEST_RULE_HELD);
        read(&long);
        assert!(remembered_rule(&long).is_none());
    }
}
