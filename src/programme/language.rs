//! `language`: the programme's default (`[programme]`) and each participant's (a
//! `[[participant]]` key, or the CSV's `language` column), read with [`crate::i18n::parse`].
//!
//! Text that is no language tag is an error (a typo the organizer can fix). A well-formed tag of
//! a language roundtable does not ship is a warning on participants — they read the programme's
//! language, and the organizer cannot change what a registration form exported — but an error
//! as the programme's own default, which the organizer chose.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Diagnostics, Location};
use crate::i18n::{self, Lang, Parsed};

/// Participants' languages as they are read: the default, and the unshipped tags seen (one
/// warning per tag, however many participants give it).
#[derive(Debug, Default)]
pub(super) struct Languages {
    /// The programme's `language`, English when it gives none.
    pub default: Lang,
    /// Unshipped language subtag → where it was first seen, and how many participants.
    unshipped: BTreeMap<String, (Location, usize)>,
}

/// A participant's language as written, read on its own (on any thread): what
/// [`Languages::count`] makes of it once the participants before it are counted.
#[derive(Debug)]
pub(super) enum Read {
    /// No language given, or one that is not a tag (reported): the programme's.
    Default,
    /// A shipped language.
    Shipped(Lang),
    /// A well-formed tag roundtable has no messages in (its language subtag).
    Unshipped(String),
}

/// A participant's language: `value` as written (`None` or empty: the default). `column` makes
/// the prefix of a CSV row's messages (`column `language`: `), empty for a table (only when
/// there is a message); text that is no language tag is an error pushed on `diags`.
pub(super) fn read(
    value: Option<&str>,
    location: &Location,
    column: impl FnOnce() -> String,
    diags: &mut Vec<Diagnostic>,
) -> Read {
    let Some(text) = value.filter(|v| !v.trim().is_empty()) else {
        return Read::Default;
    };
    match i18n::parse(text) {
        Parsed::Shipped(l) => Read::Shipped(l),
        Parsed::Unshipped(tag) => Read::Unshipped(tag),
        Parsed::Invalid => {
            diags.push(
                Diagnostic::error(
                    Some(location.clone()),
                    format!("{}`{}` is not a language tag", column(), text.trim()),
                )
                .with_help(i18n::help()),
            );
            Read::Default
        }
    }
}

impl Languages {
    /// The programme's `language`: an unshipped or malformed one is an error in `diags`.
    pub fn new(value: Option<(&str, Location)>, diags: &mut Diagnostics) -> Self {
        let mut default = Lang::En;
        if let Some((text, location)) = value {
            match i18n::parse(text) {
                Parsed::Shipped(l) => default = l,
                Parsed::Unshipped(tag) => diags.push(
                    Diagnostic::error(
                        Some(location),
                        format!("`language`: roundtable has no messages in `{tag}`"),
                    )
                    .with_help(i18n::help()),
                ),
                Parsed::Invalid => diags.push(
                    Diagnostic::error(
                        Some(location),
                        format!("`language`: `{text}` is not a language tag"),
                    )
                    .with_help(i18n::help()),
                ),
            }
        }
        Languages {
            default,
            unshipped: BTreeMap::new(),
        }
    }

    /// A participant's language as [`read`] found it: the language itself, counted among the
    /// unshipped ones where roundtable has no messages in it (where `location` is the first
    /// place it is seen, for the warning).
    pub fn count(&mut self, read: Read, location: &Location) -> Lang {
        match read {
            Read::Default => self.default,
            Read::Shipped(l) => l,
            Read::Unshipped(tag) => {
                self.unshipped
                    .entry(tag)
                    .or_insert_with(|| (location.clone(), 0))
                    .1 += 1;
                self.default
            }
        }
    }

    /// One warning per unshipped language, into `diags`.
    pub fn finish(self, diags: &mut Diagnostics) {
        for (tag, (location, count)) in self.unshipped {
            let who = if count == 1 {
                "1 participant reads".to_string()
            } else {
                format!("{count} participants read")
            };
            diags.push(
                Diagnostic::warning(
                    Some(location),
                    format!(
                        "roundtable has no messages in `{tag}`: {who} the programme's language ({}) instead",
                        self.default
                    ),
                )
                .with_help(format!(
                    "add locales/{tag}/roundtable.ftl to roundtable to ship it, or set `language` in [programme] to the best shipped one ({})",
                    Lang::ALL.map(Lang::tag).join(", ")
                )),
            );
        }
    }
}

/// A session's `titles = { fr = "…" }`: each key a shipped language (its tag or name), each
/// title non-empty; problems into `diags`.
pub(super) fn titles(
    file: &std::path::Path,
    text: &str,
    raw: Option<&BTreeMap<String, toml::Spanned<String>>>,
    diags: &mut Diagnostics,
) -> Vec<(Lang, String)> {
    let mut out: Vec<(Lang, String)> = Vec::new();
    for (key, title) in raw.into_iter().flatten() {
        let location = Location::at_offset(file, text, title.span().start);
        match i18n::parse(key) {
            Parsed::Shipped(l) if out.iter().any(|(o, _)| *o == l) => diags.push(
                Diagnostic::error(Some(location), format!("`titles`: {l} is given twice"))
                    .with_help("keep one title per language"),
            ),
            Parsed::Shipped(_) if title.get_ref().trim().is_empty() => diags.push(
                Diagnostic::error(Some(location), format!("`titles.{key}` is empty"))
                    .with_help("write the title, or remove the key to show the title as written"),
            ),
            Parsed::Shipped(l) => out.push((l, title.get_ref().clone())),
            Parsed::Unshipped(_) | Parsed::Invalid => diags.push(
                Diagnostic::error(
                    Some(location),
                    format!("`titles`: `{key}` is not a language roundtable ships"),
                )
                .with_help(i18n::help()),
            ),
        }
    }
    out.sort();
    out
}

/// A session's `languages = ["en", "fr"]`: each a BCP 47 tag (any language: a session may be
/// held in one roundtable has no messages for), kept as its language subtag, once each.
pub(super) fn session_languages(
    file: &std::path::Path,
    text: &str,
    raw: Option<&[toml::Spanned<String>]>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw.into_iter().flatten() {
        let location = Location::at_offset(file, text, tag.span().start);
        let subtag = match i18n::parse(tag.get_ref()) {
            Parsed::Shipped(l) => l.tag().to_string(),
            Parsed::Unshipped(s) => s,
            Parsed::Invalid => {
                diags.push(
                    Diagnostic::error(
                        Some(location),
                        format!("`languages`: `{}` is not a language tag", tag.get_ref()),
                    )
                    .with_help(i18n::help()),
                );
                continue;
            }
        };
        if !out.contains(&subtag) {
            out.push(subtag);
        }
    }
    out
}

/// A session's `join_urls = { es = "https://…" }`: each key a BCP 47 tag (any language), kept
/// as its language subtag; each link non-empty.
pub(super) fn join_urls(
    file: &std::path::Path,
    text: &str,
    raw: Option<&BTreeMap<String, toml::Spanned<String>>>,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, url) in raw.into_iter().flatten() {
        let location = Location::at_offset(file, text, url.span().start);
        let subtag = match i18n::parse(key) {
            Parsed::Shipped(l) => l.tag().to_string(),
            Parsed::Unshipped(s) => s,
            Parsed::Invalid => {
                diags.push(
                    Diagnostic::error(
                        Some(location),
                        format!("`join_urls`: `{key}` is not a language tag"),
                    )
                    .with_help(i18n::help()),
                );
                continue;
            }
        };
        if url.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error(Some(location), format!("`join_urls.{key}` is empty"))
                    .with_help("write the link, or remove the key"),
            );
        } else if out.iter().any(|(l, _)| *l == subtag) {
            diags.push(
                Diagnostic::error(
                    Some(location),
                    format!("`join_urls`: `{subtag}` is given twice"),
                )
                .with_help("keep one link per language"),
            );
        } else {
            out.push((subtag, url.get_ref().trim().to_string()));
        }
    }
    out.sort();
    out
}
