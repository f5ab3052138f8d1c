//! The fuzz harnesses: one function per target, each taking the fuzzer's bytes through the
//! public API of roundtable. A harness must never panic or hang, whatever the bytes; the only
//! panics it raises itself are the invariants it asserts.
//!
//! The fuzz targets (fuzz/fuzz_targets/*.rs) call these functions, and so does
//! tests/it/fuzz_regressions.rs (through `#[path]`), so a crash input found by the fuzzer is
//! replayed by `cargo test` through exactly the same code.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use roundtable::civil::{Disambiguation, resolve};
use roundtable::hours::HoursRange;
use roundtable::recurrence::{MAX_OCCURRENCES, Rule};
use roundtable::times::Format;
use roundtable::zone::ZoneSpec;

/// The participants files of the examples and fixtures, put beside every fuzzed programme so that the seeds
/// (and their mutations) that name one load it.
const CSV_FILES: [(&str, &[u8]); 4] = [
    (
        "city-diplomacy-training-2023-12.csv",
        include_bytes!("../../sessions/city-diplomacy-training-2023-12.csv"),
    ),
    (
        "climate-mobility-2023-07.csv",
        include_bytes!("../../sessions/climate-mobility-2023-07.csv"),
    ),
    (
        "peer-learning-2023-11.csv",
        include_bytes!("../../sessions/peer-learning-2023-11.csv"),
    ),
    (
        "custom-hours.csv",
        include_bytes!("../../tests/data/plan/custom-hours.csv"),
    ),
];

const FORMATS: [Format; 3] = [Format::Text, Format::Json, Format::Csv];

/// One folder for the whole process (removed when the process ends normally), holding the
/// example CSVs; each input gets its own file name so that tests running in parallel threads
/// never share one.
fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("roundtable-fuzz-")
            .tempdir()
            .expect("create a temporary folder");
        for (name, bytes) in CSV_FILES {
            std::fs::write(dir.path().join(name), bytes).expect("write an example CSV");
        }
        dir
    })
    .path()
}

fn scratch_file(extension: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    scratch().join(format!("input-{n}.{extension}"))
}

/// Target `programme`: the bytes as a programme file → `Programme::load` → `occurrence::expand`
/// → `view::participant_rows` and `view::zone_rows` → `times::render` and `times::write` in
/// every format.
pub fn programme(data: &[u8]) {
    let path = scratch_file("toml");
    std::fs::write(&path, data).expect("write the programme");
    let loaded = roundtable::programme::Programme::load(&path);
    let _ = std::fs::remove_file(&path);
    let Ok(loaded) = loaded else { return };
    let programme = &loaded.programme;
    let Ok(schedule) = roundtable::occurrence::expand(programme) else {
        return;
    };
    let rows = roundtable::view::participant_rows(programme, &schedule, None);
    for format in FORMATS {
        let _ = roundtable::times::render(programme, &rows, format);
        let streamed = roundtable::view::participant_rows_iter(programme, &schedule, None);
        roundtable::times::write(&mut std::io::sink(), programme, streamed, format)
            .expect("writing to a sink cannot fail");
    }
    let zone_rows = roundtable::view::zone_rows(programme, &schedule, &programme.timezone);
    for format in FORMATS {
        let _ = roundtable::times::render(programme, &zone_rows, format);
    }
}

/// The start used when the input's own start piece is not a date-time: in New York's 2024
/// spring-forward gap, so that the policies differ.
fn fixed_start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, 10)
        .and_then(|d| d.and_hms_opt(2, 30, 0))
        .expect("a valid date-time")
}

fn parse_civil(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y%m%dT%H%M%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text.trim(), f).ok())
}

/// Target `small_parsers`: the input split on newlines into a duration, an hours range, a zone,
/// a recurrence rule and a civil start (missing pieces are empty), each through its parser;
/// then the rule expanded from the start in the zone, and every occurrence resolved with every
/// policy. Invariants: what `Display` or `format_minutes` writes parses back to the same value;
/// an expansion starts at its start, ascends and is capped.
pub fn small_parsers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut pieces = text.split('\n');
    let mut next = || pieces.next().unwrap_or("");
    let (duration, hours, zone, rule, start) = (next(), next(), next(), next(), next());

    let minutes = match roundtable::duration::parse_duration(duration) {
        Ok(d) => {
            let written = roundtable::duration::format_minutes(d.num_minutes());
            let again = roundtable::duration::parse_duration(&written);
            assert_eq!(again.ok(), Some(d), "{duration:?} → {written:?}");
            d.num_minutes()
        }
        Err(_) => 90,
    };

    if let Ok(range) = hours.parse::<HoursRange>() {
        assert_eq!(
            range.to_string().parse::<HoursRange>(),
            Ok(range),
            "{hours:?}"
        );
        let _ = range.len_minutes();
        let other = HoursRange {
            start: 22 * 60,
            end: 6 * 60,
        };
        let _ = range.intersection(&other);
        for minute in [0, range.start, range.end.saturating_sub(1), 1439] {
            let _ = range.contains(minute);
        }
        let overlap = range.overlap_minutes(i64::from(range.start) - 720, minutes);
        assert!((0..=minutes).contains(&overlap), "{hours:?} {minutes}");
    }

    let _ = zone.parse::<Disambiguation>();
    let spec = zone
        .parse::<ZoneSpec>()
        .or_else(|_| "America/New_York".parse::<ZoneSpec>())
        .expect("a valid zone");
    let _ = spec.zone.name();
    let start = parse_civil(start).unwrap_or_else(fixed_start);
    let mut civil = vec![start];
    if let Ok(rule) = rule.parse::<Rule>()
        && let Ok(expansion) = rule.expand(start, &spec.zone)
    {
        let starts = &expansion.starts;
        assert_eq!(starts.first(), Some(&start), "{rule:?}");
        assert!(starts.len() <= MAX_OCCURRENCES, "{rule:?}");
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{rule:?}");
        civil.extend(starts.iter().take(50).copied());
    }
    for c in civil {
        for (policy, _) in Disambiguation::ALL {
            match resolve(c, &spec.zone, policy) {
                Ok(instant) => {
                    let _ = spec.zone.local(instant);
                }
                Err(ambiguity) => {
                    let _ = ambiguity.describe(&spec.zone);
                }
            }
        }
    }
}

/// Target `participants_csv`: the bytes as a participants CSV. Invariant: every row handed over
/// has a line number and its three required cells. (The cells' values are checked by the
/// `programme` and `small_parsers` targets: parsing every row's zone here, with suggestions
/// for a misspelled one, would make this target fourteen times slower.)
pub fn participants_csv(data: &[u8]) {
    let problems =
        roundtable::programme::participants::parse(Path::new("fuzz.csv"), data, &mut |row| {
            assert!(row.location.line.is_some_and(|l| l >= 1), "{row:?}");
            assert!(
                !row.name.is_empty() && !row.email.is_empty() && !row.timezone.is_empty(),
                "{row:?}"
            );
        });
    for p in &problems {
        let _ = p.to_string();
    }
}

/// The zone floating and all-day times of `busy_ics` are read in.
pub const BUSY_ZONE: &str = "Europe/Paris";

/// The four weeks `busy_ics` reads: across the end of DST in Europe (27 October) and in the
/// United States (3 November), and the dates of the busy fixtures.
pub fn busy_window() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2024, 10, 14, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2024, 11, 11, 0, 0, 0).unwrap(),
    )
}

/// Target `busy_ics`: the bytes as a busy calendar, read in [`BUSY_ZONE`] over
/// [`busy_window`]. Invariants: every interval overlaps the window (or is an instant in it) and
/// does not end before it starts.
pub fn busy_ics(data: &[u8]) {
    let zone = BUSY_ZONE.parse::<ZoneSpec>().expect("a valid zone").zone;
    let (from, to) = busy_window();
    match roundtable::busy::read(Path::new("fuzz.ics"), data, &zone, (from, to)) {
        Ok(list) => {
            for b in &list {
                assert!(b.start <= b.end, "{b:?}");
                assert!(b.start < to && (b.end > from || b.start >= from), "{b:?}");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Target `ics_text`: for any string, `escape_text` writes no raw CR or LF; `param_value` and
/// `uri_value` write no control character; a content line folded by `push_line` has no physical
/// line over 75 octets and `unfold` gives it back.
pub fn ics_text(data: &[u8]) {
    use roundtable::ics::text::{escape_text, param_value, push_line, unfold, uri_value};
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let escaped = escape_text(s);
    assert!(!escaped.contains(['\r', '\n']), "{s:?} → {escaped:?}");
    let param = param_value(s);
    assert!(!param.chars().any(char::is_control), "{s:?} → {param:?}");
    let uri = uri_value(s);
    assert!(!uri.chars().any(char::is_control), "{s:?} → {uri:?}");

    let round_trip = |line: &str| {
        let mut out = String::new();
        push_line(&mut out, line);
        assert!(out.ends_with("\r\n"), "{line:?}");
        let body = &out[..out.len() - 2];
        assert!(
            body.split("\r\n").all(|l| l.len() <= 75),
            "{line:?} → {out:?}"
        );
        assert_eq!(unfold(&out), vec![line.to_string()], "{line:?} → {out:?}");
    };
    round_trip(&format!("SUMMARY:{escaped}"));
    round_trip(&format!("ATTENDEE;CN={param}:mailto:{uri}"));
    // A raw value round-trips too, as long as it is one non-empty line.
    if !s.is_empty() && !s.contains("\r\n") {
        round_trip(s);
    }
}
