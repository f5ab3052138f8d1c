//! The programme file exactly as written: serde structs that mirror the TOML, with spans so that
//! validation can point at the line and column of every value. Nothing here is checked beyond
//! TOML types and unknown keys; [`super::validate`] turns this into a [`super::Programme`].

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// The `[programme]` table.
    pub programme: RawProgramme,
    /// `[[session]]` tables.
    #[serde(default, rename = "session")]
    pub sessions: Vec<Spanned<RawSession>>,
    /// `[[group]]` tables.
    #[serde(default, rename = "group")]
    pub groups: Vec<Spanned<RawGroup>>,
    /// `[[participant]]` tables.
    #[serde(default, rename = "participant")]
    pub participants: Vec<Spanned<RawParticipant>>,
}

/// `[programme]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgramme {
    pub id: Spanned<String>,
    pub title: String,
    pub timezone: Spanned<String>,
    pub organizer: RawOrganizer,
    pub description: Option<String>,
    pub url: Option<String>,
    pub working_hours: Option<Spanned<String>>,
    pub night: Option<Spanned<String>>,
    pub disambiguation: Option<Spanned<String>>,
    pub participants: Option<Spanned<String>>,
    pub reminder: Option<Spanned<String>>,
    pub busy_dir: Option<Spanned<String>>,
    pub busy_urls: Option<Spanned<String>>,
    pub public_names: Option<bool>,
    /// The domain of UIDs, when not the organizer's e-mail domain (kept after that changes).
    pub uid_domain: Option<Spanned<String>>,
    /// The language of participants who give none (a BCP 47 tag).
    pub language: Option<Spanned<String>>,
}

/// `organizer = { name, email }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganizer {
    pub name: String,
    pub email: Spanned<String>,
}

/// `[[session]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub id: Spanned<String>,
    pub title: String,
    /// A string or a TOML local date-time.
    pub start: Spanned<toml::Value>,
    pub timezone: Option<Spanned<String>>,
    pub duration: Option<Spanned<String>>,
    /// A string or a TOML local date-time.
    pub end: Option<Spanned<toml::Value>>,
    /// `"all"` or a list of group ids.
    pub audience: Spanned<toml::Value>,
    pub repeat: Option<Spanned<String>>,
    #[serde(default)]
    pub except: Vec<Spanned<toml::Value>>,
    pub join_url: Option<String>,
    pub description: Option<String>,
    pub disambiguation: Option<Spanned<String>>,
    pub reminder: Option<Spanned<String>>,
    /// An earlier id of the session, whose UID it keeps.
    pub previous_id: Option<Spanned<String>>,
    /// The languages it is held or interpreted in (BCP 47 tags).
    pub languages: Option<Vec<Spanned<String>>>,
    /// How interpretation works (free text shown to participants).
    pub interpretation: Option<String>,
    /// A join link per language: `join_urls = { es = "https://…" }`.
    pub join_urls: Option<std::collections::BTreeMap<String, Spanned<String>>>,
    /// The title in other languages: `titles = { fr = "Ouverture" }`.
    pub titles: Option<std::collections::BTreeMap<String, Spanned<String>>>,
    /// `[[session.occurrence]]` tables: single occurrences moved or changed.
    #[serde(default, rename = "occurrence")]
    pub occurrences: Vec<Spanned<RawOccurrence>>,
}

/// `[[session.occurrence]]`: one occurrence of a recurring session, moved or changed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOccurrence {
    /// The occurrence: a civil date (string or TOML local date), or a civil date-time.
    pub date: Spanned<toml::Value>,
    /// A string or a TOML local date-time.
    pub start: Option<Spanned<toml::Value>>,
    /// A string or a TOML local date-time.
    pub end: Option<Spanned<toml::Value>>,
    pub duration: Option<Spanned<String>>,
    pub title: Option<String>,
    pub join_url: Option<String>,
    pub description: Option<String>,
}

/// `[[group]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub zones: Vec<Spanned<String>>,
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
    /// Members must attend every planned session and edition inside their hours.
    pub required: Option<bool>,
}

/// `[[participant]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipant {
    pub name: String,
    pub email: Spanned<String>,
    pub timezone: Spanned<String>,
    #[serde(default)]
    pub groups: Vec<Spanned<String>>,
    pub working_hours: Option<Spanned<String>>,
    pub night: Option<Spanned<String>>,
    pub weekend: Option<Vec<Spanned<String>>>,
    pub busy: Option<Spanned<String>>,
    /// Must attend every planned session and edition inside their hours (a host).
    pub required: Option<bool>,
    /// The language they read (a BCP 47 tag).
    pub language: Option<Spanned<String>>,
}

/// The keys of each table, for "did you mean" on unknown keys.
pub const KNOWN_KEYS: &[&str] = &[
    "programme",
    "session",
    "group",
    "participant",
    "id",
    "title",
    "timezone",
    "organizer",
    "description",
    "url",
    "working_hours",
    "night",
    "disambiguation",
    "participants",
    "name",
    "email",
    "start",
    "duration",
    "end",
    "audience",
    "repeat",
    "except",
    "occurrence",
    "date",
    "join_url",
    "zones",
    "members",
    "groups",
    "required",
    "previous_id",
    "uid_domain",
    "language",
    "titles",
    "languages",
    "interpretation",
    "join_urls",
];
