//! Participants CSVs as registration tools export them (tests/data/forms/: Google Forms'
//! "Download responses (.csv)" and Eventbrite's attendee summary export), loaded end to end by
//! the binary: recognised headers mapped, the others ignored with one warning, a `Country`
//! column checked against the zone, and the strictness kept where it matters (two columns for
//! one field, a missing required column). Local times worked out by hand in the comments.

use crate::support::{root, roundtable};
use serde_json::{Value, json};
use std::path::Path;

/// `times --format json` of a copy of tests/data/forms/programme.toml reading `csv`, in a
/// fresh folder: (exit code, JSON if any, standard error).
fn times_of(csv_name: &str, csv: &[u8]) -> (i32, Option<Value>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let programme = std::fs::read_to_string(root().join("tests/data/forms/programme.toml"))
        .expect("programme")
        .replace(
            "participants = \"google-forms.csv\"",
            &format!("participants = \"{csv_name}\""),
        );
    std::fs::write(dir.path().join("programme.toml"), programme).expect("write");
    std::fs::write(dir.path().join(csv_name), csv).expect("write");
    run(dir.path())
}

fn run(dir: &Path) -> (i32, Option<Value>, String) {
    let out = roundtable()
        .current_dir(dir)
        .args(["times", "--format", "json", "programme.toml"])
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).ok(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn export(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/data/forms").join(name)).expect("export")
}

/// (participant, timezone, start_local) of every row.
fn rows(v: &Value) -> Vec<(String, String, String)> {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["participant"].as_str().unwrap_or("").to_string(),
                r["timezone"].as_str().unwrap_or("").to_string(),
                r["start_local"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn triple(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), c.to_string())
}

// The session: Tue 10 Oct 2023 15:00 Paris (+02:00) = 13:00Z.

#[test]
fn a_google_forms_export_loads_as_downloaded() {
    let (code, v, err) = times_of("google-forms.csv", &export("google-forms.csv"));
    assert_eq!(code, 0, "{err}");
    let v = v.expect("json");
    // Lagos +01:00 14:00; Berlin +02:00 15:00; London (BST) +01:00 14:00; Bogotá −05:00 08:00;
    // Shanghai +08:00 21:00. Sorted by e-mail (one start).
    assert_eq!(
        rows(&v),
        vec![
            triple(
                "amina.bello@example.org",
                "Africa/Lagos",
                "2023-10-10T14:00:00+01:00"
            ),
            triple(
                "ingrid.solberg@example.org",
                "Europe/Berlin",
                "2023-10-10T15:00:00+02:00"
            ),
            triple(
                "kofi.mensah@example.org",
                "Europe/London",
                "2023-10-10T14:00:00+01:00"
            ),
            triple(
                "tomas.herrera@example.org",
                "America/Bogota",
                "2023-10-10T08:00:00-05:00"
            ),
            triple(
                "wen.zhang@example.org",
                "Asia/Shanghai",
                "2023-10-10T21:00:00+08:00"
            ),
        ]
    );
    // One warning for the three columns roundtable does not read, naming them.
    assert_eq!(err.matches("ignored").count(), 1, "{err}");
    assert!(
        err.contains("google-forms.csv:1: 3 columns ignored: `Timestamp`, `Which sessions will you attend?`, `Anything else we should know?`"),
        "{err}"
    );
    // Kofi says Ghana (GMT all year) but chose London (+01:00 in October): a warning on his
    // row. Ingrid says Norway and chose Berlin, whose clock is Oslo's: nothing.
    assert_eq!(err.matches("keeps another clock").count(), 1, "{err}");
    assert!(
        err.contains("google-forms.csv:6: column `Country` says Ghana, but the time zone `Europe/London` (it is in United Kingdom)"),
        "{err}"
    );
    assert!(err.contains("Ghana has `Africa/Accra`"), "{err}");
    assert!(!err.contains("Norway"), "{err}");
}

#[test]
fn an_eventbrite_export_loads_as_downloaded() {
    let (code, v, err) = times_of("eventbrite.csv", &export("eventbrite.csv"));
    assert_eq!(code, 0, "{err}");
    let v = v.expect("json");
    // Accra +00:00 13:00; the others as in the Google Forms export.
    assert_eq!(
        rows(&v),
        vec![
            triple(
                "amina.bello@example.org",
                "Africa/Lagos",
                "2023-10-10T14:00:00+01:00"
            ),
            triple(
                "kofi.mensah@example.org",
                "Africa/Accra",
                "2023-10-10T13:00:00+00:00"
            ),
            triple(
                "tomas.herrera@example.org",
                "America/Bogota",
                "2023-10-10T08:00:00-05:00"
            ),
            triple(
                "wen.zhang@example.org",
                "Asia/Shanghai",
                "2023-10-10T21:00:00+08:00"
            ),
        ]
    );
    // Names are First Name and Last Name joined: the text output shows them.
    let dir = tempfile::tempdir().expect("tempdir");
    let programme = std::fs::read_to_string(root().join("tests/data/forms/programme.toml"))
        .expect("programme")
        .replace("google-forms.csv", "eventbrite.csv");
    std::fs::write(dir.path().join("programme.toml"), programme).expect("write");
    std::fs::write(dir.path().join("eventbrite.csv"), export("eventbrite.csv")).expect("write");
    let text = roundtable()
        .current_dir(dir.path())
        .args(["times", "programme.toml"])
        .output()
        .expect("run");
    let text = String::from_utf8(text.stdout).expect("utf8");
    for name in ["Amina Bello", "Tomás Herrera", "Wen Zhang", "Kofi Mensah"] {
        assert!(text.contains(name), "{name}: {text}");
    }
    // 25 columns: First Name, Last Name, Email, Home Country and Time zone (IANA) are read;
    // the 20 others are one warning, ten named. The `Group` column (Tomás's "Partners") is
    // Eventbrite's, not roundtable's groups. NG, CO, CN and GH fit the zones: no warning.
    assert_eq!(err.matches("ignored").count(), 1, "{err}");
    assert!(
        err.contains("eventbrite.csv:1: 20 columns ignored: `Order #`, `Order Date`, `Quantity`"),
        "{err}"
    );
    assert!(err.contains("and 10 more"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    assert!(!err.contains("keeps another clock"), "{err}");
}

#[test]
fn headers_are_compared_without_case_spaces_or_punctuation() {
    // Ana's working hours 10:00-18:00 are read from `Working Hours`; the session (15:00–17:00
    // Paris = 10:00–12:00 in São Paulo, −03:00) is inside them.
    let csv = b" NAME ,E-Mail, Time Zone ,Working Hours,WEEKEND days\nAna,ana@example.org,America/Sao_Paulo,10:00-18:00,sat;sun\n";
    let (code, v, err) = times_of("p.csv", csv);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rows(&v.expect("json")),
        vec![triple(
            "ana@example.org",
            "America/Sao_Paulo",
            "2023-10-10T10:00:00-03:00"
        )]
    );
    assert!(!err.contains("ignored"), "{err}");
    // A first name alone is the name.
    let (code, _, err) = times_of(
        "p.csv",
        b"First name,Email,Timezone\nAna,ana@example.org,UTC\n",
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn two_columns_for_one_field_and_missing_columns_are_errors() {
    // A Microsoft Forms export of a form open to anyone: its own Email and Name columns (the
    // responder's account, "anonymous") and the form's questions for them.
    let (code, _, err) = times_of(
        "p.csv",
        b"ID,Start time,Completion time,Email,Name,Your email address,Your name,Time zone\n1,10/2/23 9:14:05,10/2/23 9:16:40,anonymous,Anonymous,ana@example.org,Ana,UTC\n",
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("p.csv:1: columns `Email` (column 4) and `Your email address` (column 6) both give the email"),
        "{err}"
    );
    assert!(
        err.contains("columns `Name` (column 5) and `Your name` (column 7) both give the name"),
        "{err}"
    );
    assert!(
        err.contains("keep one of them: delete or rename the other"),
        "{err}"
    );
    // The same header twice.
    let (code, _, err) = times_of(
        "p.csv",
        b"name,email,email,timezone\nAna,a@example.org,a@example.org,UTC\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("column `email` appears twice (columns 2 and 3)"),
        "{err}"
    );
    // A misspelt required column: missing, with the column it probably is.
    let (code, _, err) = times_of("p.csv", b"name,email,Timezon\nAna,a@example.org,UTC\n");
    assert_eq!(code, 2);
    assert!(err.contains("p.csv:1: missing column `timezone`"), "{err}");
    assert!(
        err.contains("did you mean `Timezon`? Rename it `timezone`"),
        "{err}"
    );
    // No name, nor first or last name.
    let (code, _, err) = times_of(
        "p.csv",
        b"Email,Time zone,Organisation\na@example.org,UTC,X\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("missing column `name` (or first and last names)"),
        "{err}"
    );
    assert!(err.contains("`name,email,timezone`"), "{err}");
    // A row whose first and last names are both empty.
    let (code, _, err) = times_of(
        "p.csv",
        b"First Name,Last Name,Email,Timezone\nAna,Lima,a@example.org,UTC\n,,b@example.org,UTC\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("p.csv:3: columns `First Name` and `Last Name` are empty"),
        "{err}"
    );
}

#[test]
fn countries_are_read_as_names_or_codes() {
    // Côte d'Ivoire is Africa/Abidjan's country; `UTC+1` keeps Lagos's clock all year; `NGA`
    // is Nigeria's alpha-3 code; Atlantis is no country.
    let csv = "name,email,timezone,Country/Region\n\
Awa,awa@example.org,Africa/Abidjan,Côte d’Ivoire\n\
Ben,ben@example.org,UTC+1,NGA\n\
Cy,cy@example.org,Africa/Lagos,Atlantis\n\
Di,di@example.org,Asia/Kolkata,Nepal\n";
    let (code, _, err) = times_of("p.csv", csv.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("keeps another clock").count(), 1, "{err}");
    // Kolkata is +05:30, Kathmandu +05:45.
    assert!(
        err.contains("p.csv:5: column `Country/Region` says Nepal, but the time zone `Asia/Kolkata` (it is in India)"),
        "{err}"
    );
    assert!(err.contains("Nepal has `Asia/Kathmandu`"), "{err}");
    assert!(
        err.contains(
            "p.csv:4: column `Country/Region`: `Atlantis` is not a country roundtable knows"
        ),
        "{err}"
    );
    // Many rows that do not fit: 20 shown, the rest counted.
    let mut csv = String::from("name,email,timezone,country\n");
    for i in 0..25 {
        csv.push_str(&format!("P{i},p{i}@example.org,Asia/Tokyo,FR\n"));
    }
    let (code, _, err) = times_of("p.csv", csv.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("keeps another clock").count(), 20, "{err}");
    assert!(
        err.contains("... and 5 more time zones that do not fit the participant's country"),
        "{err}"
    );
}

#[test]
fn the_json_of_the_examples_is_unchanged_by_an_export_layout() {
    // The same participants from the two exports give the same rows where they agree.
    let (_, g, _) = times_of("google-forms.csv", &export("google-forms.csv"));
    let (_, e, _) = times_of("eventbrite.csv", &export("eventbrite.csv"));
    let pick = |v: &Value, who: &str| -> Value {
        v["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["participant"] == json!(who))
            .cloned()
            .unwrap_or(Value::Null)
    };
    for who in [
        "amina.bello@example.org",
        "tomas.herrera@example.org",
        "wen.zhang@example.org",
    ] {
        assert_eq!(
            pick(&g.clone().expect("g"), who),
            pick(&e.clone().expect("e"), who),
            "{who}"
        );
    }
}
