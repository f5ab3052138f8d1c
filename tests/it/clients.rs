//! Real calendar clients read the invite files and show exactly what
//! `roundtable times --format json` says: Evolution's data server (libecal/libical 3, over
//! D-Bus), khal, calcurse and the Radicale CalDAV server. Each is driven by a script in
//! tests/clients/ (see its README.md) that prints the JSON of tests/ics/expand.py.
//!
//! For every programme in sessions/ and tests/data/programmes/ (dst-stress.toml is the DST
//! stress test), `invites` is run on a copy and the programme calendar, every participant
//! calendar and every session invitation is imported into the client; each occurrence the
//! client shows is compared with `times`. Then updates: a participant calendar and the
//! programme calendar imported one after the other (same UIDs) must not duplicate; a
//! REQUEST with a higher SEQUENCE (or, for khal and Radicale, the new programme calendar)
//! must move the session; a CANCEL (EDS: iTIP, Radicale: DELETE) or the new programme
//! calendar must remove it.
//!
//! Every difference is collected and reported at once (file, UID, expected vs shown).
//! A missing client fails the test unless ROUNDTABLE_CLIENTS_OPTIONAL is set.
//! tests/run.sh installs the clients.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::support::{copy_dir, copy_programme, programmes, root, roundtable_process, run_ok};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq)]
enum Client {
    Eds,
    Khal,
    Calcurse,
    Radicale,
}

impl Client {
    fn name(self) -> &'static str {
        match self {
            Client::Eds => "Evolution data server",
            Client::Khal => "khal",
            Client::Calcurse => "calcurse",
            Client::Radicale => "Radicale",
        }
    }

    /// The command that runs the client's script (FILE arguments are appended).
    fn command(self) -> Command {
        let script = |s: &str| root().join("tests/clients").join(s);
        let mut c = match self {
            Client::Eds => {
                let mut c = Command::new("/usr/bin/python3");
                c.arg(script("eds.py"));
                c
            }
            Client::Khal => {
                let mut c = Command::new("python3");
                c.arg(script("khal_client.py"));
                c
            }
            Client::Calcurse => {
                let mut c = Command::new("python3");
                c.arg(script("calcurse_client.py"));
                c
            }
            Client::Radicale => {
                let mut c = Command::new("python3");
                c.arg(script("radicale_client.py"));
                c
            }
        };
        c.env_remove("TZ");
        c
    }

    /// None if the client is installed, else what is missing.
    fn missing(self) -> Option<String> {
        let ok = |cmd: &mut Command| cmd.output().map(|o| o.status.success()).unwrap_or(false);
        let (what, present) = match self {
            Client::Eds => (
                "evolution-data-server, gir1.2-ecal-2.0, python3-gi and dbus-run-session",
                Path::new("/usr/libexec/evolution-calendar-factory").exists()
                    && Path::new("/usr/libexec/evolution-source-registry").exists()
                    && ok(Command::new("dbus-run-session").arg("--version"))
                    && ok(Command::new("/usr/bin/python3").args([
                        "-c",
                        "import gi; gi.require_version('ECal', '2.0'); \
                         gi.require_version('ICalGLib', '3.0'); \
                         from gi.repository import ECal, ICalGLib",
                    ])),
            ),
            Client::Khal => (
                "khal (pip install -r tests/clients/requirements.txt)",
                ok(Command::new("python3").args(["-c", "import khal"])),
            ),
            Client::Calcurse => (
                "calcurse (apt-get install calcurse)",
                ok(Command::new("calcurse").arg("--version")),
            ),
            Client::Radicale => (
                "Radicale (pip install -r tests/clients/requirements.txt)",
                ok(Command::new("python3").args(["-c", "import radicale"])),
            ),
        };
        (!present).then(|| what.to_string())
    }

    /// Whether the client can take several files into one calendar (updates, cancels).
    fn updates(self) -> bool {
        self != Client::Calcurse
    }
}

/// One occurrence: (session, start_utc, end_utc).
type Occ = (String, String, String);

/// A programme copied to a temporary folder, with `times` and `invites` run on it.
struct Run {
    dir: tempfile::TempDir,
    toml: PathBuf,
    id: String,
    /// All occurrences, and per participant e-mail.
    whole: BTreeSet<Occ>,
    per_participant: BTreeMap<String, BTreeSet<Occ>>,
}

impl Run {
    fn new(programme: &Path) -> Run {
        let dir = tempfile::tempdir().expect("tempdir");
        // Copy the folder's files (the CSV a programme names) but not its lock file.
        let toml = copy_programme(programme, dir.path());
        let mut r = Run {
            dir,
            toml,
            id: String::new(),
            whole: BTreeSet::new(),
            per_participant: BTreeMap::new(),
        };
        r.invites();
        r
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn private(&self) -> PathBuf {
        self.dir.path().join("out.private")
    }

    /// `times` and `invites` on the current TOML.
    fn invites(&mut self) {
        let times: Value = serde_json::from_slice(&run_ok(
            roundtable_process()
                .args(["times", "--format", "json"])
                .arg(&self.toml),
            "roundtable times",
        ))
        .expect("times json");
        run_ok(
            roundtable_process()
                .arg("invites")
                .arg(&self.toml)
                .arg("--out")
                .arg(self.out()),
            "roundtable invites",
        );
        self.id = times["programme"].as_str().expect("id").to_string();
        self.whole.clear();
        self.per_participant.clear();
        for r in times["rows"].as_array().expect("rows") {
            let t = (
                r["session"].as_str().expect("s").to_string(),
                r["start_utc"].as_str().expect("s").to_string(),
                r["end_utc"].as_str().expect("e").to_string(),
            );
            self.per_participant
                .entry(r["participant"].as_str().expect("p").to_string())
                .or_default()
                .insert(t.clone());
            self.whole.insert(t);
        }
    }

    fn programme_file(&self) -> PathBuf {
        self.out().join(format!("{}.ics", self.id))
    }

    /// (file, participant e-mail) from index.csv.
    fn participant_files(&self) -> Vec<(PathBuf, String)> {
        let mut index = csv::Reader::from_path(self.private().join("participants/index.csv"))
            .expect("index.csv");
        index
            .records()
            .map(|r| {
                let r = r.expect("row");
                (self.out().join(&r[2]), r[0].to_string())
            })
            .collect()
    }

    fn session_file(&self, session: &str) -> PathBuf {
        self.private().join(format!("sessions/{session}.ics"))
    }

    /// The invitations of `session`: its own and those of the later parts of a series split
    /// at a DST change (`<session>~<start>.ics`), sorted.
    fn session_files(&self, session: &str) -> Vec<PathBuf> {
        let mut files = vec![self.session_file(session)];
        let prefix = format!("{session}~");
        if let Ok(dir) = std::fs::read_dir(self.private().join("sessions")) {
            let mut parts: Vec<PathBuf> = dir
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with(&prefix) && n.ends_with(".ics") && !n.ends_with(".cancel.ics")
                    })
                })
                .collect();
            parts.sort();
            files.extend(parts);
        }
        files
    }

    fn sessions(&self) -> BTreeSet<String> {
        self.whole.iter().map(|t| t.0.clone()).collect()
    }

    /// Keep a copy of the current output folders under `name` (a later run replaces them).
    fn snapshot(&self, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        for (from, sub) in [(self.out(), "out"), (self.private(), "out.private")] {
            copy_dir(&from, &to.join(sub));
        }
        to
    }

    /// The session of a UID; a later part of a series split at a DST change
    /// (`<session>~<start>`) counts as its session.
    fn session_of(&self, uid: &str) -> String {
        let stem = uid.split(&format!(".{}@", self.id)).next().unwrap_or(uid);
        stem.split('~').next().unwrap_or(stem).to_string()
    }
}

/// What the client shows for one file (or a sequence), as its script printed it.
struct Shown {
    /// Occurrences with their UID, in the order printed (duplicates kept).
    events: Vec<(String, Occ)>,
    cancelled: Vec<(String, Occ)>,
    sequence: BTreeMap<String, Option<i64>>,
    /// calcurse only: the sessions it can be expected to show right.
    compared: Option<BTreeSet<String>>,
    skipped: BTreeMap<String, String>,
}

impl Shown {
    /// What several files show, as one.
    fn merge(parts: &[&Shown]) -> Shown {
        let mut m = Shown {
            events: Vec::new(),
            cancelled: Vec::new(),
            sequence: BTreeMap::new(),
            compared: None,
            skipped: BTreeMap::new(),
        };
        for p in parts {
            m.events.extend(p.events.iter().cloned());
            m.cancelled.extend(p.cancelled.iter().cloned());
            m.sequence
                .extend(p.sequence.iter().map(|(k, v)| (k.clone(), *v)));
            m.skipped
                .extend(p.skipped.iter().map(|(k, v)| (k.clone(), v.clone())));
            if let Some(c) = &p.compared {
                m.compared
                    .get_or_insert_with(BTreeSet::new)
                    .extend(c.iter().cloned());
            }
        }
        if let Some(c) = &mut m.compared {
            c.retain(|s| !m.skipped.contains_key(s));
        }
        m
    }
}

fn read_report(json: &[u8], run: &Run) -> BTreeMap<String, Shown> {
    let v: Value = serde_json::from_slice(json).expect("client JSON");
    let occ = |e: &Value| {
        let uid = e["uid"].as_str().unwrap_or("(no UID)").to_string();
        let session = match e["uid"].as_str() {
            Some(u) => run.session_of(u),
            None => format!("(no UID: {})", e["summary"].as_str().unwrap_or("")),
        };
        (
            uid,
            (
                session,
                e["start_utc"].as_str().unwrap_or("(none)").to_string(),
                e["end_utc"].as_str().unwrap_or("(none)").to_string(),
            ),
        )
    };
    let mut out = BTreeMap::new();
    for (file, f) in v["files"].as_object().expect("files") {
        let events: Vec<_> = f["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(occ)
            .collect();
        let cancelled: Vec<_> = f["cancelled"]
            .as_array()
            .expect("cancelled")
            .iter()
            .map(occ)
            .collect();
        let mut sequence = BTreeMap::new();
        for e in f["events"].as_array().expect("events") {
            if let Some(u) = e["uid"].as_str() {
                sequence.insert(run.session_of(u), e["sequence"].as_i64());
            }
        }
        let skipped: BTreeMap<String, String> = f
            .get("skipped")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (run.session_of(k), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        // A session is compared when none of its events (the parts of a series split at a DST
        // change are several) is skipped.
        let compared = f.get("compared").and_then(Value::as_array).map(|a| {
            a.iter()
                .map(|u| run.session_of(u.as_str().expect("uid")))
                .filter(|s| !skipped.contains_key(s))
                .collect()
        });
        out.insert(
            file.clone(),
            Shown {
                events,
                cancelled,
                sequence,
                compared,
                skipped,
            },
        );
    }
    out
}

/// Differences, each listed once with the files it was seen in.
#[derive(Default)]
struct Diffs {
    /// (context, difference) -> files
    seen: BTreeMap<(String, String), Vec<String>>,
}

impl Diffs {
    fn add(&mut self, context: &str, line: String, file: &Path) {
        self.seen
            .entry((context.to_string(), line))
            .or_default()
            .push(file.display().to_string());
    }

    fn len(&self) -> usize {
        self.seen.len()
    }

    fn report(&self) -> String {
        let mut out = String::new();
        for ((context, line), files) in &self.seen {
            let _ = write!(out, "{context}: {line}\n    in {}", files[0]);
            if files.len() > 1 {
                let _ = write!(out, " and {} other file(s)", files.len() - 1);
            }
            out.push('\n');
        }
        out
    }
}

/// Compare what the client shows for `file` with `expected`; record the differences.
fn compare(
    report: &mut Diffs,
    label: &str,
    file: &Path,
    shown: Option<&Shown>,
    expected: &BTreeSet<Occ>,
) -> usize {
    let Some(shown) = shown else {
        report.add(label, "the client reported nothing".into(), file);
        return 1;
    };
    let expected: BTreeSet<Occ> = match &shown.compared {
        Some(c) => expected
            .iter()
            .filter(|t| c.contains(&t.0))
            .cloned()
            .collect(),
        None => expected.clone(),
    };
    let mut count: BTreeMap<&Occ, usize> = BTreeMap::new();
    let mut uid_of: BTreeMap<&Occ, &str> = BTreeMap::new();
    // Where only some sessions are compared (calcurse), what the others show is not either (a
    // one-off part of a series split at a DST change, whose other parts are recurring).
    let in_scope = |o: &Occ| shown.compared.as_ref().is_none_or(|c| c.contains(&o.0));
    for (uid, o) in shown.events.iter().filter(|(_, o)| in_scope(o)) {
        *count.entry(o).or_default() += 1;
        uid_of.insert(o, uid);
    }
    let shown_set: BTreeSet<Occ> = count.keys().map(|o| (*o).clone()).collect();
    let mut lines = Vec::new();
    // Pair what is missing with what is extra for the same session, to show expected vs shown.
    let missing: Vec<&Occ> = expected.difference(&shown_set).collect();
    let mut extra: Vec<&Occ> = shown_set.difference(&expected).collect();
    for m in &missing {
        let pos = extra.iter().position(|x| x.0 == m.0);
        match pos {
            Some(i) => {
                let x = extra.remove(i);
                lines.push(format!(
                    "{}: expected {} .. {}, shown {} .. {}",
                    m.0, m.1, m.2, x.1, x.2
                ));
            }
            None => lines.push(format!("{}: expected {} .. {}, not shown", m.0, m.1, m.2)),
        }
    }
    for x in extra {
        lines.push(format!(
            "{} (UID {}): shown {} .. {}, not expected",
            x.0,
            uid_of.get(x).copied().unwrap_or("?"),
            x.1,
            x.2
        ));
    }
    for (o, n) in &count {
        if *n > 1 {
            lines.push(format!("{}: {} .. {} shown {n} times", o.0, o.1, o.2));
        }
    }
    let n = lines.len();
    for line in lines {
        report.add(label, line, file);
    }
    n
}

fn client_json(client: Client, sequence: bool, files: &[PathBuf]) -> Vec<u8> {
    let mut cmd = client.command();
    if sequence {
        cmd.arg("--sequence");
    }
    run_ok(cmd.args(files), &format!("{} script", client.name()))
}

/// Every programme: each file the client shows against `times`.
fn check_programmes(client: Client, report: &mut Diffs) -> usize {
    let mut differences = 0;
    for programme in programmes() {
        let r = Run::new(&programme);
        let mut files = vec![r.programme_file()];
        let participants = r.participant_files();
        files.extend(participants.iter().map(|p| p.0.clone()));
        let sessions = r.sessions();
        files.extend(sessions.iter().flat_map(|s| r.session_files(s)));
        let shown = read_report(&client_json(client, false, &files), &r);
        let key = |p: &Path| p.to_string_lossy().into_owned();
        let label = format!("{} [{}]", client.name(), r.id);
        differences += compare(
            report,
            &label,
            &r.programme_file(),
            shown.get(&key(&r.programme_file())),
            &r.whole,
        );
        for (file, email) in &participants {
            let expected = r.per_participant.get(email).cloned().unwrap_or_default();
            differences += compare(
                report,
                &format!("{label} participant calendar"),
                file,
                shown.get(&key(file)),
                &expected,
            );
        }
        for s in &sessions {
            // The session's invitation and those of the later parts of a series split at a DST
            // change (`<session>~<start>.ics`), read together.
            let file = r.session_file(s);
            let parts: Vec<&Shown> = r
                .session_files(s)
                .iter()
                .filter_map(|f| shown.get(&key(f)))
                .collect();
            let merged = (!parts.is_empty()).then(|| Shown::merge(&parts));
            let expected = r.whole.iter().filter(|t| &t.0 == s).cloned().collect();
            differences += compare(
                report,
                &format!("{label} invitation"),
                &file,
                merged.as_ref(),
                &expected,
            );
        }
        for (file, s) in &shown {
            for c in &s.cancelled {
                differences += 1;
                report.add(
                    &label,
                    format!("{}: {} .. {} shown as cancelled", c.1.0, c.1.1, c.1.2),
                    Path::new(file),
                );
            }
        }
        if client == Client::Calcurse
            && let Some(s) = shown.get(&key(&r.programme_file()))
        {
            eprintln!(
                "calcurse [{}]: compared {} session(s); not compared (documented limits): {}",
                r.id,
                s.compared.as_ref().map_or(0, BTreeSet::len),
                s.skipped
                    .iter()
                    .map(|(k, v)| format!("{k} ({v})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    differences
}

/// Updates and cancellations on a copy of dst-both-hemispheres.toml: session `rio` (a
/// one-off) moves by two hours, then session `ny-gap` (a one-off) is removed.
/// The files of three published versions of one programme: v1; v2, rio two hours later; v3,
/// ny-gap removed (a CANCEL). Each path is in a snapshot of its version's folders.
struct Versions {
    run: Run,
    whole_v1: BTreeSet<Occ>,
    whole_v2: BTreeSet<Occ>,
    whole_v3: BTreeSet<Occ>,
    participant_v1: PathBuf,
    programme_v1: PathBuf,
    programme_v2: PathBuf,
    rio_v2: PathBuf,
    programme_v3: PathBuf,
    cancel_v3: PathBuf,
}

impl Versions {
    fn publish() -> Versions {
        let programme = root().join("tests/data/programmes/dst-both-hemispheres.toml");
        let mut r = Run::new(&programme);
        let v1 = r.snapshot("v1");
        let whole_v1 = r.whole.clone();
        let top = r.dir.path().to_path_buf();
        let rel = |base: &Path, p: &Path| base.join(p.strip_prefix(&top).expect("prefix"));
        let programme_v1 = rel(&v1, &r.programme_file());
        let (participant_file, _) = r
            .participant_files()
            .into_iter()
            .next()
            .expect("participant");
        let participant_v1 = rel(&v1, &participant_file);

        // v2: rio two hours later.
        let text = std::fs::read_to_string(&r.toml).expect("read");
        assert!(text.contains("start = \"2023-11-06T16:30\""));
        std::fs::write(
            &r.toml,
            text.replace(
                "start = \"2023-11-06T16:30\"",
                "start = \"2023-11-06T18:30\"",
            ),
        )
        .expect("write");
        r.invites();
        let v2 = r.snapshot("v2");
        let whole_v2 = r.whole.clone();
        let rio_v2 = rel(&v2, &r.session_file("rio"));
        let programme_v2 = rel(&v2, &r.programme_file());

        // v3: ny-gap removed.
        let text = std::fs::read_to_string(&r.toml).expect("read");
        let start = text
            .find("[[session]]\nid = \"ny-gap\"")
            .expect("ny-gap session");
        let end = start
            + 11
            + text[start + 11..]
                .find("[[session]]")
                .expect("next session");
        std::fs::write(&r.toml, format!("{}{}", &text[..start], &text[end..])).expect("write");
        r.invites();
        let v3 = r.snapshot("v3");
        let whole_v3 = r.whole.clone();
        let cancel_v3 = v3.join("out.private/sessions/ny-gap.cancel.ics");
        assert!(cancel_v3.exists(), "no CANCEL file for ny-gap");
        let programme_v3 = rel(&v3, &r.programme_file());
        Versions {
            run: r,
            whole_v1,
            whole_v2,
            whole_v3,
            participant_v1,
            programme_v1,
            programme_v2,
            rio_v2,
            programme_v3,
            cancel_v3,
        }
    }
}

/// One client's reading of a sequence of imports, compared with what it should show; counts
/// the differences into `report`.
struct Steps<'a> {
    client: Client,
    report: &'a mut Diffs,
    run: &'a Run,
    differences: usize,
}

impl Steps<'_> {
    /// Imports `files` in order and compares what the client shows for the last with
    /// `expected`, and with `check`'s own findings.
    fn step(
        &mut self,
        what: &str,
        files: &[PathBuf],
        expected: &BTreeSet<Occ>,
        check: &dyn Fn(&Shown) -> Vec<String>,
    ) {
        let t = Instant::now();
        let shown = read_report(&client_json(self.client, true, files), self.run);
        let last = files.last().expect("files");
        let label = format!("{} update: {what}", self.client.name());
        let s = shown.get(&last.to_string_lossy().into_owned());
        self.differences += compare(self.report, &label, last, s, expected);
        if let Some(s) = s {
            for line in check(s) {
                self.differences += 1;
                self.report.add(&label, line, last);
            }
        }
        eprintln!("{label}: {:.1} s", t.elapsed().as_secs_f64());
    }
}

fn check_updates(client: Client, report: &mut Diffs) -> usize {
    let v = Versions::publish();
    let mut steps = Steps {
        client,
        report,
        run: &v.run,
        differences: 0,
    };
    let none = |_: &Shown| Vec::new();
    steps.step(
        "participant calendar, then the programme calendar (same UIDs): no duplicates",
        &[v.participant_v1.clone(), v.programme_v1.clone()],
        &v.whole_v1,
        &none,
    );
    steps.step(
        "the programme calendar imported twice: no duplicates",
        &[v.programme_v1.clone(), v.programme_v1.clone()],
        &v.whole_v1,
        &none,
    );
    let rio_seq = |s: &Shown| match s.sequence.get("rio") {
        Some(Some(1)) => Vec::new(),
        other => vec![format!("rio: SEQUENCE 1 expected, shown {other:?}")],
    };
    steps.step(
        "programme calendar, then the REQUEST for rio with SEQUENCE 1: moved",
        &[v.programme_v1.clone(), v.rio_v2.clone()],
        &v.whole_v2,
        &rio_seq,
    );
    steps.step(
        "programme calendar, then the changed programme calendar: moved",
        &[v.programme_v1.clone(), v.programme_v2.clone()],
        &v.whole_v2,
        &rio_seq,
    );
    steps.step(
        "programme calendar, then the programme calendar without ny-gap",
        &[v.programme_v1.clone(), v.programme_v3.clone()],
        &v.whole_v3,
        &|s: &Shown| {
            // khal and Radicale keep the STATUS:CANCELLED event as cancelled; EDS too.
            if s.cancelled.iter().all(|c| c.1.0 == "ny-gap") {
                Vec::new()
            } else {
                vec![format!("cancelled: {:?}", s.cancelled)]
            }
        },
    );
    if matches!(client, Client::Eds | Client::Radicale) {
        let expected: BTreeSet<Occ> = v
            .whole_v1
            .iter()
            .filter(|t| t.0 != "ny-gap")
            .cloned()
            .collect();
        steps.step(
            "programme calendar, then the CANCEL for ny-gap: removed",
            &[v.programme_v1.clone(), v.cancel_v3.clone()],
            &expected,
            &|s: &Shown| {
                if s.cancelled.is_empty() {
                    Vec::new()
                } else {
                    vec![format!("still listed as cancelled: {:?}", s.cancelled)]
                }
            },
        );
    }
    steps.differences
}

fn check(client: Client) {
    if let Some(missing) = client.missing() {
        if std::env::var_os("ROUNDTABLE_CLIENTS_OPTIONAL").is_some() {
            eprintln!(
                "SKIPPED: {} is not installed ({missing}); ROUNDTABLE_CLIENTS_OPTIONAL is set",
                client.name()
            );
            return;
        }
        panic!(
            "{} is not installed: {missing} (tests/run.sh installs it; set \
             ROUNDTABLE_CLIENTS_OPTIONAL=1 to skip)",
            client.name()
        );
    }
    let t = Instant::now();
    let mut report = Diffs::default();
    let mut differences = check_programmes(client, &mut report);
    eprintln!(
        "{}: every programme in {:.1} s",
        client.name(),
        t.elapsed().as_secs_f64()
    );
    if client.updates() {
        differences += check_updates(client, &mut report);
    }
    assert!(
        differences == 0,
        "{}: {differences} difference(s) from `roundtable times`, {} distinct \
         (`expected` is what `times` says):\n{}",
        client.name(),
        report.len(),
        report.report()
    );
}

#[test]
fn evolution_data_server_shows_the_times() {
    check(Client::Eds);
}

#[test]
fn khal_shows_the_times() {
    check(Client::Khal);
}

#[test]
fn calcurse_shows_the_times() {
    check(Client::Calcurse);
}

#[test]
fn radicale_serves_the_times() {
    check(Client::Radicale);
}
