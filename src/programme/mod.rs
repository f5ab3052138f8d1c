//! The validated programme: what the rest of roundtable sees.
//!
//! `raw` mirrors the TOML file, `participants` reads the CSV, `validate` checks everything and
//! resolves zones, groups and policies into the types below.

pub mod countries;
pub mod country;
pub mod email;
mod language;
pub mod overrides;
pub mod participants;
pub(crate) mod raw;
pub mod validate;

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::civil::Disambiguation;
use crate::error::{Diagnostic, Location, Result};
use crate::hours::HoursRange;
use crate::recurrence::Rule;
use crate::zone::ZoneSpec;

/// A programme whose every value has been checked.
#[derive(Debug, Clone)]
pub struct Programme {
    /// The file it was read from.
    pub source: PathBuf,
    /// Lowercase id used in UIDs and file names.
    pub id: String,
    /// Title, shown on the page and in the reports.
    pub title: String,
    /// Default zone of session start times.
    pub timezone: ZoneSpec,
    /// Who sends the invitations.
    pub organizer: Organizer,
    /// Free text.
    pub description: Option<String>,
    /// Web page of the programme.
    pub url: Option<String>,
    /// Default acceptable local hours.
    pub working_hours: HoursRange,
    /// Default night hours.
    pub night: HoursRange,
    /// Default policy for gaps and folds.
    pub disambiguation: Disambiguation,
    /// Groups, in file order.
    pub groups: Vec<Group>,
    /// Sessions, in file order.
    pub sessions: Vec<Session>,
    /// Participants: the `[[participant]]` tables, then the CSV rows.
    pub participants: Vec<Participant>,
    /// Default reminder before each session (a DISPLAY alarm in invites).
    pub reminder: Option<Duration>,
    /// A folder of `<email>.ics` busy calendars.
    pub busy_dir: Option<PathBuf>,
    /// A TOML file mapping e-mails to busy calendar addresses (`busy_urls`), kept out of the
    /// repository: the addresses are secrets.
    pub busy_urls: Option<PathBuf>,
    /// Whether the public output may name participants (`public_names = true`, for events
    /// whose participant list is public anyway). Off by default: the public page shows counts
    /// per zone, and e-mails never reach it.
    pub public_names: bool,
    /// The domain of every UID (`uid_domain`), when it is not the organizer's e-mail domain:
    /// kept when that changes, so that UIDs do not.
    pub uid_domain: Option<String>,
    /// The language of participants who give none (`language` in `[programme]`; English).
    pub language: crate::i18n::Lang,
}

/// The organizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

/// A group of participants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Id, unique among groups.
    pub id: String,
    /// Title, shown where the group is named to readers.
    pub title: String,
    /// Zone patterns (`Africa/*`).
    pub zones: Vec<String>,
    /// Member e-mails, as written.
    pub members: Vec<String>,
    /// `required = true`: its members (hosts, facilitators, interpreters) must be able to
    /// attend every proposal of `suggest` and every edition of `split`, inside their hours.
    pub required: bool,
}

/// How long a session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Elapsed time.
    Elapsed(Duration),
    /// A civil end in the session's zone, turned into elapsed time on the first occurrence.
    End(NaiveDateTime),
}

/// Who attends a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every participant.
    All,
    /// Members of these groups (indices into [`Programme::groups`]).
    Groups(Vec<usize>),
}

impl Audience {
    /// Whether `participant` attends.
    pub fn includes(&self, participant: &Participant) -> bool {
        match self {
            Audience::All => true,
            Audience::Groups(groups) => participant.groups.iter().any(|g| groups.contains(g)),
        }
    }
}

/// A session (one-off or recurring).
#[derive(Debug, Clone)]
pub struct Session {
    /// Id, unique among sessions.
    pub id: String,
    /// Title as written; its translations are in `titles`.
    pub title: String,
    /// The zone its civil times are written in.
    pub timezone: ZoneSpec,
    /// Civil start of the first occurrence.
    pub start: NaiveDateTime,
    /// Duration or end.
    pub length: Length,
    /// Who attends.
    pub audience: Audience,
    /// Recurrence rule.
    pub repeat: Option<Rule>,
    /// Civil starts to drop, each with where it was written.
    pub except: Vec<(NaiveDateTime, Location)>,
    /// Video-call link.
    pub join_url: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Policy for gaps and folds.
    pub disambiguation: Disambiguation,
    /// Reminder before the session, overriding the programme's.
    pub reminder: Option<Duration>,
    /// An earlier id of the session (`previous_id`): its UID keeps that id, so that a renamed
    /// session updates the event calendars hold instead of cancelling it.
    pub previous_id: Option<String>,
    /// Where the session's table starts in the file.
    pub location: Location,
    /// Where its `start` is written.
    pub start_location: Location,
    /// Where its `repeat` is written.
    pub repeat_location: Option<Location>,
    /// Single occurrences moved or changed (`[[session.occurrence]]`), in file order; only on
    /// a recurring session.
    pub overrides: Vec<OccurrenceOverride>,
    /// The title in other languages (`titles = { fr = "…" }`), by language.
    pub titles: Vec<(crate::i18n::Lang, String)>,
    /// The languages it is held or interpreted in (`languages = ["en", "fr"]`; language
    /// subtags, any language, shipped or not), in file order; empty: not said.
    pub languages: Vec<String>,
    /// How interpretation works (`interpretation = "…"`), shown to participants.
    pub interpretation: Option<String>,
    /// A join link per language (`join_urls = { es = "…" }`): language subtag → link.
    pub join_urls: Vec<(String, String)>,
}

impl Session {
    /// Its join link for a reader of `lang`: the link of their language, else `join_url`.
    pub fn join_url_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        self.join_urls
            .iter()
            .find(|(l, _)| l == lang.tag())
            .map(|(_, u)| u.as_str())
            .or(self.join_url.as_deref())
    }

    /// Whether a reader of `lang` can follow it: it names no languages, or names `lang`.
    pub fn follows(&self, lang: crate::i18n::Lang) -> bool {
        self.languages.is_empty() || self.languages.iter().any(|l| l == lang.tag())
    }

    /// Its title for a reader of `lang`: the translation the programme gives, else the title
    /// as the organizer wrote it.
    pub fn title_in(&self, lang: crate::i18n::Lang) -> &str {
        self.titles
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(self.title.as_str(), |(_, t)| t.as_str())
    }
}

/// Which occurrence of a series an override changes, as `date` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceDate {
    /// `date = "2023-12-15"`: the occurrence on that civil date in the session's zone.
    Date(NaiveDate),
    /// `date = "2023-12-15T09:00"`: the occurrence with that civil start (for a series with
    /// several occurrences on one day).
    Start(NaiveDateTime),
}

impl OccurrenceDate {
    /// Whether the series' civil start `civil` is the occurrence meant.
    pub fn matches(&self, civil: NaiveDateTime) -> bool {
        match self {
            OccurrenceDate::Date(d) => civil.date() == *d,
            OccurrenceDate::Start(s) => civil == *s,
        }
    }
}

/// One occurrence of a recurring session moved or changed (`[[session.occurrence]]`): what
/// is not given is the series'. It stays an occurrence of the series: invitations write it
/// as a RECURRENCE-ID override of the same UID, so calendars show it moved, not cancelled
/// and added.
#[derive(Debug, Clone)]
pub struct OccurrenceOverride {
    /// The occurrence changed, as the series generates it.
    pub date: OccurrenceDate,
    /// Its new civil start in the session's zone.
    pub start: Option<NaiveDateTime>,
    /// Its new length (a civil `end` in the session's zone, or elapsed time).
    pub length: Option<Length>,
    /// Its own title.
    pub title: Option<String>,
    /// Its own video-call link.
    pub join_url: Option<String>,
    /// Its own description.
    pub description: Option<String>,
    /// Where its `date` is written.
    pub location: Location,
    /// Where its `start` is written.
    pub start_location: Option<Location>,
    /// Where its `end` or `duration` is written.
    pub length_location: Option<Location>,
}

/// A participant.
#[derive(Debug, Clone)]
pub struct Participant {
    /// Display name.
    pub name: String,
    /// E-mail, as written.
    pub email: String,
    /// Their zone.
    pub timezone: ZoneSpec,
    /// Indices into [`Programme::groups`] of every group they belong to, ascending.
    pub groups: Vec<usize>,
    /// Acceptable local hours.
    pub working_hours: HoursRange,
    /// Night hours.
    pub night: HoursRange,
    /// Weekend days, when set on the participant (else by the country of their zone).
    pub weekend: Option<Vec<chrono::Weekday>>,
    /// Their existing calendar, with where it was named (boxed: most participants have none,
    /// and 100,000 participants are held at once).
    pub busy: Option<Box<(BusySource, Location)>>,
    /// Must attend every proposal of `suggest` and every edition of `split` inside their
    /// hours: `required = true` on them or on one of their groups.
    pub required: bool,
    /// The language of what they read (their `language`, else the programme's, else English).
    pub language: crate::i18n::Lang,
}

/// Where a participant's busy calendar comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusySource {
    /// A file (resolved against the programme's folder).
    File(PathBuf),
    /// A web address (`https://`, `webcal://`, `http://` to a loopback host); a secret.
    Url(String),
    /// `env:NAME`: the address is in the environment variable `NAME`.
    Env(String),
}

impl Participant {
    /// Their weekend days: their own `weekend`, else by the country of their zone.
    pub fn weekend_days(&self) -> &[chrono::Weekday] {
        self.weekend
            .as_deref()
            .unwrap_or_else(|| crate::weekend::for_zone(&self.timezone.zone))
    }
}

/// A programme and the warnings met while loading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The programme, valid.
    pub programme: Programme,
    /// Things that are allowed but probably not meant.
    pub warnings: Vec<Diagnostic>,
}

impl Programme {
    /// Reads and validates the programme file at `path` (and its participants CSV).
    ///
    /// Every problem of the file is reported at once, each with its line and column.
    pub fn load(path: &Path) -> Result<Loaded> {
        validate::load(path, crate::jobs::Jobs::ONE)
    }

    /// [`Programme::load`], the participants CSV's rows checked on up to `jobs` threads: the
    /// same programme and the same problems, in the same order, whatever their number.
    pub fn load_with(path: &Path, jobs: crate::jobs::Jobs) -> Result<Loaded> {
        validate::load(path, jobs)
    }

    /// The participants who attend `session`, as indices into [`Programme::participants`].
    pub fn audience_of(&self, session: &Session) -> Vec<usize> {
        self.attending(&session.audience)
    }

    /// The participants in any of `groups` (indices into [`Programme::groups`]).
    pub fn audience_of_groups(&self, groups: &[usize]) -> Vec<usize> {
        self.attending(&Audience::Groups(groups.to_vec()))
    }

    fn attending(&self, audience: &Audience) -> Vec<usize> {
        self.participants
            .iter()
            .enumerate()
            .filter(|(_, p)| audience.includes(p))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Whether `zone` matches the glob `pattern` (`*` matches any run of characters, `/` included).
///
/// ```
/// use roundtable::programme::zone_matches;
/// assert!(zone_matches("Africa/*", "Africa/Lagos"));
/// assert!(zone_matches("America/*", "America/Argentina/Buenos_Aires"));
/// assert!(!zone_matches("Europe/*", "Africa/Lagos"));
/// assert!(zone_matches("*/Paris", "Europe/Paris"));
/// ```
pub fn zone_matches(pattern: &str, zone: &str) -> bool {
    let p = pattern.as_bytes();
    let z = zone.as_bytes();
    // Iterative glob with backtracking to the last star: linear in practice.
    let (mut pi, mut zi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while zi < z.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = zi;
            pi += 1;
        } else if pi < p.len() && p[pi] == z[zi] {
            pi += 1;
            zi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            zi = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}
