//! Languages (issue 20): participants' calendars in their language, with dates, times and zone
//! names that Python's Babel reads from its own copy of CLDR (`tests/oracle/i18n_oracle.py`);
//! every message file complete; `language` validated.
//!
//! Needs python3 with tests/oracle/requirements.txt installed (tests/run.sh does it).
use crate::support::{root, roundtable};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The message ids of a Fluent file, read the simple way: a message starts at the beginning of
/// a line with an identifier and `=` (Fluent syntax 1.0; terms start with `-`, comments `#`).
fn message_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let mut chars = id.chars();
            let first = chars.next()?;
            (first.is_ascii_alphabetic()
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| id.to_string())
        })
        .collect()
}

#[test]
fn every_language_has_every_message_of_english_and_no_other() {
    let locales = root().join("locales");
    let en = message_ids(&std::fs::read_to_string(locales.join("en/roundtable.ftl")).unwrap());
    let en_set: BTreeSet<_> = en.iter().cloned().collect();
    assert_eq!(en.len(), en_set.len(), "an id twice in en");
    assert!(en_set.contains("your-time") && en_set.contains("page-show-times-in"));
    let mut langs = Vec::new();
    for entry in std::fs::read_dir(&locales).unwrap() {
        let dir = entry.unwrap().path();
        let lang = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(dir.join("roundtable.ftl")).unwrap();
        assert!(
            roundtable::i18n::messages::parses(&text),
            "{lang}: a Fluent syntax error"
        );
        let ids: BTreeSet<_> = message_ids(&text).into_iter().collect();
        let missing: Vec<_> = en_set.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&en_set).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has ids English lacks: {extra:?}");
        langs.push(lang);
    }
    langs.sort();
    // Every folder is a shipped language, and every shipped language has a folder.
    let shipped: Vec<String> = {
        let mut v: Vec<_> = roundtable::i18n::Lang::ALL
            .iter()
            .map(|l| l.tag().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(langs, shipped);
}

/// One participant of the test programme: language, zone, and the session's instants.
struct Case {
    email: &'static str,
    lang: &'static str,
    zone: &'static str,
    /// Minutes east of UTC, for a fixed offset (`UTC-3`).
    offset_minutes: Option<i32>,
}

/// The session: 15:00–17:30 Paris on Tuesday 14 November 2023 = 14:00–16:30 UTC; and a second,
/// `late`, 23:00 Paris on Thursday 16 November for 2 h = 22:00–00:00 UTC, past local midnight
/// east of Paris.
const PROGRAMME: &str = r#"[programme]
id = "langs"
title = "Languages"
timezone = "Europe/Paris"
organizer = { name = "Org", email = "org@example.org" }
participants = "people.csv"

[[session]]
id = "opening"
title = "Opening"
start = "2023-11-14T15:00"
end = "2023-11-14T17:30"
audience = "all"
"#;

const CASES: &[Case] = &[
    Case {
        email: "fr@example.org",
        lang: "fr",
        zone: "Asia/Jakarta",
        offset_minutes: None,
    },
    Case {
        email: "es@example.org",
        lang: "es",
        zone: "Asia/Jakarta",
        offset_minutes: None,
    },
    Case {
        email: "es-mx@example.org",
        lang: "es",
        zone: "America/Mexico_City",
        offset_minutes: None,
    },
    Case {
        email: "pt@example.org",
        lang: "pt",
        zone: "America/Sao_Paulo",
        offset_minutes: None,
    },
    Case {
        email: "ar@example.org",
        lang: "ar",
        zone: "Africa/Cairo",
        offset_minutes: None,
    },
    Case {
        email: "ar-riyadh@example.org",
        lang: "ar",
        zone: "Asia/Riyadh",
        offset_minutes: None,
    },
    Case {
        email: "fr-paris@example.org",
        lang: "fr",
        zone: "Europe/Paris",
        offset_minutes: None,
    },
    Case {
        email: "fr-nz@example.org",
        lang: "fr",
        zone: "Pacific/Auckland",
        offset_minutes: None,
    },
];

/// The CSV: the language column under the alias `Preferred language`, with region subtags and
/// a name as forms write them.
const PEOPLE: &str = "name,email,timezone,Preferred language
Fleur,fr@example.org,Asia/Jakarta,fr
Esteban,es@example.org,Asia/Jakarta,es-ES
Marisol,es-mx@example.org,America/Mexico_City,es-419
Paulo,pt@example.org,America/Sao_Paulo,pt_BR
Amal,ar@example.org,Africa/Cairo,ar-EG
Sara,ar-riyadh@example.org,Asia/Riyadh,العربية
Jules,fr-paris@example.org,Europe/Paris,Français
Aroha,fr-nz@example.org,Pacific/Auckland,fr-NZ
Eve,en@example.org,Europe/Berlin,
Dieter,de@example.org,Europe/Berlin,de-AT
";

/// Builds the programme into a temporary folder; returns it and build's standard error.
fn build(dir: &Path) -> String {
    std::fs::write(dir.join("programme.toml"), PROGRAMME).unwrap();
    std::fs::write(dir.join("people.csv"), PEOPLE).unwrap();
    let out = roundtable()
        .current_dir(dir)
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// Each participant's calendar file, by e-mail (from the private index.csv).
fn calendars(dir: &Path) -> BTreeMap<String, String> {
    let index = std::fs::read_to_string(dir.join("public.private/participants/index.csv")).unwrap();
    let mut out = BTreeMap::new();
    for line in index.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let file = dir.join("public").join(cells[2]);
        out.insert(cells[0].to_string(), std::fs::read_to_string(file).unwrap());
    }
    out
}

/// The DESCRIPTION of the first VEVENT, unfolded and unescaped (RFC 5545 3.1, 3.3.11).
fn description(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    let line = unfolded
        .lines()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .expect("a DESCRIPTION");
    let value = &line["DESCRIPTION:".len()..];
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Babel's pieces for each case (see tests/oracle/i18n_oracle.py).
fn oracle(cases: &[serde_json::Value]) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg(root().join("tests/oracle/i18n_oracle.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 must be installed (see tests/run.sh)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(cases).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oracle failed: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The "Your time" label of each language, as its message file says it (roundtable's own
/// translation, not CLDR's), and the comma CLDR's list patterns use between date and time.
fn label_and_comma(lang: &str) -> (&'static str, &'static str) {
    match lang {
        "fr" => ("Votre heure : ", ", "),
        "es" => ("Su hora: ", ", "),
        "pt" => ("Seu horário: ", ", "),
        "ar" => ("توقيتك: ", "، "),
        _ => ("Your time: ", ", "),
    }
}

/// A known difference between the two readings of CLDR 49: for Spanish, Babel uses the short
/// time format of es.xml, `H:mm` ("8:00"), where ICU4X 2.4's time skeleton gives `HH:mm`
/// ("08:00"; ICU4X resolves the hour cycle from the region and writes the hour with two
/// digits). Both are CLDR's; the test accepts ICU4X's padding for Spanish only, and nothing else.
fn icu4x_hour(lang: &str, time: &str) -> String {
    match time.split_once(':') {
        Some((h, rest)) if lang == "es" && h.len() == 1 => format!("0{h}:{rest}"),
        _ => time.to_string(),
    }
}

fn expected_line(lang: &str, p: &serde_json::Value) -> String {
    let (label, comma) = label_and_comma(lang);
    let s = |k: &str| {
        let v = p[k].as_str().unwrap();
        if k == "start" || k == "end" {
            icu4x_hour(lang, v)
        } else {
            v.to_string()
        }
    };
    if s("date") == s("end_date") {
        format!(
            "{label}{}{comma}{}–{} ({})",
            s("date"),
            s("start"),
            s("end"),
            s("zone")
        )
    } else {
        format!(
            "{label}{}{comma}{} – {}{comma}{} ({})",
            s("date"),
            s("start"),
            s("end_date"),
            s("end"),
            s("zone")
        )
    }
}

#[test]
fn each_participant_reads_their_time_in_their_language_as_cldr_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = build(dir.path());
    let files = calendars(dir.path());
    let queries: Vec<serde_json::Value> = CASES
        .iter()
        .map(|c| {
            let mut q = serde_json::json!({
                "lang": c.lang, "zone": c.zone,
                "start": "2023-11-14T14:00:00Z", "end": "2023-11-14T16:30:00Z",
            });
            if let Some(m) = c.offset_minutes {
                q["offset_minutes"] = m.into();
            }
            q
        })
        .collect();
    let pieces = oracle(&queries);
    for (c, p) in CASES.iter().zip(&pieces) {
        let text = description(&files[c.email]);
        let first = text.lines().next().unwrap();
        assert_eq!(first, expected_line(c.lang, p), "{}", c.email);
    }
    // The issue's own example, spelled out: CLDR 4x writes Western Indonesia Time
    // "heure de l’Ouest indonésien" (fr.xml, metazone Indonesia_Western, long standard).
    let fr = description(&files["fr@example.org"]);
    assert!(
        fr.starts_with(
            "Votre heure : mardi 14 novembre 2023, 21:00–23:30 (heure de l’Ouest indonésien)\n"
        ),
        "{fr}"
    );
    // Arabic's clock is 12-hour with م (p.m.), as CLDR's ar time format h:mm a.
    let ar = description(&files["ar@example.org"]);
    assert!(ar.contains("4:00 م–6:30 م"), "{ar}");
    // English is unchanged (roundtable's own form, from before localisation), and a language
    // roundtable does not ship reads the programme's language (English here), with a warning.
    for email in ["en@example.org", "de@example.org"] {
        let en = description(&files[email]);
        assert!(
            en.starts_with(
                "Your time: Tue 14 Nov 2023, 15:00–17:30 (Europe/Berlin, UTC+01:00)\nSession time: Tue 14 Nov 2023, 15:00–17:30 (Europe/Paris, UTC+01:00)\nUTC: Tue 14 Nov 2023, 14:00–16:30"
            ),
            "{en}"
        );
    }
    assert!(
        stderr.contains("roundtable has no messages in `de`: 1 participant reads the programme's language (en) instead"),
        "{stderr}"
    );
}

#[test]
fn the_session_and_utc_lines_are_translated_too() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let files = calendars(dir.path());
    let pieces = oracle(&[
        serde_json::json!({"lang": "fr", "zone": "Europe/Paris",
            "start": "2023-11-14T14:00:00Z", "end": "2023-11-14T16:30:00Z"}),
        serde_json::json!({"lang": "fr", "zone": "UTC", "offset_minutes": 0,
            "start": "2023-11-14T14:00:00Z", "end": "2023-11-14T16:30:00Z"}),
    ]);
    let text = description(&files["fr@example.org"]);
    let lines: Vec<&str> = text.lines().collect();
    let paris = &pieces[0];
    let s = |p: &serde_json::Value, k: &str| p[k].as_str().unwrap().to_string();
    assert_eq!(
        lines[1],
        format!(
            "Heure de la séance : {}, {}–{} ({})",
            s(paris, "date"),
            s(paris, "start"),
            s(paris, "end"),
            s(paris, "zone")
        )
    );
    let utc = &pieces[1];
    assert_eq!(
        lines[2],
        format!(
            "UTC : {}, {}–{}",
            s(utc, "date"),
            s(utc, "start"),
            s(utc, "end")
        )
    );
}

#[test]
fn a_session_past_local_midnight_names_both_days() {
    // 22:00–00:30 UTC on 14 November: in Auckland (UTC+13) 11:00–13:30 on the 15th; in Jakarta
    // (UTC+7) 05:00–07:30 on the 15th; in Mexico City (UTC-6) 16:00–18:30 on the 14th; in Sao
    // Paulo (UTC-3) 19:00–21:30. Seen from Riyadh (UTC+3) it runs 01:00–03:30 on the 15th, from
    // Paris 23:00–01:30: across midnight.
    let dir = tempfile::tempdir().unwrap();
    let programme = PROGRAMME
        .replace("2023-11-14T15:00", "2023-11-14T23:00")
        .replace("2023-11-14T17:30", "2023-11-15T01:30");
    std::fs::write(dir.path().join("programme.toml"), programme).unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files = calendars(dir.path());
    let cases: Vec<&Case> = CASES.iter().collect();
    let pieces = oracle(
        &cases
            .iter()
            .map(|c| {
                serde_json::json!({"lang": c.lang, "zone": c.zone,
                    "start": "2023-11-14T22:00:00Z", "end": "2023-11-15T00:30:00Z"})
            })
            .collect::<Vec<_>>(),
    );
    for (c, p) in cases.iter().zip(&pieces) {
        let text = description(&files[c.email]);
        assert_eq!(
            text.lines().next().unwrap(),
            expected_line(c.lang, p),
            "{}",
            c.email
        );
    }
    assert!(
        description(&files["fr-paris@example.org"])
            .starts_with("Votre heure : mardi 14 novembre 2023, 23:00 – mercredi 15 novembre 2023, 01:30 (heure normale d’Europe centrale)")
    );
}

#[test]
fn a_language_that_is_no_tag_is_an_error_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("programme.toml"), PROGRAMME).unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "name,email,timezone,language\nFleur,fr@example.org,Asia/Jakarta,Frnch\n",
    )
    .unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["check", "programme.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("people.csv:2")
            && stderr.contains("column `language`: `Frnch` is not a language tag"),
        "{stderr}"
    );
    assert!(
        stderr.contains("roundtable ships en, es, fr, pt, ar"),
        "{stderr}"
    );

    // The programme's own default must be shipped: it is the organizer's choice.
    let programme = PROGRAMME.replace(
        "timezone = \"Europe/Paris\"\norganizer",
        "timezone = \"Europe/Paris\"\nlanguage = \"de\"\norganizer",
    );
    std::fs::write(dir.path().join("programme.toml"), programme).unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "name,email,timezone\nFleur,fr@example.org,Asia/Jakarta\n",
    )
    .unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["check", "programme.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("programme.toml:5:12")
            && stderr.contains("`language`: roundtable has no messages in `de`"),
        "{stderr}"
    );
}

#[test]
fn the_programme_language_is_the_default_of_participants_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let programme = PROGRAMME.replace(
        "timezone = \"Europe/Paris\"\norganizer",
        "timezone = \"Europe/Paris\"\nlanguage = \"pt-PT\"\norganizer",
    );
    std::fs::write(dir.path().join("programme.toml"), programme).unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "name,email,timezone,language\nEve,en@example.org,Europe/Berlin,en\nDieter,de@example.org,Europe/Berlin,\n",
    )
    .unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files = calendars(dir.path());
    assert!(description(&files["en@example.org"]).starts_with("Your time: "));
    assert!(description(&files["de@example.org"]).starts_with("Seu horário: "));
}

/// The SUMMARY of the first VEVENT.
fn summary(ics: &str) -> String {
    ics.replace("\r\n ", "")
        .lines()
        .find_map(|l| l.strip_prefix("SUMMARY:").map(str::to_string))
        .expect("a SUMMARY")
}

#[test]
fn a_session_title_translated_by_the_programme_is_the_one_its_readers_see() {
    let dir = tempfile::tempdir().unwrap();
    let programme = PROGRAMME.replace(
        "title = \"Opening\"",
        "title = \"Opening\"\ntitles = { fr = \"Ouverture\", \"pt-BR\" = \"Abertura\" }",
    );
    std::fs::write(dir.path().join("programme.toml"), &programme).unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files = calendars(dir.path());
    assert_eq!(summary(&files["fr@example.org"]), "Ouverture");
    assert_eq!(summary(&files["fr-nz@example.org"]), "Ouverture");
    assert_eq!(summary(&files["pt@example.org"]), "Abertura");
    // No Spanish or English title given: the title as written.
    assert_eq!(summary(&files["es@example.org"]), "Opening");
    assert_eq!(summary(&files["en@example.org"]), "Opening");
    // The programme's own calendar keeps the organizer's title.
    let all = std::fs::read_to_string(dir.path().join("public/langs.ics")).unwrap();
    assert_eq!(summary(&all), "Opening");

    let bad = programme.replace("fr = \"Ouverture\"", "de = \"Eröffnung\"");
    std::fs::write(dir.path().join("programme.toml"), bad).unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["check", "programme.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`titles`: `de` is not a language roundtable ships"),
        "{stderr}"
    );
}

#[test]
fn session_languages_are_shown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let programme = PROGRAMME.replace(
        "title = \"Opening\"",
        "title = \"Opening\"\nlanguages = [\"en\", \"es-419\"]\ninterpretation = \"Interpretation into Spanish on channel 2\"",
    );
    std::fs::write(dir.path().join("programme.toml"), &programme).unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files = calendars(dir.path());
    let fr = description(&files["fr@example.org"]);
    assert!(fr.contains("\nLangues : English, Español\n"), "{fr}");
    assert!(
        fr.contains("\nInterprétation : Interpretation into Spanish on channel 2\n"),
        "{fr}"
    );
    assert!(
        fr.contains("\nCette séance se tient en English, Español, aucune de vos langues."),
        "{fr}"
    );
    let es = description(&files["es@example.org"]);
    assert!(es.contains("\nIdiomas: English, Español\n"), "{es}");
    assert!(!es.contains("ninguno de sus idiomas"), "{es}");

    // check: one `language` warning per occurrence for each participant who follows neither
    // English nor Spanish: the three French and two Arabic readers and the Portuguese one.
    let out = roundtable()
        .current_dir(dir.path())
        .args([
            "check",
            "programme.toml",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut who: Vec<&str> = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "language")
        .map(|c| {
            assert_eq!(c["severity"], "warning");
            c["participant"].as_str().unwrap()
        })
        .collect();
    who.sort_unstable();
    assert_eq!(
        who,
        [
            "ar-riyadh@example.org",
            "ar@example.org",
            "fr-nz@example.org",
            "fr-paris@example.org",
            "fr@example.org",
            "pt@example.org"
        ]
    );
    // Markdown escapes the parentheses (src/neutralise.rs).
    for (format, wanted) in [
        ("text", "held in en, es, none of them their language (fr)"),
        (
            "markdown",
            "held in en, es, none of them their language \\(fr\\)",
        ),
    ] {
        let out = roundtable()
            .current_dir(dir.path())
            .args([
                "check",
                "programme.toml",
                "--format",
                format,
                "--fail-on",
                "never",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains(wanted), "{format}: {stdout}");
        assert!(stdout.contains("language"), "{format}: {stdout}");
    }
}

#[test]
fn send_writes_each_attendee_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let out = roundtable()
        .current_dir(dir.path())
        .args(["send", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Each message read back by Python's own MIME parser: To, Subject, the text's first line.
    let script = r#"
import email, glob, json, sys
from email import policy
out = {}
for f in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
    body = m.get_body(preferencelist=("plain",)).get_content()
    out[m["To"].addresses[0].addr_spec] = [str(m["Subject"]), body.splitlines()[0]]
json.dump(out, sys.stdout, ensure_ascii=False)
"#;
    let read = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("public.private/mail/outbox"))
        .output()
        .expect("python3");
    assert!(read.status.success(), "{read:?}");
    let mails: BTreeMap<String, (String, String)> = serde_json::from_slice(&read.stdout).unwrap();
    let (subject, first) = &mails["fr@example.org"];
    assert_eq!(
        subject,
        "Invitation : Opening — mardi 14 novembre 2023, 21:00 (heure de l’Ouest indonésien)"
    );
    assert_eq!(
        first,
        "Votre heure : mardi 14 novembre 2023, 21:00–23:30 (heure de l’Ouest indonésien)"
    );
    let (subject, first) = &mails["en@example.org"];
    assert_eq!(
        subject,
        "Invitation: Opening — Tue 14 Nov 2023, 15:00 (Europe/Berlin, UTC+01:00)"
    );
    assert_eq!(
        first,
        "Your time: Tue 14 Nov 2023, 15:00–17:30 (Europe/Berlin, UTC+01:00)"
    );
    assert!(mails["pt@example.org"].0.starts_with("Convite: Opening — "));
    assert!(mails["ar@example.org"].0.starts_with("دعوة: Opening — "));
}

#[test]
fn a_join_link_per_language_reaches_its_readers() {
    let dir = tempfile::tempdir().unwrap();
    let programme = PROGRAMME.replace(
        "title = \"Opening\"",
        "title = \"Opening\"\njoin_url = \"https://example.org/floor\"\njoin_urls = { es = \"https://example.org/es\", \"pt-BR\" = \"https://example.org/pt\" }",
    );
    std::fs::write(dir.path().join("programme.toml"), &programme).unwrap();
    std::fs::write(dir.path().join("people.csv"), PEOPLE).unwrap();
    let out = roundtable()
        .current_dir(dir.path())
        .args(["invites", "programme.toml", "--out", "public"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let files = calendars(dir.path());
    let url = |email: &str| {
        files[email]
            .replace("\r\n ", "")
            .lines()
            .find_map(|l| l.strip_prefix("URL:").map(str::to_string))
            .expect("URL")
    };
    assert_eq!(url("es@example.org"), "https://example.org/es");
    assert_eq!(url("es-mx@example.org"), "https://example.org/es");
    assert_eq!(url("pt@example.org"), "https://example.org/pt");
    assert_eq!(url("fr@example.org"), "https://example.org/floor");
    assert_eq!(url("en@example.org"), "https://example.org/floor");
    assert!(description(&files["es@example.org"]).ends_with("\n\nUnirse: https://example.org/es"));
    assert!(
        description(&files["fr@example.org"])
            .ends_with("\n\nRejoindre : https://example.org/floor")
    );
    let all = std::fs::read_to_string(dir.path().join("public/langs.ics")).unwrap();
    assert!(all.contains("URL:https://example.org/floor"));
    assert!(!all.contains("example.org/es"));
}
