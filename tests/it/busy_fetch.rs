//! Busy calendars at web addresses (issue 16), fetched from a server this test starts on
//! 127.0.0.1: a good calendar (ETag), a gzip one (Last-Modified), a slow one, a 404, a redirect
//! loop, a body over the cap, a page that is not iCalendar; addresses from `env:` and from a
//! `busy_urls` file. The second run makes only conditional requests and gets 304s; with the
//! server failing, the cached copies are used with a note. No address's secret part ever
//! reaches an output.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::write;
use assert_cmd::Command;
use predicates::prelude::*;

/// The secret part of every address: it must never be written anywhere.
const SECRET: &str = "private-7f3a9c";

const DENTIST: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART:20240115T150000Z\r\nDURATION:PT2H\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
const PIANO: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p\r\nDTSTART:20240115T153000Z\r\nDURATION:PT1H\r\nSUMMARY:Piano lesson\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// One request as the server saw it: the path and the headers (names in lower case), and the
/// status it answered.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
    status: u16,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    down: Arc<AtomicBool>,
}

/// Starts the server; it answers each connection in a thread and lives as long as the test.
fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let down = Arc::new(AtomicBool::new(false));
    let (s, d) = (seen.clone(), down.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(1000) {
            let Ok(stream) = stream else { continue };
            let (s, d) = (s.clone(), d.clone());
            std::thread::spawn(move || answer(stream, &s, &d));
        }
    });
    Server { port, seen, down }
}

fn answer(mut stream: TcpStream, seen: &Mutex<Vec<Seen>>, down: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // A TLS ClientHello (an https:// address to this plain server): hang up at once, so that the
    // client's handshake fails the same way every time.
    let mut first = [0u8; 1];
    if stream.peek(&mut first).is_ok_and(|n| n == 1) && first[0] == 0x16 {
        return;
    }
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut record = Seen {
        path: path.clone(),
        headers,
        status: 0,
    };
    let name = path
        .split('?')
        .next()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let status = respond(&mut stream, &name, &record, down);
    record.status = status;
    seen.lock().expect("lock").push(record);
}

fn send(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

/// A calendar with an ETag: 304 when the client sends it back.
fn good(stream: &mut TcpStream, req: &Seen) -> u16 {
    if req.header("if-none-match") == Some("\"v1\"") {
        send(stream, "304 Not Modified", &[("ETag", "\"v1\"")], b"");
        return 304;
    }
    send(
        stream,
        "200 OK",
        &[("ETag", "\"v1\""), ("Content-Type", "text/calendar")],
        DENTIST.as_bytes(),
    );
    200
}

/// A gzip-encoded calendar with a Last-Modified date: 304 when the client sends it back.
fn gzipped(stream: &mut TcpStream, req: &Seen) -> u16 {
    const LM: &str = "Mon, 01 Jan 2024 00:00:00 GMT";
    if req.header("if-modified-since") == Some(LM) {
        send(stream, "304 Not Modified", &[], b"");
        return 304;
    }
    let accepts = req
        .header("accept-encoding")
        .is_some_and(|a| a.contains("gzip"));
    assert!(accepts, "gzip is accepted");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(PIANO.as_bytes()).expect("gzip");
    let body = gz.finish().expect("gzip");
    send(
        stream,
        "200 OK",
        &[("Content-Encoding", "gzip"), ("Last-Modified", LM)],
        &body,
    );
    200
}

/// About 29 MB with no Content-Length: the client finds out while reading.
fn huge(stream: &mut TcpStream) -> u16 {
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nBEGIN:VCALENDAR\r\n");
    let chunk =
        "X-FILLER:0123456789012345678901234567890123456789012345678901234567890\r\n".repeat(1000);
    for _ in 0..400 {
        if stream.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    200
}

fn respond(stream: &mut TcpStream, name: &str, req: &Seen, down: &AtomicBool) -> u16 {
    if down.load(Ordering::SeqCst) {
        send(stream, "503 Service Unavailable", &[], b"");
        return 503;
    }
    match name {
        "good.ics" => good(stream, req),
        "gzip.ics" => gzipped(stream, req),
        "slow.ics" => {
            std::thread::sleep(Duration::from_secs(4));
            send(stream, "200 OK", &[], DENTIST.as_bytes());
            200
        }
        "loop.ics" => {
            send(
                stream,
                "302 Found",
                &[("Location", &format!("/{SECRET}/loop.ics"))],
                b"",
            );
            302
        }
        "downgrade.ics" => {
            send(
                stream,
                "301 Moved Permanently",
                &[("Location", "http://example.invalid/a.ics")],
                b"",
            );
            301
        }
        "huge.ics" => huge(stream),
        "page.ics" => {
            send(
                stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<!DOCTYPE html><html><body>Sign in</body></html>",
            );
            200
        }
        _ => {
            send(stream, "404 Not Found", &[], b"");
            404
        }
    }
}

/// The programme: twelve participants, one session at 15:00–17:00 UTC on 2024-01-15.
fn programme(dir: &Path, base: &str) {
    let mut p = String::from(
        "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\nbusy_urls = \"busy-urls.toml\"\n\n[[session]]\nid = \"kickoff\"\ntitle = \"Kick-off\"\nstart = \"2024-01-15T16:00\"\nduration = \"2h\"\naudience = \"all\"\n",
    );
    for (name, busy) in [
        ("ana", format!("busy = \"{base}/{SECRET}/good.ics\"")),
        ("bea", format!("busy = \"{base}/{SECRET}/slow.ics\"")),
        ("cai", format!("busy = \"{base}/{SECRET}/missing.ics\"")),
        ("dan", format!("busy = \"{base}/{SECRET}/loop.ics\"")),
        ("eve", format!("busy = \"{base}/{SECRET}/huge.ics\"")),
        ("fay", format!("busy = \"{base}/{SECRET}/gzip.ics\"")),
        ("gus", "busy = \"env:GUS_URL\"".to_string()),
        ("hal", String::new()),
        ("ivy", format!("busy = \"{base}/{SECRET}/page.ics\"")),
        ("jon", format!("busy = \"{base}/{SECRET}/downgrade.ics\"")),
        ("kim", "busy = \"http://example.invalid/a.ics\"".to_string()),
        (
            "lee",
            format!(
                "busy = \"{}/{SECRET}/good.ics\"",
                base.replace("http://", "https://")
            ),
        ),
    ] {
        p.push_str(&format!(
            "\n[[participant]]\nname = \"{name}\"\nemail = \"{name}@example.org\"\ntimezone = \"America/Sao_Paulo\"\n{busy}\n"
        ));
    }
    write(dir, "p.toml", &p);
    write(
        dir,
        "busy-urls.toml",
        &format!("\"Hal@example.org\" = \"{base}/{SECRET}/good.ics?h=1\"\n"),
    );
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir`, names and contents, as one string.
fn everything_in(dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            out.push_str(&p.to_string_lossy());
            out.push('\n');
            if p.is_dir() {
                stack.push(p);
            } else {
                let mut bytes = Vec::new();
                if let Ok(mut f) = std::fs::File::open(&p) {
                    let _ = f.read_to_end(&mut bytes);
                }
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    out
}

#[test]
fn live_calendars_are_fetched_cached_and_never_echoed() {
    let server = serve();
    let base = format!("http://127.0.0.1:{}", server.port);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    programme(dir.path(), &base);
    let gus = format!("{base}/{SECRET}/gzip.ics?g=1");

    // First run: full requests.
    let run = |extra: &[&str]| {
        let o = Command::cargo_bin("roundtable")
            .expect("binary")
            .current_dir(dir.path())
            .env("GUS_URL", &gus)
            .args(["check", "p.toml", "--busy-timeout", "1", "--busy-cache"])
            .arg(&cache)
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        (o.status.code(), text(&o))
    };
    let (code, out) = run(&[]);
    eprintln!("{out}");
    assert_eq!(code, Some(1), "the clashes fail the check");
    assert!(!out.contains("panicked"));
    assert!(!out.contains(SECRET), "no secret in the output");
    for (who, what) in [
        ("bea@example.org", "no answer within 1 s"),
        ("cai@example.org", "the server answered 404 Not Found"),
        ("dan@example.org", "more than 5 redirects"),
        ("eve@example.org", "over the limit of 20 MiB"),
        ("ivy@example.org", "not an iCalendar file"),
        (
            "jon@example.org",
            "a redirect was refused: plain http:// is refused",
        ),
        ("kim@example.org", "plain http:// is refused"),
        ("lee@example.org", "TLS"),
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(who) && l.contains("cannot fetch the busy calendar"))
            .unwrap_or_else(|| panic!("{who} has no fetch diagnostic"));
        assert!(line.contains(what), "{who}: {line}");
    }
    for clash in ["Dentist", "Piano lesson"] {
        assert!(out.contains(clash), "the clash with {clash} is found");
    }
    // Ana, Hal (busy_urls) see the dentist; Fay and Gus (env:) the piano lesson.
    // The report's rows: a conflict line, then the names it concerns.
    let lines: Vec<&str> = out.lines().collect();
    for who in ["ana", "hal", "fay", "gus"] {
        let header = format!("{who} <{who}@example.org>");
        assert!(
            lines
                .windows(2)
                .any(|w| w[0].contains("clashes with") && w[1].contains(&header)),
            "{who} has a clash:\n{out}"
        );
    }
    let first: Vec<Seen> = std::mem::take(&mut *server.seen.lock().expect("lock"));
    for s in &first {
        assert_eq!(
            s.header("user-agent"),
            Some(&*format!("roundtable/{}", env!("CARGO_PKG_VERSION")))
        );
    }
    let cached_paths: Vec<String> = first
        .iter()
        .filter(|s| s.status == 200 && (s.path.contains("good") || s.path.contains("gzip")))
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(cached_paths.len(), 4, "{first:#?}");
    let cache_listing = everything_in(&cache);
    assert!(!cache_listing.contains(SECRET) && !cache_listing.contains("127.0.0.1"));

    // Second run: the same clashes, from conditional requests answered 304.
    let (code2, out2) = run(&[]);
    assert_eq!(code2, Some(1));
    for clash in ["Dentist", "Piano lesson"] {
        assert!(
            out2.contains(clash),
            "the clash with {clash} is found again"
        );
    }
    let second: Vec<Seen> = std::mem::take(&mut *server.seen.lock().expect("lock"));
    let again: Vec<&Seen> = second
        .iter()
        .filter(|s| cached_paths.contains(&s.path))
        .collect();
    assert_eq!(again.len(), 4);
    for s in again {
        assert!(
            s.header("if-none-match").is_some() || s.header("if-modified-since").is_some(),
            "{s:?} is conditional"
        );
        assert_eq!(s.status, 304, "{s:?}");
    }

    // The server fails: the cached copies are used, with a note of their age.
    server.down.store(true, Ordering::SeqCst);
    let (code3, out3) = run(&[]);
    assert_eq!(code3, Some(1));
    assert!(out3.contains("Dentist") && out3.contains("Piano lesson"));
    assert!(out3.contains("used the copy cached"), "{out3}");
    assert!(!out3.contains(SECRET));
    // --strict-busy: the unreadable ones stop the run.
    server.down.store(false, Ordering::SeqCst);
    let (code4, out4) = run(&["--strict-busy"]);
    assert_eq!(code4, Some(2));
    assert!(!out4.contains(SECRET));
    // The public report and the built folders never hold an address's secret part.
    let (_, public) = run(&["--public"]);
    assert!(
        !public.contains(SECRET) && !public.contains("127.0.0.1"),
        "{public}"
    );
    let built = Command::cargo_bin("roundtable")
        .expect("binary")
        .current_dir(dir.path())
        // `build` names participants' calendars with a key; CI (`CI` set) never makes one up.
        .env(
            "ROUNDTABLE_KEY",
            "test-calendar-address-key-0123456789abcdef",
        )
        .env("GUS_URL", &gus)
        .args([
            "build",
            "p.toml",
            "--out",
            "public",
            "--busy-timeout",
            "1",
            "--busy-cache",
        ])
        .arg(&cache)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert!(!text(&built).contains(SECRET));
    let public_files = everything_in(&dir.path().join("public"));
    assert!(!public_files.is_empty());
    assert!(!public_files.contains(SECRET) && !public_files.contains("127.0.0.1"));
    let private_files = everything_in(&dir.path().join("public.private"));
    assert!(!private_files.contains(SECRET));
    // The cache may not be published.
    Command::cargo_bin("roundtable")
        .expect("binary")
        .current_dir(dir.path())
        .args([
            "build",
            "p.toml",
            "--out",
            "public",
            "--busy-cache",
            "public/cache",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--busy-cache"));
}

#[test]
fn a_missing_environment_variable_is_that_participants_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "p.toml",
        "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\n\n[[session]]\nid = \"kickoff\"\ntitle = \"Kick-off\"\nstart = \"2024-01-15T16:00\"\nduration = \"2h\"\naudience = \"all\"\n\n[[participant]]\nname = \"Gus\"\nemail = \"gus@example.org\"\ntimezone = \"America/Sao_Paulo\"\nbusy = \"env:ROUNDTABLE_TEST_UNSET_URL\"\n",
    );
    let cache = dir.path().join("cache");
    Command::cargo_bin("roundtable")
        .expect("binary")
        .current_dir(dir.path())
        .env_remove("ROUNDTABLE_TEST_UNSET_URL")
        .args(["check", "p.toml", "--busy-cache"])
        .arg(&cache)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "the environment variable ROUNDTABLE_TEST_UNSET_URL",
        ));
    Command::cargo_bin("roundtable")
        .expect("binary")
        .current_dir(dir.path())
        .env("ROUNDTABLE_TEST_UNSET_URL", "not an address")
        .args(["check", "p.toml", "--strict-busy", "--busy-cache"])
        .arg(&cache)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not hold a web address"))
        .stderr(predicate::str::contains("not an address").not());
}

/// A `busy_urls` file that cannot be used stops the run (exit 2) and is never quoted.
#[test]
fn a_bad_busy_urls_file_stops_the_run_without_quoting_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "p.toml",
        "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\nbusy_urls = \"busy-urls.toml\"\n\n[[session]]\nid = \"kickoff\"\ntitle = \"Kick-off\"\nstart = \"2024-01-15T16:00\"\nduration = \"2h\"\naudience = \"all\"\n\n[[participant]]\nname = \"Gus\"\nemail = \"gus@example.org\"\ntimezone = \"America/Sao_Paulo\"\n",
    );
    let cache = dir.path().join("cache");
    for (content, expected) in [
        (
            format!("\"gus@example.org\" = \"ftp://h/{SECRET}\"\n"),
            "is not an https:// (or webcal://) address",
        ),
        (
            format!("\"gus@example.org\" = https://h/{SECRET}\n"),
            "line 1 is not valid TOML",
        ),
        (String::new(), "__none__"),
    ] {
        if content.is_empty() {
            let _ = std::fs::remove_file(dir.path().join("busy-urls.toml"));
        } else {
            write(dir.path(), "busy-urls.toml", &content);
        }
        let o = Command::cargo_bin("roundtable")
            .expect("binary")
            .current_dir(dir.path())
            .args(["check", "p.toml", "--busy-cache"])
            .arg(&cache)
            .output()
            .expect("runs");
        let all = text(&o);
        assert_eq!(o.status.code(), Some(2), "{all}");
        assert!(all.contains("cannot read busy_urls"), "{all}");
        if expected != "__none__" {
            assert!(all.contains(expected), "{all}");
        }
        assert!(!all.contains(SECRET), "{all}");
    }
}
