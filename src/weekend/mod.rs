//! Weekend days by the country of a participant's zone: the one documented place for them.
//!
//! Country of a zone: the tz database's zone.tab ([`zone_countries`]). Weekend by country: the
//! table below (official weekends as of 2024, from the countries' labour laws as summarised in
//! Wikipedia's "Workweek and weekend"); every other country has Saturday and Sunday. A
//! participant's own `weekend = [...]` always wins.

pub mod zone_countries;

use chrono::Weekday;

use crate::zone::Zone;

/// Countries whose weekend is not Saturday–Sunday.
pub const WEEKENDS: &[(&str, &[Weekday])] = &[
    ("AF", &[Weekday::Thu, Weekday::Fri]), // Afghanistan
    ("BD", &[Weekday::Fri, Weekday::Sat]), // Bangladesh
    ("BH", &[Weekday::Fri, Weekday::Sat]), // Bahrain
    ("BN", &[Weekday::Fri, Weekday::Sun]), // Brunei
    ("DJ", &[Weekday::Fri]),               // Djibouti
    ("DZ", &[Weekday::Fri, Weekday::Sat]), // Algeria
    ("EG", &[Weekday::Fri, Weekday::Sat]), // Egypt
    ("IL", &[Weekday::Fri, Weekday::Sat]), // Israel
    ("IQ", &[Weekday::Fri, Weekday::Sat]), // Iraq
    ("IR", &[Weekday::Fri]),               // Iran (Thursday is a half day)
    ("JO", &[Weekday::Fri, Weekday::Sat]), // Jordan
    ("KW", &[Weekday::Fri, Weekday::Sat]), // Kuwait
    ("LY", &[Weekday::Fri, Weekday::Sat]), // Libya
    ("MV", &[Weekday::Fri, Weekday::Sat]), // Maldives
    ("NP", &[Weekday::Sat]),               // Nepal
    ("OM", &[Weekday::Fri, Weekday::Sat]), // Oman
    ("PS", &[Weekday::Fri, Weekday::Sat]), // Palestine
    ("QA", &[Weekday::Fri, Weekday::Sat]), // Qatar
    ("SA", &[Weekday::Fri, Weekday::Sat]), // Saudi Arabia
    ("SD", &[Weekday::Fri, Weekday::Sat]), // Sudan
    ("SO", &[Weekday::Thu, Weekday::Fri]), // Somalia
    ("SY", &[Weekday::Fri, Weekday::Sat]), // Syria
    ("YE", &[Weekday::Fri, Weekday::Sat]), // Yemen
];

/// Saturday and Sunday.
pub const DEFAULT: &[Weekday] = &[Weekday::Sat, Weekday::Sun];

/// The ISO 3166 country of an IANA zone name, if the tz database gives one.
pub fn country(zone_name: &str) -> Option<&'static str> {
    let table = zone_countries::ZONE_COUNTRIES;
    table
        .binary_search_by(|(z, _)| (*z).cmp(zone_name))
        .ok()
        .map(|i| table[i].1)
}

/// The weekend days of someone in `zone`, by its country.
pub fn for_zone(zone: &Zone) -> &'static [Weekday] {
    let Zone::Iana(tz) = zone else { return DEFAULT };
    country(tz.name())
        .and_then(|c| WEEKENDS.iter().find(|(cc, _)| *cc == c))
        .map_or(DEFAULT, |(_, days)| days)
}

/// A day name: `mon`…`sun` or the full English name, any case.
pub fn parse_day(text: &str) -> Option<Weekday> {
    let t = text.trim().to_ascii_lowercase();
    let days = [
        ("mon", "monday", Weekday::Mon),
        ("tue", "tuesday", Weekday::Tue),
        ("wed", "wednesday", Weekday::Wed),
        ("thu", "thursday", Weekday::Thu),
        ("fri", "friday", Weekday::Fri),
        ("sat", "saturday", Weekday::Sat),
        ("sun", "sunday", Weekday::Sun),
    ];
    days.iter()
        .find(|(s, l, _)| t == *s || t == *l)
        .map(|(_, _, d)| *d)
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    #[test]
    fn country() {
        assert_eq!(crate::weekend::country("Africa/Algiers"), Some("DZ"));
        assert_eq!(crate::weekend::country("Asia/Calcutta"), Some("IN"));
        assert_eq!(crate::weekend::country("UTC"), None);
    }

    #[test]
    fn for_zone() {
        use crate::zone::ZoneSpec;
        use chrono::Weekday;
        let cairo: ZoneSpec = "Africa/Cairo".parse().unwrap();
        assert_eq!(
            crate::weekend::for_zone(&cairo.zone),
            &[Weekday::Fri, Weekday::Sat]
        );
        let paris: ZoneSpec = "Europe/Paris".parse().unwrap();
        assert_eq!(
            crate::weekend::for_zone(&paris.zone),
            &[Weekday::Sat, Weekday::Sun]
        );
    }

    #[test]
    fn parse_day() {
        assert_eq!(crate::weekend::parse_day("Fri"), Some(chrono::Weekday::Fri));
        assert_eq!(
            crate::weekend::parse_day("saturday"),
            Some(chrono::Weekday::Sat)
        );
        assert_eq!(crate::weekend::parse_day("fr"), None);
    }
}
