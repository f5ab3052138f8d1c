//! Daily hour ranges such as working hours `08:00-20:00` or night `22:00-06:00`.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};

/// A daily range of local time, `[start, end)` in minutes since midnight; it wraps past midnight
/// when `end <= start` (`22:00-06:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HoursRange {
    /// Minutes since local midnight at which the range starts (0..1440).
    pub start: u16,
    /// Minutes since local midnight at which it ends (1..=1440).
    pub end: u16,
}

impl HoursRange {
    /// Whether the local minute of the day `minute` (0..1440) lies in the range.
    ///
    /// ```
    /// let night: roundtable::hours::HoursRange = "22:00-06:00".parse().unwrap();
    /// assert!(night.contains(23 * 60));
    /// assert!(night.contains(5 * 60 + 59));
    /// assert!(!night.contains(6 * 60));
    /// ```
    pub fn contains(&self, minute: u16) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        }
    }

    /// Whether the local time `t` lies in the range.
    pub fn contains_time(&self, t: NaiveTime) -> bool {
        // hour*60+minute is < 1440 and fits u16.
        self.contains((t.hour() * 60 + t.minute()) as u16)
    }

    /// How many minutes of the span `[start, start + len)` fall in the range, where `start` counts
    /// minutes from a local midnight (it may be negative or pass 1440: the range repeats daily).
    ///
    /// ```
    /// let night: roundtable::hours::HoursRange = "22:00-06:00".parse().unwrap();
    /// // 21:00 for three hours: 22:00–24:00 is night.
    /// assert_eq!(night.overlap_minutes(21 * 60, 180), 120);
    /// // 05:00 for two hours: 05:00–06:00 is night.
    /// assert_eq!(night.overlap_minutes(5 * 60, 120), 60);
    /// let work: roundtable::hours::HoursRange = "08:00-20:00".parse().unwrap();
    /// // 19:00 to 09:00 the next day: 19:00–20:00 and 08:00–09:00.
    /// assert_eq!(work.overlap_minutes(19 * 60, 14 * 60), 120);
    /// ```
    pub fn overlap_minutes(&self, start: i64, len: i64) -> i64 {
        let end = start + len.max(0);
        let (s, e) = (i64::from(self.start), i64::from(self.end));
        let overlap = |a: i64, b: i64| (end.min(b) - start.max(a)).max(0);
        let mut total = 0;
        for day in start.div_euclid(1440)..=end.div_euclid(1440) {
            let base = day * 1440;
            if s < e {
                total += overlap(base + s, base + e);
            } else {
                total += overlap(base, base + e) + overlap(base + s, base + 1440);
            }
        }
        total
    }

    /// The parts of the day in both ranges, as ranges that do not wrap.
    ///
    /// ```
    /// let work: roundtable::hours::HoursRange = "05:00-20:00".parse().unwrap();
    /// let night: roundtable::hours::HoursRange = "22:00-06:00".parse().unwrap();
    /// let both = work.intersection(&night);
    /// assert_eq!(both.len(), 1);
    /// assert_eq!((both[0].start, both[0].end), (300, 360));
    /// ```
    pub fn intersection(&self, other: &HoursRange) -> Vec<HoursRange> {
        let mut out = Vec::new();
        self.each_intersection(other, |r| out.push(r));
        out
    }

    /// How many minutes of the span `[start, start + len)` fall in both this range and `other`
    /// ([`HoursRange::overlap_minutes`] of each part of [`HoursRange::intersection`]), without
    /// a list of the parts: `check` asks it for every participant and occurrence.
    ///
    /// ```
    /// let work: roundtable::hours::HoursRange = "05:00-20:00".parse().unwrap();
    /// let night: roundtable::hours::HoursRange = "22:00-06:00".parse().unwrap();
    /// // 04:00 for three hours: 05:00–06:00 is both.
    /// assert_eq!(work.overlap_minutes_with(&night, 4 * 60, 180), 60);
    /// ```
    pub fn overlap_minutes_with(&self, other: &HoursRange, start: i64, len: i64) -> i64 {
        let mut total = 0;
        self.each_intersection(other, |r| total += r.overlap_minutes(start, len));
        total
    }

    /// Calls `f` with each part of [`HoursRange::intersection`], in order.
    fn each_intersection(&self, other: &HoursRange, mut f: impl FnMut(HoursRange)) {
        for (a0, a1) in self.segments() {
            for (b0, b1) in other.segments() {
                let (s, e) = (a0.max(b0), a1.min(b1));
                if s < e {
                    f(HoursRange { start: s, end: e });
                }
            }
        }
    }

    /// The range as at most two parts that do not wrap, `(start, end)` with `start < end`;
    /// unused parts are empty (`(0, 0)`).
    fn segments(&self) -> [(u16, u16); 2] {
        if self.start < self.end {
            [(self.start, self.end), (0, 0)]
        } else {
            [(0, self.end), (self.start, 1440)]
        }
    }

    /// Length of the range in minutes.
    pub fn len_minutes(&self) -> u16 {
        if self.start < self.end {
            self.end - self.start
        } else {
            1440 - self.start + self.end
        }
    }
}

impl FromStr for HoursRange {
    type Err = String;

    /// Parses `HH:MM-HH:MM`; `24:00` may end a range.
    ///
    /// ```
    /// let r: roundtable::hours::HoursRange = "09:00-17:30".parse().unwrap();
    /// assert_eq!((r.start, r.end), (540, 1050));
    /// assert!("9-5".parse::<roundtable::hours::HoursRange>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let help =
            || format!("`{text}` is not an hours range; write it as HH:MM-HH:MM, e.g. 08:00-20:00");
        let (a, b) = text.trim().split_once('-').ok_or_else(help)?;
        let start = parse_clock(a.trim()).ok_or_else(help)?;
        let end = parse_clock(b.trim()).ok_or_else(help)?;
        if start == 1440 {
            return Err(format!(
                "`{text}`: a range cannot start at 24:00; use 00:00"
            ));
        }
        if start == end {
            return Err(format!(
                "`{text}` is empty; to mean the whole day write 00:00-24:00"
            ));
        }
        Ok(HoursRange { start, end })
    }
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().all(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

impl fmt::Display for HoursRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}
