//! The messages a participant reads, from `locales/<lang>/roundtable.ftl` (Project Fluent),
//! embedded in the binary. Each language's bundle is parsed once, on first use.
//!
//! Placeables are not wrapped in Unicode isolation marks (FSI/PDI): the text goes into
//! calendars and mails, where invisible marks would be copied along with a date; the page sets
//! direction with `dir` instead.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Lang;

/// The Fluent source of every shipped language, as embedded.
pub const SOURCES: [(Lang, &str); 5] = [
    (Lang::En, include_str!("../../locales/en/roundtable.ftl")),
    (Lang::Es, include_str!("../../locales/es/roundtable.ftl")),
    (Lang::Fr, include_str!("../../locales/fr/roundtable.ftl")),
    (Lang::Pt, include_str!("../../locales/pt/roundtable.ftl")),
    (Lang::Ar, include_str!("../../locales/ar/roundtable.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang, source: &str) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang
        .tag()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = Bundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    // The files are ours and tested (tests/it/i18n.rs): a syntax error would drop only the broken
    // entry, and the message then falls back to English below.
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let _ = bundle.add_resource(resource);
    bundle
}

fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| SOURCES.iter().map(|(l, s)| bundle(*l, s)).collect())
}

/// An argument of a message.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text, inserted as it is.
    Text(&'a str),
    /// A count (plural rules choose the variant).
    Count(usize),
}

/// The message `id` in `lang` with `args`; in English when `lang` lacks it (never the case for
/// the shipped files); the id itself when English lacks it too.
pub fn tr(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, arg) in args {
        match arg {
            Arg::Text(t) => fluent_args.set(*name, FluentValue::from(*t)),
            Arg::Count(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    for l in [lang, Lang::En] {
        let Some(bundle) = bundles().get(l as usize) else {
            continue;
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        return text.into_owned();
    }
    id.to_string()
}

/// [`tr`] without arguments.
pub fn text(lang: Lang, id: &str) -> String {
    tr(lang, id, &[])
}

/// The message ids of a Fluent source, in file order (for the completeness test and the
/// page's tables).
pub fn ids(source: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether a Fluent source parses without error.
pub fn parses(source: &str) -> bool {
    FluentResource::try_new(source.to_string()).is_ok()
}

/// The page's messages (ids `page-*` and `lang-*`) of every shipped language, as JSON
/// (`{"fr": {"page-when": "Quand est-ce pour vous ?", …}, …}`), for the page's language
/// selector; `<` is written `\u003c`, so the text can sit inside a `<script>` element.
pub fn page_json() -> String {
    let en_ids = SOURCES
        .first()
        .map(|(_, source)| ids(source))
        .unwrap_or_default();
    let mut table = serde_json::Map::new();
    for lang in Lang::ALL {
        let mut messages = serde_json::Map::new();
        for id in en_ids
            .iter()
            .filter(|id| id.starts_with("page-") || id.starts_with("lang-"))
        {
            messages.insert(id.clone(), serde_json::Value::String(text(lang, id)));
        }
        table.insert(lang.tag().to_string(), serde_json::Value::Object(messages));
    }
    serde_json::Value::Object(table)
        .to_string()
        .replace('<', "\\u003c")
}
