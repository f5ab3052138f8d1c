//! The overview page's language selector in a real browser (Debian's Chromium, driven by
//! playwright-core from tests/page/check_page_i18n.mjs): with the browser in French and in
//! Arabic, `lang` and `dir` follow, every label is the language's message (read here from
//! locales/<lang>/roundtable.ftl, not from roundtable) and none is English, Arabic runs right to
//! left; screenshots in target/page-screenshots/i18n/.

use crate::support::root;
use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// `id = text` lines of a Fluent file (single-line messages only: the page's are).
fn messages(lang: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join(format!("locales/{lang}/roundtable.ftl")))
        .expect("ftl");
    text.lines()
        .filter_map(|l| {
            let (id, value) = l.split_once(" = ")?;
            id.starts_with("page-")
                .then(|| (id.to_string(), value.trim().to_string()))
        })
        .collect()
}

fn browse(page: &Path, locale: &str, shot: &Path) -> Value {
    crate::support::page_checker(
        "check_page_i18n.mjs",
        &[page.as_os_str(), locale.as_ref(), shot.as_os_str()],
    )
}

#[test]
fn the_page_in_french_and_arabic() {
    let dir = tempfile::tempdir().expect("tempdir");
    for ext in ["toml", "csv"] {
        std::fs::copy(
            root().join(format!("sessions/peer-learning-2023-11.{ext}")),
            dir.path().join(format!("p.{ext}")),
        )
        .expect("copy");
    }
    let toml = std::fs::read_to_string(dir.path().join("p.toml"))
        .unwrap()
        .replace("peer-learning-2023-11.csv", "p.csv")
        .replace(
            "title = \"Presenters' technical check\"",
            "title = \"Presenters' technical check\"\nlanguages = [\"en\", \"es\", \"pt\"]\ninterpretation = \"Portuguese on channel 3\"",
        );
    std::fs::write(dir.path().join("p.toml"), toml).unwrap();
    let out = dir.path().join("public");
    crate::support::build(&dir.path().join("p.toml"), &out);
    let shots = root().join("target/page-screenshots/i18n");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("shots");
    let english = messages("en");
    for (locale, lang, dir) in [("fr-FR", "fr", "ltr"), ("ar-EG", "ar", "rtl")] {
        let r = browse(
            &out.join("index.html"),
            locale,
            &shots.join(format!("{lang}.png")),
        );
        assert_eq!(r["errors"], Value::Array(vec![]), "{lang}: {r}");
        assert_eq!(r["lang"], lang);
        assert_eq!(r["dir"], dir);
        assert_eq!(r["selected"], lang);
        assert_eq!(r["body_direction"], dir);
        let wanted = messages(lang);
        let labels = r["labels"].as_object().expect("labels");
        assert!(labels.len() >= 10, "{lang}: {labels:?}");
        for (id, shown) in labels {
            for text in shown.as_array().unwrap() {
                let text = text.as_str().unwrap();
                assert_eq!(Some(&text.to_string()), wanted.get(id), "{lang} {id}");
                if wanted.get(id) != english.get(id) {
                    assert_ne!(
                        Some(&text.to_string()),
                        english.get(id),
                        "{lang} {id} is English"
                    );
                }
            }
        }
        assert!(labels.contains_key("page-languages"), "{lang}: {labels:?}");
        // No visible text of the page's own is English: no text node is (or, for the longer
        // messages, contains) an English message that the language words differently, and no
        // date is written the English way ("Mon 13", "+1 day").
        let texts: Vec<&str> = r["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(texts.len() > 100, "{lang}: {texts:?}");
        for (id, en) in &english {
            if wanted.get(id) == Some(en) {
                continue;
            }
            for t in &texts {
                assert!(
                    *t != en.as_str() && (en.len() < 12 || !t.contains(en.as_str())),
                    "{lang}: English {id} ({en:?}) in {t:?}"
                );
            }
        }
        for t in &texts {
            for day in ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "] {
                let english_date = t.match_indices(day).any(|(at, _)| {
                    t[at + day.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit())
                });
                assert!(!english_date, "{lang}: English date in {t:?}");
            }
            assert!(!t.contains(" day") && !t.contains(" days"), "{lang}: {t:?}");
        }
        assert_eq!(
            r["when_direction"], "ltr",
            "{lang}: the times read left to right"
        );
        let titles = r["titles"].as_array().expect("titles");
        assert!(!titles.is_empty(), "{lang}: no grid tooltips");
        for t in titles.iter().filter_map(Value::as_str) {
            for id in [
                "page-working",
                "page-outside",
                "page-night",
                "page-next-day",
            ] {
                assert!(
                    wanted.get(id) == english.get(id) || !t.contains(english[id].as_str()),
                    "{lang}: English {id} in the tooltip {t:?}"
                );
            }
        }
        let width = r["width"].as_f64().unwrap();
        if dir == "rtl" {
            // Mirrored: the title ends at the right edge's padding, not in the left half.
            assert!(r["h1_right"].as_f64().unwrap() > width / 2.0, "{r}");
        }
    }
}
