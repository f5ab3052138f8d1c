//! Dates and times in conflict details, written as chrono's `%A`, `%a %d %b` and `%H:%M`
//! write them, without chrono's pattern interpreter.
//!
//! A detail sentence is written per conflict: 134,500 of them at 10,000 participants, where
//! `format("%a %d %b %H:%M")` (which reads its pattern each time) and a `String` per piece
//! were a twentieth of `check` (issue 19). chrono's English names are the contract; the tests
//! compare every day of four years and every minute of a day with chrono's own output.

use chrono::{Datelike, Timelike, Weekday};

/// chrono's `%A`.
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// chrono's `%b`.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `n` (below 100) as two digits.
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `Saturday`, as chrono's `%A`.
pub(super) fn weekday_long(day: Weekday) -> &'static str {
    WEEKDAYS[day.num_days_from_monday() as usize]
}

/// `Sat`, as chrono's `%a` and `Weekday`'s `Display`.
pub(super) fn weekday_short(day: Weekday) -> &'static str {
    weekday_long(day).get(..3).unwrap_or_default()
}

/// `09:05`, as chrono's `%H:%M`.
pub(super) fn push_hh_mm(out: &mut String, t: &impl Timelike) {
    push_two(out, t.hour());
    out.push(':');
    push_two(out, t.minute());
}

/// `28 Oct`, as chrono's `%d %b`.
pub(super) fn push_dd_mon(out: &mut String, t: &impl Datelike) {
    push_two(out, t.day());
    out.push(' ');
    out.push_str(MONTHS[t.month0() as usize % 12]);
}

/// `Sat 28 Oct`, as chrono's `%a %d %b`.
pub(super) fn push_a_dd_mon(out: &mut String, t: &impl Datelike) {
    out.push_str(weekday_short(t.weekday()));
    out.push(' ');
    push_dd_mon(out, t);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let mut days = 0;
        while day <= last {
            let mut ours = String::new();
            push_a_dd_mon(&mut ours, &day);
            assert_eq!(ours, day.format("%a %d %b").to_string());
            ours.clear();
            push_dd_mon(&mut ours, &day);
            assert_eq!(ours, day.format("%d %b").to_string());
            assert_eq!(weekday_long(day.weekday()), day.format("%A").to_string());
            assert_eq!(weekday_short(day.weekday()), day.weekday().to_string());
            day = day.succ_opt().unwrap();
            days += 1;
        }
        assert_eq!(days, 4 * 365 + 1);
    }

    #[test]
    fn times_are_written_as_chrono_writes_them() {
        for minute in 0..24 * 60 {
            let t = NaiveTime::from_hms_opt(minute / 60, minute % 60, 59).unwrap();
            let mut ours = String::new();
            push_hh_mm(&mut ours, &t);
            assert_eq!(ours, t.format("%H:%M").to_string());
        }
    }
}
