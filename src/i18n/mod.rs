//! Languages: which ones roundtable ships, how a participant's BCP 47 tag is matched to one,
//! the messages a participant reads ([`messages`], Fluent files under `locales/`) and dates,
//! times and zone names in their language ([`format`](mod@format), CLDR data through ICU4X).
//!
//! A tag is matched on its language subtag: `fr-CA` and `fr-FR` read French, `pt-BR` and
//! `pt-PT` Portuguese, `es-419` Spanish. A well-formed tag of a language roundtable does not ship
//! (`de`) falls back to the programme's `language`, then English, with a warning: a participant
//! cannot fix what a registration form exported, and an invitation in another language is better
//! than none. Text that is not a tag at all (`Frnch`) is an error naming the shipped tags.

pub mod format;
pub mod messages;

use std::fmt;

/// A language roundtable ships messages for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English: the default, and what every programme without `language` reads. Dates keep
    /// roundtable's compact English form ("Tue 14 Nov 2023"), unchanged by localisation.
    #[default]
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// Arabic: written right to left.
    Ar,
}

impl Lang {
    /// Every shipped language, in the order of the page's selector.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::Ar];

    /// Its BCP 47 tag (the language subtag only), as in `locales/<tag>/`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::Ar => "ar",
        }
    }

    /// Whether it is written right to left (the page's `dir="rtl"`).
    pub fn rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The HTML `dir` value.
    pub fn dir(self) -> &'static str {
        if self.rtl() { "rtl" } else { "ltr" }
    }

    /// Its name in English and in itself, as registration forms write it ("French",
    /// "Français"), compared without case.
    fn names(self) -> &'static [&'static str] {
        match self {
            Lang::En => &["english", "anglais", "inglés", "inglês"],
            Lang::Es => &["spanish", "español", "espanol", "castellano", "espagnol"],
            Lang::Fr => &["french", "français", "francais", "francés", "francês"],
            Lang::Pt => &["portuguese", "português", "portugues", "portugais"],
            Lang::Ar => &["arabic", "العربية", "عربي", "arabe", "árabe"],
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// What a written language means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A shipped language.
    Shipped(Lang),
    /// A well-formed BCP 47 tag of a language roundtable does not ship (its language subtag).
    Unshipped(String),
    /// Not a BCP 47 tag nor the name of a shipped language.
    Invalid,
}

/// Reads a language as a programme or a form writes it: a BCP 47 tag (`fr`, `pt-BR`, `es-419`,
/// `zh-Hant-TW`; `_` taken as `-`) or the name of a shipped language in English or in itself.
///
/// ```
/// use roundtable::i18n::{parse, Lang, Parsed};
/// assert_eq!(parse("fr-CA"), Parsed::Shipped(Lang::Fr));
/// assert_eq!(parse("pt_BR"), Parsed::Shipped(Lang::Pt));
/// assert_eq!(parse("Français"), Parsed::Shipped(Lang::Fr));
/// assert_eq!(parse("de-AT"), Parsed::Unshipped("de".into()));
/// assert_eq!(parse("Frnch"), Parsed::Invalid);
/// ```
pub fn parse(text: &str) -> Parsed {
    let text = text.trim();
    let lower = text.to_lowercase();
    if let Some(l) = Lang::ALL
        .into_iter()
        .find(|l| l.names().contains(&lower.as_str()))
    {
        return Parsed::Shipped(l);
    }
    let Ok(id) = icu_locale_core::LanguageIdentifier::try_from_str(&text.replace('_', "-")) else {
        return Parsed::Invalid;
    };
    let language = id.language.as_str();
    if language == "und" {
        return Parsed::Invalid;
    }
    match Lang::ALL.into_iter().find(|l| l.tag() == language) {
        Some(l) => Parsed::Shipped(l),
        None => Parsed::Unshipped(language.to_string()),
    }
}

/// The help of an error or warning about a language: what may be written.
pub fn help() -> String {
    let tags: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
    format!(
        "write a BCP 47 language tag such as fr, es-419 or pt-BR; roundtable ships {}",
        tags.join(", ")
    )
}
