//! Dates, times and zone names in a participant's language, from CLDR data through ICU4X
//! (`icu_datetime` with its compiled data): the weekday and month names, the order of day and
//! month, the 12- or 24-hour clock the locale uses, and the zone's long name ("heure normale
//! d'Europe centrale"), or the localized offset where CLDR names none.
//!
//! English keeps roundtable's own compact form ([`crate::ics::describe_time`]): every calendar
//! and mail written before localisation stays byte for byte the same (a changed description
//! would raise every SEQUENCE), and it names the IANA zone an English reader can look up.

use std::cell::OnceCell;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::zone::{LocalizedOffsetLong, SpecificLong};
use icu_datetime::fieldsets::{T, YMDE};
use icu_datetime::options::TimePrecision;
use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
use icu_locale_core::Locale;
use icu_time::zone::{UtcOffset, ZoneNameTimestamp};
use icu_time::{Time, TimeZone};

use super::Lang;
use super::messages::{Arg, tr};
use crate::zone::{Zone, ZoneSpec};

/// The formatters of one language.
struct Formatters {
    date: Option<FixedCalendarDateTimeFormatter<Gregorian, YMDE>>,
    time: Option<NoCalendarFormatter<T>>,
    zone: Option<NoCalendarFormatter<SpecificLong>>,
    offset: Option<NoCalendarFormatter<LocalizedOffsetLong>>,
}

fn locale(lang: Lang) -> Locale {
    Locale::try_from_str(lang.tag()).unwrap_or(Locale::UNKNOWN)
}

fn make(lang: Lang) -> Formatters {
    let prefs = || locale(lang).into();
    Formatters {
        date: FixedCalendarDateTimeFormatter::try_new(prefs(), YMDE::long()).ok(),
        time: NoCalendarFormatter::try_new(
            prefs(),
            T::short().with_time_precision(TimePrecision::Minute),
        )
        .ok(),
        zone: NoCalendarFormatter::try_new(prefs(), SpecificLong).ok(),
        offset: NoCalendarFormatter::try_new(prefs(), LocalizedOffsetLong).ok(),
    }
}

thread_local! {
    /// Each language's formatters, made on first use by each thread (ICU4X's data payloads
    /// are not `Sync` without its `sync` feature; a thread makes them once).
    static FORMATTERS: [OnceCell<Formatters>; 5] = const { [const { OnceCell::new() }; 5] };
}

/// Runs `f` with `lang`'s formatters.
fn with<R>(lang: Lang, f: impl FnOnce(&Formatters) -> R) -> R {
    FORMATTERS.with(|all| f(all[lang as usize].get_or_init(|| make(lang))))
}

/// A date with its weekday, as the locale writes it in full: "mardi 14 novembre 2023",
/// "martes, 14 de noviembre de 2023".
pub fn date(lang: Lang, day: NaiveDate) -> String {
    let month = u8::try_from(day.month()).unwrap_or(1);
    let dom = u8::try_from(day.day()).unwrap_or(1);
    with(lang, |f| {
        match (
            &f.date,
            Date::try_new_gregorian(day.year(), month, dom).ok(),
        ) {
            (Some(fmt), Some(d)) => fmt.format(&d).to_string(),
            _ => day.format("%Y-%m-%d").to_string(),
        }
    })
}

/// Hours and minutes on the locale's clock: "21:00", "9:00 م".
pub fn time(lang: Lang, t: chrono::NaiveTime) -> String {
    let hour = u8::try_from(t.hour()).unwrap_or(0);
    let minute = u8::try_from(t.minute()).unwrap_or(0);
    with(lang, |f| {
        match (&f.time, Time::try_new(hour, minute, 0, 0).ok()) {
            (Some(fmt), Some(t)) => fmt.format(&t).to_string(),
            _ => format!("{hour:02}:{minute:02}"),
        }
    })
}

/// The zone's long name at `instant` ("heure de l’Ouest indonésien", "hora de verano de Chile")
/// for an IANA zone; the localized offset ("UTC−03:00") for a fixed offset or a zone CLDR
/// names none for.
pub fn zone_name(lang: Lang, zone: &ZoneSpec, instant: DateTime<Utc>) -> String {
    let seconds = zone.zone.offset_at(instant).local_minus_utc();
    let offset = UtcOffset::try_from_seconds(seconds).ok();
    let stamp = ZoneNameTimestamp::from_epoch_seconds(instant.timestamp());
    let (id, named) = match zone.zone {
        Zone::Iana(tz) => (TimeZone::from_iana_id(tz.name()), true),
        Zone::Fixed(_) => (TimeZone::UNKNOWN, false),
    };
    let info = id.with_offset(offset).with_zone_name_timestamp(stamp);
    with(lang, |f| match (&f.zone, &f.offset) {
        (Some(fmt), _) if named => fmt.format(&info).to_string(),
        (_, Some(fmt)) => fmt.format(&info).to_string(),
        _ => crate::zone::describe_offset(zone.zone.offset_at(instant)),
    })
}

/// An occurrence in `zone`, in `lang`: "mardi 14 novembre 2023, 21:00–23:30 (heure de l’Ouest
/// indonésien)"; an occurrence ending on a later local day names that day too. English:
/// [`crate::ics::describe_time`], unchanged.
pub fn span(lang: Lang, start: DateTime<Utc>, end: DateTime<Utc>, zone: &ZoneSpec) -> String {
    if lang == Lang::En {
        return crate::ics::describe_time(start, end, zone);
    }
    let s = zone.zone.local(start);
    let e = zone.zone.local(end);
    let zone_text = zone_name(lang, zone, start);
    let d = date(lang, s.date_naive());
    let st = time(lang, s.time());
    let et = time(lang, e.time());
    if e.date_naive() == s.date_naive() {
        tr(
            lang,
            "time-span",
            &[
                ("date", Arg::Text(&d)),
                ("start", Arg::Text(&st)),
                ("end", Arg::Text(&et)),
                ("zone", Arg::Text(&zone_text)),
            ],
        )
    } else {
        let ed = date(lang, e.date_naive());
        tr(
            lang,
            "time-span-days",
            &[
                ("date", Arg::Text(&d)),
                ("start", Arg::Text(&st)),
                ("end-date", Arg::Text(&ed)),
                ("end", Arg::Text(&et)),
                ("zone", Arg::Text(&zone_text)),
            ],
        )
    }
}

/// The UTC line's time, in `lang`: "mardi 14 novembre 2023, 14:00–16:30"; English: "Tue 14 Nov
/// 2023, 14:00–16:30", as before localisation.
pub fn utc_span(lang: Lang, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    if lang == Lang::En {
        return format!(
            "{}–{}",
            start.format("%a %d %b %Y, %H:%M"),
            end.format("%H:%M")
        );
    }
    let d = date(lang, start.date_naive());
    let st = time(lang, start.time());
    let et = time(lang, end.time());
    tr(
        lang,
        "time-span-bare",
        &[
            ("date", Arg::Text(&d)),
            ("start", Arg::Text(&st)),
            ("end", Arg::Text(&et)),
        ],
    )
}

/// A local day, in `lang` ("mardi 14 novembre 2023"); English: "Tue 14 Nov 2023".
pub fn day(lang: Lang, day: NaiveDate) -> String {
    if lang == Lang::En {
        return day.format("%a %d %b %Y").to_string();
    }
    date(lang, day)
}

/// The start of an occurrence in `zone`, in `lang` ("mardi 14 novembre 2023, 21:00 (heure de
/// l’Ouest indonésien)"); `None` in English, whose callers keep their own form.
pub fn start(lang: Lang, start: DateTime<Utc>, zone: &ZoneSpec) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let s = zone.zone.local(start);
    let d = date(lang, s.date_naive());
    let st = time(lang, s.time());
    let z = zone_name(lang, zone, start);
    Some(tr(
        lang,
        "time-start",
        &[
            ("date", Arg::Text(&d)),
            ("start", Arg::Text(&st)),
            ("zone", Arg::Text(&z)),
        ],
    ))
}
