//! Where a zone's offset stays the same around the window being read: there a civil time is
//! an instant by one subtraction, with neither a search of the zone's transitions nor a look
//! in the cache of [`super::timing`] (at 10,000 busy calendars that look, a miss in a table of
//! half a megabyte, was the reader's costliest line: issue 19).
//!
//! The spans come from [`crate::ics::vtimezone::transitions`], the search the invites' VTIMEZONEs
//! are made with (a day at a time, then bisected to the second: no zone of the tz database
//! changes its offset twice within a day). A civil time is answered here only when it lies in
//! a span more than [`MARGIN`] from the span's ends, which are changes of offset or the ends of
//! the search: there it is the local time of exactly one instant, the one [`crate::civil::resolve`]
//! gives it, at any [`crate::civil::Disambiguation`]. Anything else (a gap, a fold, a time far
//! from the window, a fraction of a second) is left to `resolve`.

use std::cell::RefCell;

use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};

use crate::ics::vtimezone::transitions;

/// No two offsets differ by more than this (UTC−12 to UTC+14): a civil time this far inside a
/// span of one offset is no other span's local time, and in no gap.
const MARGIN: TimeDelta = TimeDelta::hours(26);

/// How far before the window's start and after its end the spans are searched: the reader
/// resolves times up to two days past the window (its `bound`), and a margin more is lost at
/// each end.
const AROUND: TimeDelta = TimeDelta::days(4);

/// Spans kept per zone: three cover a window across both changes of a year.
const MAX_SPANS: usize = 4;

/// A longer window is not searched (the search steps a day at a time, and [`MAX_SPANS`] would
/// not cover it): its times are all left to `resolve`.
const MAX_WINDOW: TimeDelta = TimeDelta::days(731);

/// A civil time `lo..hi` is the instant `civil − offset`.
#[derive(Debug, Clone, Copy)]
struct Span {
    lo: NaiveDateTime,
    hi: NaiveDateTime,
    offset: FixedOffset,
}

impl Default for Span {
    /// Holds no civil time.
    fn default() -> Self {
        Span {
            lo: NaiveDateTime::MAX,
            hi: NaiveDateTime::MIN,
            offset: chrono::Offset::fix(&Utc),
        }
    }
}

/// One zone's spans for one window.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// The window (UTC seconds) the spans were searched around; `None` when never searched.
    window: Option<(i64, i64)>,
    /// How many of `spans` hold.
    count: usize,
    spans: [Span; MAX_SPANS],
}

thread_local! {
    /// The spans of the zones met on this thread, one entry per zone of the database (indexed by
    /// it): a thread reads calendars in a few dozen zones, all around the same window.
    static SPANS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The window a reader reads, as spans are searched around it: its bounds, and the same in
/// seconds (made once, compared at each look).
#[derive(Debug, Clone, Copy)]
pub(super) struct Around {
    bounds: (DateTime<Utc>, DateTime<Utc>),
    seconds: (i64, i64),
}

impl Around {
    pub(super) fn new(window: (DateTime<Utc>, DateTime<Utc>)) -> Self {
        Around {
            bounds: window,
            seconds: (window.0.timestamp(), window.1.timestamp()),
        }
    }
}

/// The instant of the civil time `civil` in `tz`, when it lies well inside a span of one
/// offset around the window: `resolve`'s own subtraction of that offset. `None` when it does
/// not (then ask [`crate::civil::resolve`]).
pub(super) fn instant(tz: Tz, civil: NaiveDateTime, around: &Around) -> Option<DateTime<Utc>> {
    let at = tz as usize;
    let offset = SPANS.with_borrow_mut(|table| {
        if table.len() != TZ_VARIANTS.len() {
            table.resize(TZ_VARIANTS.len(), Entry::default());
        }
        let entry = table.get_mut(at)?;
        if entry.window != Some(around.seconds) {
            *entry = search(tz, around);
        }
        let spans = entry.spans.get(..entry.count)?;
        spans
            .iter()
            .find(|s| s.lo <= civil && civil < s.hi)
            .map(|s| s.offset)
    })?;
    minus(civil, offset).map(|at| at.and_utc())
}

/// `civil − offset` as `resolve` subtracts it ([`NaiveDateTime::checked_sub_offset`]): on
/// the same day, nearly always, one subtraction of seconds without a call into chrono (whose
/// answer, an `Option` stored and read back, cost a stall in every look: issue 19).
fn minus(civil: NaiveDateTime, offset: FixedOffset) -> Option<NaiveDateTime> {
    use chrono::Timelike as _;
    let time = civil.time();
    let seconds = i64::from(time.num_seconds_from_midnight()) - i64::from(offset.local_minus_utc());
    let same_day = u32::try_from(seconds)
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, time.nanosecond()));
    match same_day {
        Some(t) => Some(civil.date().and_time(t)),
        None => civil.checked_sub_offset(offset),
    }
}

/// The spans of `tz` around the window, each narrowed by [`MARGIN`] at both ends.
fn search(tz: Tz, around: &Around) -> Entry {
    let window = around.bounds;
    let mut entry = Entry {
        window: Some(around.seconds),
        ..Entry::default()
    };
    let (Some(from), Some(to)) = (
        window.0.checked_sub_signed(AROUND),
        window.1.checked_add_signed(AROUND),
    ) else {
        return entry;
    };
    if from >= to || window.1 - window.0 > MAX_WINDOW {
        return entry;
    }
    let zone = crate::zone::Zone::Iana(tz);
    let changes = transitions(&zone, from, to);
    // The instants where a span begins, and its offset; the last ends at `to`.
    let mut starts = vec![(from, zone.offset_at(from))];
    starts.extend(changes.iter().map(|t| (t.at, t.to)));
    let ends = starts.iter().skip(1).map(|(at, _)| *at).chain([to]);
    for (&(begin, offset), end) in starts.iter().zip(ends) {
        // Local times, moved in by the margin; a span too short for it is none.
        let local = |at: DateTime<Utc>, by: TimeDelta| {
            at.naive_utc()
                .checked_add_offset(offset)
                .and_then(|t| t.checked_add_signed(by))
        };
        let (Some(lo), Some(hi)) = (local(begin, MARGIN), local(end, -MARGIN)) else {
            continue;
        };
        if lo < hi
            && let Some(slot) = entry.spans.get_mut(entry.count)
        {
            *slot = Span { lo, hi, offset };
            entry.count += 1;
        }
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::civil::{Disambiguation, resolve};
    use crate::zone::Zone;
    use chrono::{NaiveDateTime, TimeZone};

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    /// The one instant of `civil` in `tz`: `None` in a gap or a fold (`Reject` answers only a
    /// civil time that is one instant, which every policy then gives).
    fn resolved(tz: Tz, civil: NaiveDateTime) -> Option<DateTime<Utc>> {
        resolve(civil, &Zone::Iana(tz), Disambiguation::Reject).ok()
    }

    /// In every zone of the database, around windows across the changes of a year (and one
    /// long enough for more spans than are kept), every civil time answered is the one
    /// instant `resolve` gives it at every policy; and most times of the window are answered.
    #[test]
    fn answers_are_resolves_in_every_zone() {
        // A step that falls on every minute of the day and near every change, and a coarser
        // one for the long window.
        let windows = [
            (utc(2023, 10, 20), utc(2023, 11, 20), 97),
            (utc(2024, 3, 1), utc(2024, 4, 15), 97),
            (utc(2011, 12, 20), utc(2012, 1, 10), 97),
            (utc(2024, 1, 1), utc(2025, 12, 1), 433),
        ];
        let (mut asked, mut answered) = (0usize, 0usize);
        for &tz in TZ_VARIANTS.iter() {
            for (start, end, minutes) in windows {
                let window = (start, end);
                let from = (start - AROUND).naive_utc();
                let to = (end + AROUND).naive_utc();
                let step = TimeDelta::minutes(minutes);
                let mut civil = from;
                while civil < to {
                    asked += 1;
                    if let Some(answer) = instant(tz, civil, &Around::new(window)) {
                        answered += 1;
                        assert_eq!(resolved(tz, civil), Some(answer), "{tz} {civil}");
                    }
                    civil += step;
                }
            }
        }
        assert!(answered * 10 > asked * 7, "{answered} of {asked}");
    }

    /// The subtraction is chrono's, on the same day, across midnight either way, at the ends
    /// of chrono's range, for offsets of every size.
    #[test]
    fn minus_is_chronos_subtraction() {
        let days = [
            NaiveDateTime::MIN.date(),
            utc(2024, 2, 29).date_naive(),
            utc(2023, 12, 31).date_naive(),
            NaiveDateTime::MAX.date(),
        ];
        for date in days {
            for seconds in (0..86_400).step_by(1_811).chain([0, 1, 86_399]) {
                let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap();
                let civil = date.and_time(time);
                for offset in (-86_399..86_400).step_by(3_607).chain([-86_399, 0, 86_399]) {
                    let offset = FixedOffset::east_opt(offset).unwrap();
                    assert_eq!(
                        minus(civil, offset),
                        civil.checked_sub_offset(offset),
                        "{civil} {offset}"
                    );
                }
            }
        }
    }

    /// Samoa skipped 30 December 2011 (UTC−10 to UTC+14): no time of that day, or near it, is
    /// answered; times a week away are.
    #[test]
    fn a_skipped_day_is_left_to_resolve() {
        let tz = chrono_tz::Pacific::Apia;
        let window = Around::new((utc(2011, 12, 20), utc(2012, 1, 10)));
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2011, 12, d, h, 0, 0).unwrap();
        let civil = |d: u32, h: u32| at(d, h).naive_utc();
        for h in 0..24 {
            assert_eq!(instant(tz, civil(30, h), &window), None, "{h}");
        }
        assert_eq!(instant(tz, civil(29, 23), &window), None);
        assert_eq!(instant(tz, civil(31, 0), &window), None);
        // 23 December, 09:00 at UTC−10 is 19:00 UTC.
        assert_eq!(instant(tz, civil(23, 9), &window), Some(at(23, 19)));
    }

    /// A window at the ends of chrono's range, or longer than [`MAX_WINDOW`], answers nothing,
    /// and never panics; one that ends before it starts answers as `resolve` does.
    #[test]
    fn windows_at_the_ends_of_time_answer_nothing() {
        let tz = chrono_tz::Europe::Paris;
        let window = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        assert_eq!(
            instant(tz, utc(1970, 1, 1).naive_utc(), &Around::new(window)),
            None
        );
        let reversed = (utc(2024, 1, 2), utc(2024, 1, 1));
        let noon = utc(2024, 1, 1) + TimeDelta::hours(12);
        assert_eq!(
            instant(tz, noon.naive_utc(), &Around::new(reversed)),
            resolved(tz, noon.naive_utc())
        );
        let long = (utc(2024, 1, 1), utc(2026, 1, 2));
        assert_eq!(
            instant(tz, utc(2024, 7, 1).naive_utc(), &Around::new(long)),
            None
        );
    }
}
