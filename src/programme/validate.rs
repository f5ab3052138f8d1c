//! Raw file → validated [`Programme`]: every value checked, zones resolved, groups computed.
//! Problems are collected, not returned one at a time.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use toml::Spanned;

use super::participants::{self, Row};
use super::raw::{KNOWN_KEYS, RawFile, RawGroup, RawParticipant, RawProgramme, RawSession};
use super::{Audience, Group, Length, Loaded, Organizer, Participant, Programme, Session};
use crate::civil::Disambiguation;
use crate::duration::parse_duration;
use crate::error::{Diagnostic, Diagnostics, Error, Location, Result, did_you_mean};
use crate::hours::HoursRange;
use crate::jobs::Jobs;
use crate::recurrence::Rule;
use crate::zone::ZoneSpec;

/// The most participants a programme may have.
pub const MAX_PARTICIPANTS: usize = 1_000_000;

struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    /// Errors and warnings, uncapped: the output shows them through `cap_alike`.
    diags: Diagnostics,
    fixed_zones: BTreeMap<String, (Location, usize)>,
}

impl Ctx<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        Location::at_offset(self.file, self.text, span.start)
    }

    fn error(&mut self, location: Location, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::error(Some(location), message);
        d.help = help;
        self.diags.push(d);
    }

    fn zone(&mut self, text: &str, location: Location) -> Option<ZoneSpec> {
        match text.parse::<ZoneSpec>() {
            Ok(z) => {
                if z.is_fixed() {
                    let entry = self
                        .fixed_zones
                        .entry(z.written.clone())
                        .or_insert((location, 0));
                    entry.1 += 1;
                }
                Some(z)
            }
            Err(e) => {
                self.error(location, e.message, e.help);
                None
            }
        }
    }

    fn hours(&mut self, text: &str, location: Location) -> Option<HoursRange> {
        match text.parse() {
            Ok(h) => Some(h),
            Err(e) => {
                self.error(location, e, None);
                None
            }
        }
    }

    fn id(&mut self, what: &str, id: &Spanned<String>) {
        if !valid_id(id.get_ref()) {
            let location = self.at(id.span());
            self.error(
                location,
                format!("{what} id `{}` is not valid", id.get_ref()),
                Some("use 1 to 64 lowercase letters, digits and '-', starting with a letter or digit (e.g. day-2-east)".into()),
            );
        }
    }

    fn reminder(&mut self, value: &Option<Spanned<String>>) -> Option<chrono::Duration> {
        let v = value.as_ref()?;
        match parse_duration(v.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                let location = self.at(v.span());
                self.error(location, format!("`reminder`: {e}"), None);
                None
            }
        }
    }

    fn disambiguation(&mut self, value: &Spanned<String>) -> Option<Disambiguation> {
        match value.get_ref().parse() {
            Ok(d) => Some(d),
            Err(e) => {
                let location = self.at(value.span());
                self.error(location, e, None);
                None
            }
        }
    }

    fn civil(&mut self, what: &str, value: &Spanned<toml::Value>) -> Option<NaiveDateTime> {
        let location = self.at(value.span());
        match parse_civil(value.get_ref()) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(location, format!("`{what}` {e}"), Some(
                    "write a civil date-time without offset, such as \"2023-11-15T09:00\", and give the zone with `timezone`".into(),
                ));
                None
            }
        }
    }
}

/// Where each value of a `[[participant]]` table is; a CSV row has only its line.
struct Places {
    groups: Vec<Location>,
    email: Location,
    zone: Location,
    working_hours: Option<Location>,
    night: Option<Location>,
    /// One place per day listed.
    weekend: Option<Vec<Location>>,
    busy: Option<Location>,
    language: Option<Location>,
}

/// Where an e-mail was first seen: a `[[participant]]` table (index into the table places) or a
/// line of the CSV (a CSV duplicate can only follow a table or a row of the same file).
#[derive(Debug, Clone, Copy)]
enum FirstSeen {
    Table(u32),
    Line(u32),
}

/// What checking a participant on their own needs: the same for every participant, shared by
/// the jobs threads.
#[derive(Clone, Copy)]
struct Rules<'a> {
    programme: &'a Path,
    working_hours: Option<HoursRange>,
    night: Option<HoursRange>,
    group_index: &'a HashMap<String, usize>,
    unknown_group: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// What validating participants one at a time needs to remember.
struct People<'a> {
    rules: Rules<'a>,
    participants: Vec<Participant>,
    /// Lowercased e-mail → (the participant, once their row proved valid; where it was first
    /// seen). Compact: 100,000 entries are held at once.
    seen_emails: HashMap<Box<str>, (Slot, FirstSeen)>,
    /// Places of `[[participant]]` tables, for "listed twice (first at ...)".
    table_places: Vec<Location>,
    count: usize,
    languages: super::language::Languages,
}

/// A participant checked on their own (a CSV row on a jobs thread): every value read, with its
/// problems, before what depends on the participants before them (a duplicate e-mail, the
/// counts of fixed offsets and languages) is settled by [`People::add`], in order.
struct Checked {
    /// The problems of the e-mail, reported even when it is listed twice.
    email_problems: Vec<Diagnostic>,
    /// The e-mail as compared ([`super::email::normalise`]).
    key: Box<str>,
    /// The problems of the other values, reported unless the e-mail is listed twice.
    problems: Vec<Diagnostic>,
    name: String,
    email: String,
    /// The row's line, or the table.
    location: Location,
    /// A table's places; `None` for a CSV row (everything on its line).
    places: Option<Box<Places>>,
    in_csv: bool,
    timezone: Option<ZoneSpec>,
    working_hours: Option<HoursRange>,
    night: Option<HoursRange>,
    groups: Vec<usize>,
    weekend: Option<Vec<chrono::Weekday>>,
    busy: Option<Box<(super::BusySource, Location)>>,
    required: bool,
    language: super::language::Read,
}

impl Checked {
    /// Where the e-mail is.
    fn email_place(&self) -> &Location {
        self.places.as_ref().map_or(&self.location, |p| &p.email)
    }
}

/// How a message about a value begins: "column `c`: " for a CSV row, nothing for a table.
fn col(in_csv: bool, c: &str) -> String {
    if in_csv {
        format!("column `{c}`: ")
    } else {
        String::new()
    }
}

/// An error at `location`, pushed on `problems`.
fn problem(
    problems: &mut Vec<Diagnostic>,
    location: &Location,
    message: String,
    help: Option<String>,
) {
    let mut d = Diagnostic::error(Some(location.clone()), message);
    d.help = help;
    problems.push(d);
}

/// Where the `i`th value of a list is: its own place in a table (`None` past the places
/// given), else the row's line `at`.
fn nth_place<'a>(
    places: Option<&'a [Location]>,
    i: usize,
    at: &'a Location,
) -> Option<&'a Location> {
    match places {
        Some(places) => places.get(i),
        None => Some(at),
    }
}

/// A participant's hours (`working_hours` or `night`): the value given, or the programme's
/// default; `None` when the value given cannot be read (reported at its place).
fn parse_hours(
    problems: &mut Vec<Diagnostic>,
    in_csv: bool,
    (value, place): (&Option<String>, Option<&Location>),
    default: Option<HoursRange>,
    column: &str,
) -> Option<HoursRange> {
    match (value, place) {
        (Some(h), Some(l)) => h
            .parse::<HoursRange>()
            .map_err(|e| problem(problems, l, format!("{}{e}", col(in_csv, column)), None))
            .ok(),
        _ => default,
    }
}

/// Where a listed e-mail's participant is: their index once their row proved valid, else
/// nothing (the row had errors). Four bytes: the index + 1, so that nothing costs nothing.
#[derive(Debug, Clone, Copy)]
struct Slot(Option<std::num::NonZeroU32>);

impl Slot {
    /// A row with errors, or one not yet checked.
    const INVALID: Slot = Slot(None);

    fn at(index: usize) -> Slot {
        Slot(
            u32::try_from(index + 1)
                .ok()
                .and_then(std::num::NonZeroU32::new),
        )
    }

    fn index(self) -> Option<usize> {
        self.0.map(|n| n.get() as usize - 1)
    }
}

impl Rules<'_> {
    /// Checks one participant on their own; a CSV row (`places` = `None`) reports problems on
    /// its line.
    fn check(&self, row: Row, places: Option<Box<Places>>) -> Checked {
        let p = places.as_deref();
        let at = &row.location;
        let in_csv = p.is_none_or(|p| row.location == p.email);
        let mut email_problems = Vec::new();
        check_email(
            &mut email_problems,
            &row.email,
            p.map_or(at, |p| &p.email),
            in_csv,
        );
        let key: Box<str> = super::email::normalise(&row.email).into_boxed_str();
        let mut problems = Vec::new();
        let timezone = participant_zone(
            &mut problems,
            &row.timezone,
            p.map_or(at, |p| &p.zone),
            in_csv,
        );
        let working_hours = parse_hours(
            &mut problems,
            in_csv,
            (
                &row.working_hours,
                p.map_or(Some(at), |p| p.working_hours.as_ref()),
            ),
            self.working_hours,
            "working_hours",
        );
        let night = parse_hours(
            &mut problems,
            in_csv,
            (&row.night, p.map_or(Some(at), |p| p.night.as_ref())),
            self.night,
            "night",
        );
        let groups = self.memberships(&mut problems, &row.groups, p, at, in_csv);
        let weekend = match (&row.weekend, p.map(|p| p.weekend.as_ref())) {
            (Some(days), None) => Some(weekend(&mut problems, days, None, at, in_csv)),
            (Some(days), Some(Some(places))) => Some(weekend(
                &mut problems,
                days,
                Some(places.as_slice()),
                at,
                in_csv,
            )),
            _ => None,
        };
        let busy = match (&row.busy, p.map_or(Some(at), |p| p.busy.as_ref())) {
            (Some(b), Some(l)) => Some(Box::new((busy_source(self.programme, b), l.clone()))),
            _ => None,
        };
        let required = required(&mut problems, &row, in_csv);
        let language = super::language::read(
            row.language.as_deref(),
            p.and_then(|p| p.language.as_ref()).unwrap_or(at),
            || col(in_csv, "language"),
            &mut problems,
        );
        Checked {
            email_problems,
            key,
            problems,
            name: row.name,
            email: row.email,
            location: row.location,
            places,
            in_csv,
            timezone,
            working_hours,
            night,
            groups,
            weekend,
            busy,
            required,
            language,
        }
    }

    /// The groups a participant names, as indexes; an unknown group is an error at its place
    /// (a table's, else the row's line `at`).
    fn memberships(
        &self,
        problems: &mut Vec<Diagnostic>,
        groups: &[String],
        places: Option<&Places>,
        at: &Location,
        in_csv: bool,
    ) -> Vec<usize> {
        let mut member_of = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            let Some(l) = nth_place(places.map(|p| p.groups.as_slice()), i, at) else {
                break;
            };
            match self.group_index.get(g) {
                Some(i) => member_of.push(*i),
                None => problem(
                    problems,
                    l,
                    format!("{}unknown group `{g}`", col(in_csv, "groups")),
                    (self.unknown_group)(g),
                ),
            }
        }
        member_of
    }
}

impl People<'_> {
    /// Adds a participant checked on their own ([`Rules::check`]), in order: their problems, or
    /// only that their e-mail is listed twice; then the participant, when valid.
    fn add(&mut self, ctx: &mut Ctx<'_>, mut c: Checked) {
        self.count += 1;
        if self.count > MAX_PARTICIPANTS {
            return;
        }
        ctx.diags.extend(std::mem::take(&mut c.email_problems));
        let vacant = match self.seen_emails.entry(std::mem::take(&mut c.key)) {
            std::collections::hash_map::Entry::Occupied(seen) => {
                let first = seen.get().1;
                let first = match first {
                    FirstSeen::Table(i) => self
                        .table_places
                        .get(i as usize)
                        .map_or_else(String::new, ToString::to_string),
                    FirstSeen::Line(line) => {
                        Location::in_file(c.location.file.clone(), line as usize).to_string()
                    }
                };
                ctx.error(
                    c.email_place().clone(),
                    format!(
                        "{}participant `{}` is listed twice (first at {first})",
                        col(c.in_csv, "email"),
                        c.email
                    ),
                    Some("keep one entry per e-mail address".into()),
                );
                return;
            }
            std::collections::hash_map::Entry::Vacant(vacant) => vacant,
        };
        let first = if c.in_csv {
            FirstSeen::Line(u32::try_from(c.location.line.unwrap_or(0)).unwrap_or(u32::MAX))
        } else {
            self.table_places.push(c.email_place().clone());
            FirstSeen::Table(u32::try_from(self.table_places.len() - 1).unwrap_or(u32::MAX))
        };
        let valid = c.timezone.is_some() && c.working_hours.is_some() && c.night.is_some();
        let slot = if valid {
            Slot::at(self.participants.len())
        } else {
            Slot::INVALID
        };
        vacant.insert((slot, first));
        self.settle(ctx, c);
    }

    /// The rest of [`People::add`] for a participant whose e-mail is new: their problems, the
    /// counts of fixed offsets and languages, and the participant when valid.
    fn settle(&mut self, ctx: &mut Ctx<'_>, c: Checked) {
        ctx.diags.extend(c.problems);
        let places = c.places.as_deref();
        if let Some(z) = &c.timezone
            && z.is_fixed()
        {
            let place = places.map_or(&c.location, |p| &p.zone);
            ctx.fixed_zones
                .entry(z.written.clone())
                .or_insert_with(|| (place.clone(), 0))
                .1 += 1;
        }
        let language = self.languages.count(
            c.language,
            places
                .and_then(|p| p.language.as_ref())
                .unwrap_or(&c.location),
        );
        if let (Some(timezone), Some(wh), Some(nt)) = (c.timezone, c.working_hours, c.night) {
            self.participants.push(Participant {
                name: c.name,
                email: c.email,
                timezone,
                groups: c.groups,
                working_hours: wh,
                night: nt,
                weekend: c.weekend,
                busy: c.busy,
                required: c.required,
                language,
            });
        }
    }
}

/// A participant's e-mail: an address, with no invisible character (an error) and no letter
/// that only looks Latin (a warning).
fn check_email(problems: &mut Vec<Diagnostic>, email: &str, place: &Location, in_csv: bool) {
    if !plausible_email(email) {
        problem(
            problems,
            place,
            format!(
                "{}`{}` is not an e-mail address",
                col(in_csv, "email"),
                email
            ),
            Some("write it as name@example.org".into()),
        );
    }
    if let Some(c) = super::email::invisible_char(email) {
        problem(
            problems,
            place,
            format!(
                "{}the e-mail `{}` contains the invisible character U+{:04X}",
                col(in_csv, "email"),
                email.escape_debug(),
                u32::from(c)
            ),
            Some("delete it (it makes two addresses look the same while they differ); retype the address if unsure".into()),
        );
    }
    if let Some(c) = super::email::confusable_char(email) {
        problems.push(
            Diagnostic::warning(
                Some(place.clone()),
                format!(
                    "{}the e-mail `{}` mixes Latin letters with U+{:04X} `{c}`, a letter that looks like a Latin one",
                    col(in_csv, "email"),
                    email,
                    u32::from(c)
                ),
            )
            .with_help("retype the address in one script; invitations to a look-alike address reach someone else or no one"),
        );
    }
}

/// A participant's zone (a fixed offset is counted by [`People::settle`]).
fn participant_zone(
    problems: &mut Vec<Diagnostic>,
    text: &str,
    place: &Location,
    in_csv: bool,
) -> Option<ZoneSpec> {
    match text.parse::<ZoneSpec>() {
        Ok(z) => Some(z),
        Err(e) => {
            problem(
                problems,
                place,
                format!("{}{}", col(in_csv, "timezone"), e.message),
                e.help,
            );
            None
        }
    }
}

/// A participant's weekend days; a day not understood is reported (at its place in a table,
/// else on the row's line `at`) and left out.
fn weekend(
    problems: &mut Vec<Diagnostic>,
    days: &[String],
    places: Option<&[Location]>,
    at: &Location,
    in_csv: bool,
) -> Vec<chrono::Weekday> {
    let mut parsed = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let Some(l) = nth_place(places, i, at) else {
            break;
        };
        match crate::weekend::parse_day(d) {
            Some(w) => parsed.push(w),
            None => problem(problems, l, format!("{}`{d}` is not a day of the week", col(in_csv, "weekend")), Some("write days as mon, tue, wed, thu, fri, sat, sun (e.g. weekend = [\"fri\", \"sat\"])".into())),
        }
    }
    parsed
}

/// Where a participant's busy calendar comes from: `env:NAME`, a web address, or a file
/// relative to the programme.
fn busy_source(programme: &Path, written: &str) -> super::BusySource {
    if let Some(name) = written.trim().strip_prefix("env:") {
        super::BusySource::Env(name.trim().to_string())
    } else if crate::busy::fetch::is_address(written) {
        super::BusySource::Url(written.trim().to_string())
    } else {
        super::BusySource::File(resolve_relative(programme, written))
    }
}

/// `required`: yes or no in any of their usual spellings; nothing is no.
fn required(problems: &mut Vec<Diagnostic>, row: &Row, in_csv: bool) -> bool {
    match row
        .required
        .as_deref()
        .map(|v| v.trim().to_ascii_lowercase())
    {
        None => false,
        Some(v) if ["yes", "y", "true", "1", "x"].contains(&v.as_str()) => true,
        Some(v) if ["no", "n", "false", "0"].contains(&v.as_str()) => false,
        Some(_) => {
            problem(
                problems,
                &row.location,
                format!(
                    "{}`{}` is not yes or no",
                    col(in_csv, "required"),
                    row.required.as_deref().unwrap_or_default()
                ),
                Some("write yes for hosts, facilitators and interpreters who must attend every planned session inside their hours; no or nothing for everyone else".into()),
            );
            false
        }
    }
}

/// Whether `id` is a valid programme, session or group id.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// A civil date-time from a TOML string or local date-time.
pub(super) fn parse_civil(value: &toml::Value) -> std::result::Result<NaiveDateTime, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => {
            if d.offset.is_some() {
                return Err(format!(
                    "({d}) carries a UTC offset; roundtable stores civil time and a zone, never an offset for a future event"
                ));
            }
            d.to_string()
        }
        other => return Err(format!("must be a date-time, not a {}", other.type_str())),
    };
    let t = text.trim();
    if t.ends_with('Z')
        || t.get(19..).is_some_and(|rest| rest.contains(['+', '-']))
        || t.get(16..).is_some_and(|rest| rest.starts_with(['+', '-']))
    {
        return Err(format!(
            "`{text}` carries a UTC offset; roundtable stores civil time and a zone, never an offset for a future event"
        ));
    }
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(c) = NaiveDateTime::parse_from_str(t, format) {
            // chrono reads years up to ±262,142, where adding an offset or a duration overflows.
            if !(1..=9999).contains(&chrono::Datelike::year(&c)) {
                return Err(format!(
                    "`{text}` is out of range: write a year from 1 to 9999"
                ));
            }
            return Ok(c);
        }
    }
    if NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() {
        return Err(format!("`{text}` has no time of day"));
    }
    Err(format!("`{text}` is not a date-time"))
}

/// Reads and validates the programme at `path`, its participants CSV's rows checked on up to
/// `jobs` threads (the result does not depend on their number).
pub fn load(path: &Path, jobs: Jobs) -> Result<Loaded> {
    let text = read_text(path)?;
    let text = text.as_str();
    let (raw, early) = parse_all(path, text);
    let Some(raw) = raw else {
        return Err(Error::Invalid(early));
    };
    let mut ctx = Ctx {
        file: path,
        text,
        diags: {
            let mut diags = Diagnostics::new(path);
            diags.extend(early);
            diags
        },
        fixed_zones: BTreeMap::new(),
    };
    let programme = build(&mut ctx, raw, path, jobs);
    for (written, (location, count)) in std::mem::take(&mut ctx.fixed_zones) {
        ctx.diags
            .push(fixed_zone_warning(&written, location, count));
    }
    let (mut problems, warnings) = ctx.diags.finish();
    if !problems.is_empty() {
        sort_by_place(&mut problems);
        return Err(Error::Invalid(problems));
    }
    match programme {
        Some(programme) => {
            let mut warnings = warnings;
            warnings.extend(empty_audiences(&programme));
            Ok(Loaded {
                programme,
                warnings,
            })
        }
        None => Err(Error::Invalid(problems)),
    }
}

/// The programme file's text: bounded read, UTF-8, byte-order mark dropped, not blank.
fn read_text(path: &Path) -> Result<String> {
    let bytes = match crate::input::read(path, crate::input::MAX_PROGRAMME_BYTES) {
        Ok(b) => b,
        Err(crate::input::ReadError::Io(e)) => return Err(Error::io(path, e)),
        Err(e) => {
            return Err(Error::one(e.diagnostic("the programme file", path, None)));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let prefix =
                String::from_utf8_lossy(e.as_bytes().get(..good).unwrap_or_default()).into_owned();
            let location = Location::at_offset(path, &prefix, prefix.len());
            return Err(Error::one(
                Diagnostic::error(Some(location), "the file is not valid UTF-8")
                    .with_help("save it as UTF-8"),
            ));
        }
    };
    // Without a byte-order mark (the usual case) the text is not copied.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(Error::one(
            Diagnostic::error(Some(Location::file(path)), "the programme file is empty")
                .with_help("start with a [programme] table; see docs/programme-format.md"),
        ));
    }
    Ok(text)
}

/// The warning on a fixed offset (`UTC-3`, `Etc/GMT+3`, `EST`) used `count` times, first at
/// `location`.
fn fixed_zone_warning(written: &str, location: Location, count: usize) -> Diagnostic {
    let more = if count > 1 {
        format!(" (used {count} times; first here)")
    } else {
        String::new()
    };
    // Etc/GMT+3 is three hours *behind* UTC: say so, people read it the other way.
    let posix = match written.parse::<ZoneSpec>() {
        Ok(z) if written.starts_with("Etc/") => {
            let offset = z.zone.offset_at(chrono::DateTime::UNIX_EPOCH);
            format!(
                ", {} (the POSIX sign of Etc/ names is the reverse of what invitations mean)",
                crate::zone::describe_offset(offset)
            )
        }
        _ => String::new(),
    };
    let (posix, help) = match crate::zone::fixed_abbreviation(written) {
        Some(meant) => {
            let offset = written
                .parse::<ZoneSpec>()
                .map(|z| {
                    crate::zone::describe_offset(z.zone.offset_at(chrono::DateTime::UNIX_EPOCH))
                })
                .unwrap_or_default();
            (
                format!(", {offset} all year (summer included)"),
                match meant {
                    [with_dst, without] => format!(
                        "write the IANA name of the place: for {written} probably {with_dst} (with DST) or {without} (without)"
                    ),
                    _ => format!(
                        "write the IANA name of the place: for {written} probably {}",
                        meant.join(" or ")
                    ),
                },
            )
        }
        None => (
            posix,
            "if the place observes DST, use its IANA name (e.g. America/Sao_Paulo) instead"
                .to_string(),
        ),
    };
    Diagnostic::warning(
        Some(location),
        format!(
            "`{written}` is a fixed offset{posix} and does not follow daylight-saving time{more}"
        ),
    )
    .with_help(help)
}

/// Each file's problems in line order (CSV format errors are found after value errors).
fn sort_by_place(problems: &mut [Diagnostic]) {
    let mut files: Vec<std::sync::Arc<Path>> = Vec::new();
    for d in problems.iter() {
        if let Some(l) = &d.location
            && !files.contains(&l.file)
        {
            files.push(l.file.clone());
        }
    }
    problems.sort_by_key(|d| {
        d.location.as_ref().map_or((usize::MAX, 0, 0), |l| {
            (
                files
                    .iter()
                    .position(|f| *f == l.file)
                    .unwrap_or(usize::MAX),
                l.line.unwrap_or(0),
                l.column.unwrap_or(0),
            )
        })
    });
}

/// A warning for each session whose audience resolves to nobody: its invitation would be a
/// REQUEST without a single ATTENDEE.
fn empty_audiences(programme: &Programme) -> Vec<Diagnostic> {
    programme
        .sessions
        .iter()
        .filter(|s| !programme.participants.iter().any(|p| s.audience.includes(p)))
        .map(|s| {
            let (who, fix) = match &s.audience {
                super::Audience::All => (
                    "the programme has no participants".to_string(),
                    "add participants ([[participant]] tables or a `participants` CSV)",
                ),
                super::Audience::Groups(groups) => (
                    format!(
                        "no participant is in {} {}",
                        if groups.len() > 1 { "groups" } else { "group" },
                        groups
                            .iter()
                            .filter_map(|g| programme.groups.get(*g))
                            .map(|g| format!("`{}`", g.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "add members to the groups (`members`, `zones`, or a participant's `groups`), or change the session's `audience`",
                ),
            };
            Diagnostic::warning(
                Some(s.location.clone()),
                format!(
                    "session `{}` has an empty audience: {who}, so its invitation goes to no one",
                    s.id
                ),
            )
            .with_help(fix)
        })
        .collect()
}

/// Errors a key-value line is to blame for (an unknown key, a value of the wrong type): after one,
/// the line is blanked out (keeping every byte offset) and the file read again, so that every
/// such problem is reported at once. Syntax errors stop the reading.
fn is_line_error(message: &str) -> bool {
    [
        "unknown field",
        "invalid type",
        "invalid value",
        "invalid length",
    ]
    .iter()
    .any(|p| message.starts_with(p))
}

/// Reads the file, collecting every key-level problem (at most 50).
fn parse_all(path: &Path, text: &str) -> (Option<RawFile>, Vec<Diagnostic>) {
    let mut masked = text.to_string();
    let mut problems = Vec::new();
    loop {
        match toml::from_str::<RawFile>(&masked) {
            Ok(raw) if problems.is_empty() => return (Some(raw), problems),
            // The file is readable once the faulty lines are left out: validate the rest too.
            Ok(raw) => return (Some(raw), problems),
            Err(e) => {
                let message = e.message().trim().to_string();
                // After masking, only more errors of the same kind are trustworthy.
                if !problems.is_empty() && !is_line_error(&message) {
                    return (None, problems);
                }
                problems.push(toml_problem(path, text, &e));
                let line = e.span().map(|s| s.start).and_then(|start| {
                    let begin = masked[..start.min(masked.len())]
                        .rfind('\n')
                        .map_or(0, |i| i + 1);
                    let end = masked[begin..]
                        .find('\n')
                        .map_or(masked.len(), |i| begin + i);
                    let line = &masked[begin..end];
                    (line.contains('=') && !line.trim_start().starts_with('['))
                        .then_some((begin, end))
                });
                match line {
                    Some((begin, end)) if is_line_error(&message) && problems.len() < 50 => {
                        let blank: String = masked[begin..end]
                            .chars()
                            .map(|c| if c.is_ascii() { ' ' } else { c })
                            .collect();
                        masked.replace_range(begin..end, &blank);
                    }
                    _ => return (None, problems),
                }
            }
        }
    }
}

/// The key of the `key = value` line at `offset`, if there is one.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let begin = text
        .get(..offset.min(text.len()))?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text.get(begin..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

/// The help for an unknown key: the nearest allowed key, or the keys allowed there (`rest` is
/// the toml message after "unknown field `", which lists them as "expected `a`, `b`").
fn unknown_key_help(field: &str, rest: &str) -> String {
    let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
    let pool: &[&str] = if expected.is_empty() {
        KNOWN_KEYS
    } else {
        &expected
    };
    match did_you_mean(field, pool.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if !expected.is_empty() => {
            format!("the keys allowed here are: {}", expected.join(", "))
        }
        None => "remove it; docs/programme-format.md lists every key".into(),
    }
}

/// Where `key` is first set in the table that holds `offset`, searching back to the table's
/// header (for a duplicate key's message).
fn first_line_of_key(path: &Path, text: &str, offset: usize, key: &str) -> Option<Location> {
    let before = text.get(..offset).unwrap_or_default();
    let table_start = before.rfind("\n[").map_or(0, |i| i + 1);
    before.get(table_start..).and_then(|t| {
        t.lines()
            .scan(table_start, |pos, l| {
                let at = *pos;
                *pos += l.len() + 1;
                Some((at, l))
            })
            .find(|(_, l)| {
                l.split_once('=')
                    .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
            })
            .map(|(at, _)| Location::at_offset(path, text, at))
    })
}

fn toml_problem(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let location = e.span().map_or_else(
        || Location::file(path),
        |s| Location::at_offset(path, text, s.start),
    );
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(Some(location), message.clone());
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        d.message = format!("unknown key `{field}`");
        d.help = Some(unknown_key_help(field, rest));
    } else if message.starts_with("missing field") {
        d.help = Some("docs/programme-format.md lists the required keys of each table".into());
    } else if message.contains("escape") {
        d.help = Some("in a \"...\" string a backslash starts an escape: write \\\\ for a backslash, or use a literal string in single quotes ('C:\\files')".into());
    } else if message.starts_with("duplicate key") {
        let offset = e.span().map_or(0, |s| s.start);
        if let Some(key) = key_at(text, offset) {
            d.message = match first_line_of_key(path, text, offset, &key) {
                Some(f) => format!("duplicate key `{key}` (first at {f})"),
                None => format!("duplicate key `{key}`"),
            };
        }
        d.help = Some("keep one of the two lines".into());
    } else if message.starts_with("invalid type: map, expected") {
        let table = e
            .span()
            .and_then(|s| text.get(s.start..))
            .and_then(|t| t.lines().next())
            .map(|l| l.trim().trim_matches(['[', ']']).to_string());
        if let Some(name) = table {
            d.message = format!(
                "`{name}` is written as a list of tables ([[{name}]]) where one table is expected"
            );
            d.help = Some(format!("write it once as [{name}]"));
        }
    } else if let Some(key) = e.span().and_then(|s| key_at(text, s.start)) {
        d.message = format!("`{key}`: {message}");
        d.help = Some(if message.contains("expected a sequence") {
            let value = e
                .span()
                .and_then(|s| text.get(s.start..s.end))
                .unwrap_or("\"...\"");
            format!("write a list: {key} = [{value}]")
        } else {
            "see docs/programme-format.md for the type of each key".into()
        });
    } else {
        d.help = Some("see docs/programme-format.md for the file format".into());
    }
    d
}

/// The programme-wide settings of `[programme]`, each `None` where its value was wrong (already
/// reported).
struct Settings {
    timezone: Option<ZoneSpec>,
    working_hours: Option<HoursRange>,
    night: Option<HoursRange>,
    disambiguation: Option<Disambiguation>,
    reminder: Option<chrono::Duration>,
    organizer_email: String,
}

/// The `[[group]]` tables, validated: the groups, where each `members` entry was written, and
/// id → index.
struct Groups {
    groups: Vec<Group>,
    member_locations: Vec<Vec<Location>>,
    index: HashMap<String, usize>,
}

fn build(ctx: &mut Ctx<'_>, raw: RawFile, path: &Path, jobs: Jobs) -> Option<Programme> {
    let p = raw.programme;
    ctx.id("programme", &p.id);
    let settings = settings(ctx, &p);
    let Groups {
        groups,
        member_locations,
        index: group_index,
    } = groups(ctx, &raw.groups);
    let group_ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let unknown_group = |id: &str| unknown_group_help(&group_ids, id);

    let (mut participants, seen_emails, language) = participants(
        ctx,
        &raw.participants,
        (p.participants.as_ref(), p.language.as_ref()),
        (path, jobs),
        &settings,
        &group_index,
        &unknown_group,
    )?;
    members(
        ctx,
        &groups,
        &member_locations,
        &mut participants,
        &seen_emails,
    );
    zone_membership(&groups, &mut participants);

    let sessions = sessions(
        ctx,
        &raw.sessions,
        settings.timezone.as_ref(),
        settings.disambiguation,
        &group_index,
        &unknown_group,
    );
    check_previous_ids(ctx, &raw.sessions);
    let uid_domain = uid_domain(ctx, p.uid_domain.as_ref());

    Some(Programme {
        source: path.to_path_buf(),
        id: p.id.get_ref().clone(),
        title: p.title,
        timezone: settings.timezone?,
        organizer: Organizer {
            name: p.organizer.name,
            email: settings.organizer_email,
        },
        description: p.description,
        url: p.url,
        working_hours: settings.working_hours?,
        night: settings.night?,
        disambiguation: settings.disambiguation?,
        groups,
        sessions,
        participants,
        reminder: settings.reminder,
        busy_dir: p
            .busy_dir
            .as_ref()
            .map(|d| resolve_relative(path, d.get_ref())),
        busy_urls: p
            .busy_urls
            .as_ref()
            .map(|d| resolve_relative(path, d.get_ref())),
        public_names: p.public_names.unwrap_or(false),
        uid_domain,
        language,
    })
}

/// The participants: `[[participant]]` tables, then the CSV's rows (checked on up to `jobs`
/// threads), validated one at a time; with each normalised e-mail's index. `None` past [`MAX_PARTICIPANTS`] (reported).
#[allow(clippy::type_complexity)]
fn participants<'a>(
    ctx: &mut Ctx<'_>,
    tables: &[Spanned<RawParticipant>],
    (csv, language): (Option<&Spanned<String>>, Option<&Spanned<String>>),
    (path, jobs): (&'a Path, Jobs),
    settings: &Settings,
    group_index: &'a HashMap<String, usize>,
    unknown_group: &'a (dyn Fn(&str) -> Option<String> + Sync),
) -> Option<(
    Vec<Participant>,
    HashMap<Box<str>, (Slot, FirstSeen)>,
    crate::i18n::Lang,
)> {
    // Participants: tables, then CSV rows, validated one at a time.
    let mut people = People {
        rules: Rules {
            programme: path,
            working_hours: settings.working_hours,
            night: settings.night,
            group_index,
            unknown_group,
        },
        participants: Vec::new(),
        seen_emails: HashMap::new(),
        table_places: Vec::new(),
        count: 0,
        languages: {
            let at = language
                .as_ref()
                .map(|v| (v.get_ref().as_str(), ctx.at(v.span())));
            super::language::Languages::new(at, &mut ctx.diags)
        },
    };
    for t in tables {
        let (row, places) = table_row(ctx, t);
        let checked = people.rules.check(row, Some(Box::new(places)));
        people.add(ctx, checked);
    }
    if let Some(csv) = csv {
        add_csv(ctx, &mut people, (path, jobs), csv);
    }
    if people.count > MAX_PARTICIPANTS {
        ctx.error(
            Location::file(path),
            format!(
                "the programme has {} participants, more than the limit of {MAX_PARTICIPANTS}",
                people.count
            ),
            Some("split it into several programmes".into()),
        );
        return None;
    }
    let language = people.languages.default;
    let People {
        participants,
        seen_emails,
        languages,
        ..
    } = people;
    languages.finish(&mut ctx.diags);
    Some((participants, seen_emails, language))
}

/// Zone, hours, policy, reminder and organizer e-mail of `[programme]`, with their defaults.
fn settings(ctx: &mut Ctx<'_>, p: &RawProgramme) -> Settings {
    let timezone = ctx.zone(p.timezone.get_ref(), ctx.at(p.timezone.span()));
    let working_hours = match &p.working_hours {
        Some(h) => ctx.hours(h.get_ref(), ctx.at(h.span())),
        None => Some(HoursRange {
            start: 8 * 60,
            end: 20 * 60,
        }),
    };
    let night = match &p.night {
        Some(h) => ctx.hours(h.get_ref(), ctx.at(h.span())),
        None => Some(HoursRange {
            start: 22 * 60,
            end: 6 * 60,
        }),
    };
    let disambiguation = match &p.disambiguation {
        Some(d) => ctx.disambiguation(d),
        None => Some(Disambiguation::Reject),
    };
    let reminder = ctx.reminder(&p.reminder);
    let organizer_email = p.organizer.email.get_ref().trim().to_string();
    if !plausible_email(&organizer_email) {
        let location = ctx.at(p.organizer.email.span());
        ctx.error(
            location,
            format!("organizer email `{organizer_email}` is not an e-mail address"),
            Some("write it as name@example.org".into()),
        );
    }
    Settings {
        timezone,
        working_hours,
        night,
        disambiguation,
        reminder,
        organizer_email,
    }
}

/// The `[[group]]` tables; a group whose id is taken is reported and left out.
fn groups(ctx: &mut Ctx<'_>, raw: &[Spanned<RawGroup>]) -> Groups {
    let mut out = Groups {
        groups: Vec::new(),
        member_locations: Vec::new(),
        index: HashMap::new(),
    };
    for g in raw {
        let g = g.get_ref();
        ctx.id("group", &g.id);
        if out.index.contains_key(g.id.get_ref()) {
            let location = ctx.at(g.id.span());
            let first_at = raw
                .iter()
                .filter(|o| o.get_ref().id.get_ref() == g.id.get_ref())
                .map(|o| ctx.at(o.get_ref().id.span()))
                .next();
            ctx.error(
                location,
                format!(
                    "group id `{}` is used twice (first at {})",
                    g.id.get_ref(),
                    first_at.map_or_else(String::new, |l| l.to_string())
                ),
                Some("give every [[group]] its own id".into()),
            );
            continue;
        }
        for z in &g.zones {
            if z.get_ref().trim().is_empty() {
                let location = ctx.at(z.span());
                ctx.error(
                    location,
                    "an empty zone pattern matches nothing",
                    Some("write a pattern such as \"Africa/*\"".into()),
                );
            }
        }
        out.member_locations
            .push(g.members.iter().map(|m| ctx.at(m.span())).collect());
        out.index.insert(g.id.get_ref().clone(), out.groups.len());
        out.groups.push(Group {
            id: g.id.get_ref().clone(),
            title: g.title.clone(),
            zones: g
                .zones
                .iter()
                .map(|z| z.get_ref().trim().to_string())
                .collect(),
            members: g
                .members
                .iter()
                .map(|m| m.get_ref().trim().to_string())
                .collect(),
            required: g.required.unwrap_or(false),
        });
    }
    out
}

/// The help for a group id that no `[[group]]` defines.
fn unknown_group_help(group_ids: &[String], id: &str) -> Option<String> {
    Some(
        match did_you_mean(id, group_ids.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if group_ids.is_empty() => "define it with a [[group]] table".into(),
            None => format!(
                "the groups are: {}; or define it with a [[group]] table",
                group_ids.join(", ")
            ),
        },
    )
}

/// A `[[participant]]` table as the row a CSV line would give, and where each value is.
fn table_row(ctx: &Ctx<'_>, t: &Spanned<RawParticipant>) -> (Row, Places) {
    let location = ctx.at(t.span());
    let t = t.get_ref();
    let row = Row {
        name: t.name.clone(),
        email: t.email.get_ref().trim().to_string(),
        timezone: t.timezone.get_ref().clone(),
        groups: t.groups.iter().map(|g| g.get_ref().clone()).collect(),
        working_hours: t.working_hours.as_ref().map(|h| h.get_ref().clone()),
        night: t.night.as_ref().map(|h| h.get_ref().clone()),
        weekend: t
            .weekend
            .as_ref()
            .map(|w| w.iter().map(|d| d.get_ref().clone()).collect()),
        busy: t.busy.as_ref().map(|b| b.get_ref().clone()),
        required: t.required.map(|r| if r { "yes" } else { "no" }.to_string()),
        language: t.language.as_ref().map(|v| v.get_ref().clone()),
        location,
    };
    let places = Places {
        groups: t.groups.iter().map(|g| ctx.at(g.span())).collect(),
        email: ctx.at(t.email.span()),
        zone: ctx.at(t.timezone.span()),
        working_hours: t.working_hours.as_ref().map(|h| ctx.at(h.span())),
        night: t.night.as_ref().map(|h| ctx.at(h.span())),
        weekend: t
            .weekend
            .as_ref()
            .map(|w| w.iter().map(|d| ctx.at(d.span())).collect()),
        busy: t.busy.as_ref().map(|b| ctx.at(b.span())),
        language: t.language.as_ref().map(|v| ctx.at(v.span())),
    };
    (row, places)
}

/// Rows from which a participants CSV is checked on the jobs threads: below, the threads would
/// cost more than they save.
const PARALLEL_ROWS: usize = 1024;

/// The participants CSV `csv` names (relative to the programme), read and validated row by row
/// (each row checked on its own on the jobs threads, then added in the file's order).
fn add_csv(
    ctx: &mut Ctx<'_>,
    people: &mut People<'_>,
    (path, jobs): (&Path, Jobs),
    csv: &Spanned<String>,
) {
    let csv_path = resolve_relative(path, csv.get_ref());
    match participants_rows(&csv_path) {
        Ok(rows) => {
            // One row per line at most: reserving once avoids holding the table twice
            // while a growing Vec moves (100,000 participants are ~14 MB).
            people.participants.reserve(rows.min(MAX_PARTICIPANTS));
            // And the e-mails seen: a map that grows rehashes every key it already holds.
            people.seen_emails.reserve(rows.min(MAX_PARTICIPANTS));
            let jobs = if rows >= PARALLEL_ROWS {
                jobs
            } else {
                Jobs::ONE
            };
            let rules = people.rules;
            let problems = match crate::input::open_capped(&csv_path, crate::input::MAX_CSV_BYTES) {
                Ok(f) => participants::parse_with(
                    &csv_path,
                    std::io::BufReader::with_capacity(64 * 1024, f),
                    jobs,
                    &|row| rules.check(row, None),
                    &mut |checked| people.add(ctx, checked),
                ),
                Err(e) => vec![e.diagnostic("the participants file", &csv_path, None)],
            };
            // The CSV's errors, and its warnings (columns ignored, a zone that does not fit the
            // country).
            ctx.diags.extend(problems);
        }
        Err(e) => {
            let location = ctx.at(csv.span());
            let help = if e.is_not_found() {
                "the path is relative to the programme file's folder"
            } else {
                e.help()
            };
            ctx.error(
                location,
                e.message("the participants file", &csv_path),
                Some(help.into()),
            );
        }
    }
}

/// Group membership by `members`: each e-mail listed must be a participant's.
fn members(
    ctx: &mut Ctx<'_>,
    groups: &[Group],
    member_locations: &[Vec<Location>],
    participants: &mut [Participant],
    seen_emails: &HashMap<Box<str>, (Slot, FirstSeen)>,
) {
    for (gi, group) in groups.iter().enumerate() {
        for (m, location) in group.members.iter().zip(&member_locations[gi]) {
            let key = super::email::normalise(m);
            match seen_emails.get(key.as_str()) {
                Some(&(slot, _)) if let Some(pi) = slot.index() => participants[pi].groups.push(gi),
                // A participant whose own row had an error: already reported.
                Some(_) => {}
                None => {
                    let help = did_you_mean(m, participants.iter().map(|p| p.email.as_str()))
                        .map_or_else(
                            || {
                                "add a participant with this e-mail, or remove it from `members`"
                                    .to_string()
                            },
                            |s| format!("did you mean `{s}`?"),
                        );
                    ctx.error(
                        location.clone(),
                        format!("group `{}` lists `{m}`, who is not a participant", group.id),
                        Some(help),
                    );
                }
            }
        }
    }
}

/// Group membership by zone pattern; then each participant's groups sorted, and `required` set
/// by a required group.
fn zone_membership(groups: &[Group], participants: &mut [Participant]) {
    for p in participants {
        for (gi, g) in groups.iter().enumerate() {
            if g.zones
                .iter()
                .any(|pat| super::zone_matches(pat, &p.timezone.written))
            {
                p.groups.push(gi);
            }
        }
        p.groups.sort_unstable();
        p.groups.dedup();
        if p.groups.iter().any(|&g| groups[g].required) {
            p.required = true;
        }
    }
}

/// The `[[session]]` tables; a session whose id is taken is reported and left out.
fn sessions(
    ctx: &mut Ctx<'_>,
    raw: &[Spanned<RawSession>],
    programme_zone: Option<&ZoneSpec>,
    disambiguation: Option<Disambiguation>,
    group_index: &HashMap<String, usize>,
    unknown_group: &dyn Fn(&str) -> Option<String>,
) -> Vec<Session> {
    let mut sessions = Vec::new();
    let mut session_ids: HashMap<String, Location> = HashMap::new();
    for s in raw {
        let location = ctx.at(s.span());
        let s = s.get_ref();
        ctx.id("session", &s.id);
        let id_loc = ctx.at(s.id.span());
        if let Some(first) = session_ids.get(s.id.get_ref()) {
            let first = first.to_string();
            ctx.error(
                id_loc,
                format!(
                    "session id `{}` is used twice (first at {first})",
                    s.id.get_ref()
                ),
                Some("give every [[session]] its own id".into()),
            );
            continue;
        }
        session_ids.insert(s.id.get_ref().clone(), id_loc);
        if let Some(session) = session(
            ctx,
            s,
            location,
            programme_zone,
            disambiguation,
            group_index,
            unknown_group,
        ) {
            sessions.push(session);
        }
    }
    sessions
}

fn session(
    ctx: &mut Ctx<'_>,
    s: &RawSession,
    location: Location,
    programme_zone: Option<&ZoneSpec>,
    programme_policy: Option<Disambiguation>,
    group_index: &HashMap<String, usize>,
    unknown_group: &dyn Fn(&str) -> Option<String>,
) -> Option<Session> {
    let timezone = match &s.timezone {
        Some(z) => ctx.zone(z.get_ref(), ctx.at(z.span())),
        None => programme_zone.cloned(),
    };
    let start = ctx.civil("start", &s.start);
    let length = length(ctx, s, &location, start)?;
    let audience = audience(ctx, s, group_index, unknown_group);
    let repeat = repeat(ctx, s)?;
    let except = except(ctx, s, repeat.is_some());
    let disambiguation = match &s.disambiguation {
        Some(d) => ctx.disambiguation(d),
        None => programme_policy,
    };
    let overrides = super::overrides::read(ctx.file, ctx.text, s, repeat.is_some(), &mut ctx.diags);
    Some(Session {
        id: s.id.get_ref().clone(),
        title: s.title.clone(),
        timezone: timezone?,
        start: start?,
        length: length?,
        audience: audience?,
        repeat,
        except,
        join_url: s.join_url.clone(),
        description: s.description.clone(),
        disambiguation: disambiguation?,
        reminder: ctx.reminder(&s.reminder),
        previous_id: s.previous_id.as_ref().map(|p| p.get_ref().clone()),
        start_location: ctx.at(s.start.span()),
        repeat_location: s.repeat.as_ref().map(|r| ctx.at(r.span())),
        overrides,
        titles: super::language::titles(ctx.file, ctx.text, s.titles.as_ref(), &mut ctx.diags),
        languages: super::language::session_languages(
            ctx.file,
            ctx.text,
            s.languages.as_deref(),
            &mut ctx.diags,
        ),
        interpretation: s.interpretation.clone(),
        join_urls: super::language::join_urls(
            ctx.file,
            ctx.text,
            s.join_urls.as_ref(),
            &mut ctx.diags,
        ),
        location,
    })
}

/// The session's length from `duration` or `end` (exactly one of them); `None` when the
/// session cannot be read further, `Some(None)` when the problem is reported and reading goes on.
fn length(
    ctx: &mut Ctx<'_>,
    s: &RawSession,
    location: &Location,
    start: Option<NaiveDateTime>,
) -> Option<Option<Length>> {
    Some(match (&s.duration, &s.end) {
        (Some(_), Some(e)) => {
            let location = ctx.at(e.span());
            ctx.error(
                location,
                format!("session `{}` has both `duration` and `end`", s.id.get_ref()),
                Some("keep one of them".into()),
            );
            None
        }
        (None, None) => {
            ctx.error(
                location.clone(),
                format!(
                    "session `{}` has neither `duration` nor `end`",
                    s.id.get_ref()
                ),
                Some("add duration = \"2h\" or end = \"2023-11-15T11:00\"".into()),
            );
            None
        }
        (Some(d), None) => match parse_duration(d.get_ref()) {
            Ok(d) => Some(Length::Elapsed(d)),
            Err(e) => {
                let location = ctx.at(d.span());
                ctx.error(location, e, None);
                None
            }
        },
        (None, Some(e)) => {
            let end = ctx.civil("end", e)?;
            if let Some(start) = start {
                let minutes = (end - start).num_minutes();
                if end <= start {
                    let location = ctx.at(e.span());
                    ctx.error(
                        location,
                        format!("`end` ({end}) is not after `start` ({start})"),
                        Some(
                            "`end` is a civil date-time in the session's zone, later than `start`"
                                .into(),
                        ),
                    );
                    return None;
                }
                if minutes > crate::duration::MAX_MINUTES {
                    let location = ctx.at(e.span());
                    ctx.error(
                        location,
                        format!(
                            "`end` is {} hours after `start`; a session lasts at most 24 hours",
                            minutes / 60
                        ),
                        Some("split a multi-day event into one session per day".into()),
                    );
                    return None;
                }
            }
            Some(Length::End(end))
        }
    })
}

/// `audience`: "all" or a non-empty list of group ids.
fn audience(
    ctx: &mut Ctx<'_>,
    s: &RawSession,
    group_index: &HashMap<String, usize>,
    unknown_group: &dyn Fn(&str) -> Option<String>,
) -> Option<Audience> {
    match s.audience.get_ref() {
        toml::Value::String(a) if a == "all" => Some(Audience::All),
        toml::Value::String(a) => {
            let location = ctx.at(s.audience.span());
            let help = if group_index.contains_key(a) {
                Some(format!("write a list: audience = [\"{a}\"]"))
            } else {
                Some("write \"all\" or a list of group ids".into())
            };
            ctx.error(
                location,
                format!("audience `{a}` is neither \"all\" nor a list of groups"),
                help,
            );
            None
        }
        toml::Value::Array(items) if !items.is_empty() => {
            let mut ids = Vec::new();
            let location = ctx.at(s.audience.span());
            for item in items {
                match item.as_str() {
                    Some(g) => match group_index.get(g) {
                        Some(i) => ids.push(*i),
                        None => ctx.error(
                            location.clone(),
                            format!(
                                "unknown group `{g}` in the audience of session `{}`",
                                s.id.get_ref()
                            ),
                            unknown_group(g),
                        ),
                    },
                    None => ctx.error(
                        location.clone(),
                        "an audience lists group ids as strings",
                        None,
                    ),
                }
            }
            ids.sort_unstable();
            ids.dedup();
            Some(Audience::Groups(ids))
        }
        _ => {
            let location = ctx.at(s.audience.span());
            ctx.error(
                location,
                "`audience` must be \"all\" or a non-empty list of group ids",
                None,
            );
            None
        }
    }
}

/// `repeat`, checked strictly, then parsed; `None` when it is wrong (reported), which ends the
/// session's reading.
fn repeat(ctx: &mut Ctx<'_>, s: &RawSession) -> Option<Option<Rule>> {
    if let Some(r) = &s.repeat
        && let Err(e) = crate::recurrence::check_strict(r.get_ref().trim())
    {
        let location = ctx.at(r.span());
        ctx.error(
            location,
            format!("`repeat` is not a valid RRULE: {}", e.message),
            Some(e.help),
        );
        return None;
    }
    Some(match &s.repeat {
        Some(r) => match r.get_ref().parse::<Rule>() {
            Ok(rule) => Some(rule),
            Err(e) => {
                let location = ctx.at(r.span());
                ctx.error(location, format!("`repeat` is not a valid RRULE: {e}"), Some("write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20231219T235959".into()));
                return None;
            }
        },
        None => None,
    })
}

/// `except`: the civil starts a series leaves out, and where each was written.
fn except(ctx: &mut Ctx<'_>, s: &RawSession, has_repeat: bool) -> Vec<(NaiveDateTime, Location)> {
    let mut except = Vec::new();
    for e in &s.except {
        let location = ctx.at(e.span());
        if let Some(c) = ctx.civil("except", e) {
            except.push((c, location));
        }
    }
    if !has_repeat && !except.is_empty() {
        let location = ctx.at(s.except[0].span());
        ctx.error(
            location,
            format!("session `{}` has `except` but no `repeat`", s.id.get_ref()),
            Some("`except` drops occurrences of a recurring session; remove it".into()),
        );
    }
    except
}

/// Each `previous_id` (a renamed session keeps its earlier id's UID): an id, not a current
/// session's id (two events would share a UID), and not given twice.
fn check_previous_ids(ctx: &mut Ctx<'_>, sessions: &[Spanned<RawSession>]) {
    let current: HashMap<&str, Location> = sessions
        .iter()
        .rev()
        .map(|s| {
            (
                s.get_ref().id.get_ref().as_str(),
                ctx.at(s.get_ref().id.span()),
            )
        })
        .collect();
    let mut seen: HashMap<&str, Location> = HashMap::new();
    for s in sessions {
        let s = s.get_ref();
        let Some(previous) = &s.previous_id else {
            continue;
        };
        let location = ctx.at(previous.span());
        let id = previous.get_ref().as_str();
        if !valid_id(id) {
            ctx.error(
                location,
                format!("previous_id `{id}` is not a session id"),
                Some("write the session's earlier id, as it was in `id` (lowercase letters, digits and '-')".into()),
            );
        } else if id == s.id.get_ref() {
            ctx.error(
                location,
                format!("previous_id `{id}` is the session's own id"),
                Some("remove it: a session keeps its own UID without it".into()),
            );
        } else if let Some(other) = current.get(id) {
            let other = other.to_string();
            ctx.error(
                location,
                format!("previous_id `{id}` is the id of another session (at {other}): both would have the same UID"),
                Some("`previous_id` names the id this session had before it was renamed, which no session has now".into()),
            );
        } else if let Some(first) = seen.get(id) {
            let first = first.to_string();
            ctx.error(
                location,
                format!("previous_id `{id}` is given twice (first at {first}): both sessions would have the same UID"),
                Some("keep it on the one session that was renamed".into()),
            );
        } else {
            seen.insert(id, location);
        }
    }
}

/// `uid_domain`: a domain name as UIDs hold it (lowercase letters, digits, '-' and '.').
fn uid_domain(ctx: &mut Ctx<'_>, value: Option<&Spanned<String>>) -> Option<String> {
    let value = value?;
    let domain = value.get_ref().trim();
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if domain.len() > 253 || !labels_ok {
        let location = ctx.at(value.span());
        ctx.error(
            location,
            format!("uid_domain `{}` is not a domain name", value.get_ref()),
            Some("write the domain UIDs had before, as in their `@…` part: uid_domain = \"old.example.org\"".into()),
        );
        return None;
    }
    Some(domain.to_ascii_lowercase())
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    // In ASCII, the whitespace and control characters are the bytes up to the space, and DEL.
    let odd = if email.is_ascii() {
        email.bytes().any(|b| b <= b' ' || b == 0x7F)
    } else {
        email.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    !local.is_empty() && !domain.is_empty() && !odd
}

fn resolve_relative(programme: &Path, relative: &str) -> PathBuf {
    let p = Path::new(relative);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    programme
        .parent()
        .map_or_else(|| p.to_path_buf(), |d| d.join(p))
}

/// The number of lines of the file at `path` (an upper bound on its rows), read in pieces
/// through the checked opener and under the CSV cap.
fn participants_rows(path: &Path) -> Result<usize, crate::input::ReadError> {
    use std::io::Read;
    let mut file = crate::input::open_capped(path, crate::input::MAX_CSV_BYTES)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut lines = 1;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(lines),
            Ok(n) => lines += buf[..n].iter().filter(|&&b| b == b'\n').count(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
                return Err(crate::input::ReadError::TooLarge {
                    limit: crate::input::MAX_CSV_BYTES,
                    reported: None,
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The ASCII shortcut of `plausible_email` decides every ASCII address as the character
    /// test does (Rust's `char::is_whitespace` and `is_control`).
    #[test]
    fn ascii_addresses_are_judged_as_by_the_character_test() {
        let slow = |e: &str| {
            e.rsplit_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty())
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        for b in 0u8..0x80 {
            let c = char::from(b);
            for e in [
                format!("a{c}b@example.org"),
                format!("ab@exa{c}mple.org"),
                format!("{c}@x"),
            ] {
                assert_eq!(super::plausible_email(&e), slow(&e), "{e:?}");
            }
        }
        for e in [
            "ana\u{a0}@example.org",
            "ana\u{85}@example.org",
            "añа@example.org",
        ] {
            assert_eq!(super::plausible_email(e), slow(e), "{e:?}");
        }
    }
}
