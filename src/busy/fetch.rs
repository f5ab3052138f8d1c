//! Busy calendars at a web address (issue 16): a participant's `busy` may be an `https://` or
//! `webcal://` address (Google's "secret address in iCal format", an Outlook published
//! calendar, a Nextcloud export link). They are fetched here, with a cache on disk.
//!
//! - **Client**: `ureq` (blocking, rustls): a connect timeout and an overall timeout (the body
//!   included), `Accept-Encoding: gzip`, `User-Agent: roundtable/<version>`.
//! - **Redirects** are followed here, at most [`MAX_REDIRECTS`], each hop checked like the first
//!   address: `https://` only (`webcal://` is fetched as `https://`), plain `http://` only to a
//!   loopback host (`localhost`, `127.0.0.0/8`, `[::1]`: tests), so a redirect never downgrades
//!   to clear text on the network.
//! - **Size**: the (decompressed) body is read with a cap, [`super::MAX_BYTES`]: a larger body is
//!   refused while it is read, never held whole.
//! - **Cache**: one file per address in the cache folder, named by the SHA-256 of the address
//!   (never the address), holding the ETag, Last-Modified, the time of the fetch and the body;
//!   written atomically (a new temporary file renamed), read back with a cap. The folder is
//!   created private (0700) and the files 0600: they are other people's calendars. A later
//!   fetch sends `If-None-Match` / `If-Modified-Since` and uses the cached body on `304 Not
//!   Modified`; when a fetch fails and a copy is cached, that copy is used with a note saying how
//!   old it is.
//! - **Secrets**: the address is a secret (it grants read access to someone's calendar). No
//!   message made here holds more of it than its scheme and host ([`redact`]).
//! - **Concurrency**: [`fetch_all`] fetches at most [`MAX_THREADS`] at once; its results are in
//!   the order of its input.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::MAX_BYTES;

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 5;
/// Fetches at once.
pub const MAX_THREADS: usize = 8;
/// The overall timeout of one fetch (connecting, redirects and the body), by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The most bytes of a cache file's header (ETag, Last-Modified, time).
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct Options {
    /// The cache folder (created when needed); `None`: no cache.
    pub cache: Option<PathBuf>,
    /// The overall timeout of one fetch; connecting has at most 10 s of it.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cache: default_cache_dir(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The default cache folder: `$XDG_CACHE_HOME/roundtable/busy`, else
/// `$HOME/.cache/roundtable/busy`; `None` when neither variable is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty() && Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("roundtable").join("busy"))
}

/// A calendar fetched (or taken from the cache).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The calendar's bytes.
    pub bytes: Vec<u8>,
    /// Said when the cached copy was used because the fetch failed.
    pub note: Option<String>,
}

/// Whether a `busy` value is a web address (rather than a file path).
pub fn is_address(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    ["https://", "http://", "webcal://"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// The address with only its scheme and host: `https://calendar.google.com/…`. Everything that
/// may be secret (user, password, path, query) is dropped.
pub fn redact(url: &str) -> String {
    match split(url) {
        Some(parts) => {
            let rest = if parts.rest.is_empty() { "" } else { "/…" };
            format!("{}://{}{rest}", parts.scheme, parts.host)
        }
        None => "(an address that cannot be read)".to_string(),
    }
}

/// An address in pieces.
struct Parts<'a> {
    /// Lower case.
    scheme: String,
    /// `host` or `host:port` (no user information).
    host: &'a str,
    /// The path, query and fragment (from the first `/`, `?` or `#`).
    rest: &'a str,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let url = url.trim();
    let (scheme, after) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+')
    {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() {
        return None;
    }
    Some(Parts {
        scheme: scheme.to_ascii_lowercase(),
        host,
        rest,
    })
}

/// The host without its port and brackets.
fn host_name(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

fn is_loopback(host: &str) -> bool {
    let name = host_name(host);
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The address to request for `url`: `webcal://` becomes `https://`; `http://` is refused but
/// to a loopback host. The error says why, without the address.
fn checked(url: &str) -> Result<String, String> {
    let parts = split(url).ok_or_else(|| "it is not a web address".to_string())?;
    match parts.scheme.as_str() {
        "https" => Ok(url.trim().to_string()),
        "webcal" => Ok(format!("https://{}", &url.trim()[parts.scheme.len() + 3..])),
        "http" if is_loopback(parts.host) => Ok(url.trim().to_string()),
        "http" => Err(
            "plain http:// is refused (the address and the calendar would cross the network in clear text); use the https:// address"
                .to_string(),
        ),
        other => Err(format!("the scheme `{other}` is not supported (https:// or webcal://)")),
    }
}

/// The target of a redirect from `from` to `location` (absolute, scheme-relative, or relative).
fn join(from: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.contains("://") {
        return Some(location.to_string());
    }
    let parts = split(from)?;
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{}://{rest}", parts.scheme));
    }
    let origin = format!("{}://{}", parts.scheme, parts.host);
    if location.starts_with('/') {
        return Some(format!("{origin}{location}"));
    }
    let path = parts.rest.split(['?', '#']).next().unwrap_or("");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    Some(format!("{origin}{dir}/{location}"))
}

/// Fetches every address, at most [`MAX_THREADS`] at once; the results are in the order of
/// `urls`. An error is one sentence that holds no more of the address than [`redact`] shows.
pub fn fetch_all(urls: &[String], options: &Options) -> Vec<Result<Fetched, String>> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.timeout.min(Duration::from_secs(10))))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(format!("roundtable/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let results: Mutex<Vec<Option<Result<Fetched, String>>>> =
        Mutex::new((0..urls.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..MAX_THREADS.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let got = fetch_one(&agent, url, options);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(got);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("it was not fetched".to_string())))
        .collect()
}

/// A cached copy.
#[derive(Debug, Default)]
struct Cached {
    etag: Option<String>,
    last_modified: Option<String>,
    /// Seconds since the epoch.
    fetched: u64,
    body: Vec<u8>,
}

fn cache_file(dir: &Path, url: &str) -> PathBuf {
    let digest = Sha256::digest(url.trim().as_bytes());
    dir.join(format!("{}.cache", crate::hex::lower(&digest)))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Reads a cache file back (with a cap); `None` when there is none or it is damaged.
fn load_cache(file: &Path) -> Option<Cached> {
    let bytes = crate::input::read(file, (MAX_BYTES + MAX_HEADER_BYTES) as u64).ok()?;
    let end = bytes
        .windows(2)
        .take(MAX_HEADER_BYTES)
        .position(|w| w == b"\n\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.lines();
    if lines.next()? != "roundtable busy cache 1" {
        return None;
    }
    let mut cached = Cached::default();
    for line in lines {
        let (key, value) = line.split_once(": ")?;
        match key {
            "etag" => cached.etag = Some(value.to_string()),
            "last-modified" => cached.last_modified = Some(value.to_string()),
            "fetched" => cached.fetched = value.parse().ok()?,
            _ => {}
        }
    }
    cached.body = bytes[end + 2..].to_vec();
    Some(cached)
}

/// Writes a cache file atomically (a temporary file in the same folder, renamed).
fn store_cache(file: &Path, cached: &Cached) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    // Other people's calendars: readable by the organizer only.
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let clean = |v: &str| v.replace(['\r', '\n'], " ");
    let mut head = String::from("roundtable busy cache 1\n");
    if let Some(e) = &cached.etag {
        head.push_str(&format!("etag: {}\n", clean(e)));
    }
    if let Some(l) = &cached.last_modified {
        head.push_str(&format!("last-modified: {}\n", clean(l)));
    }
    head.push_str(&format!("fetched: {}\n\n", cached.fetched));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        // A new file: never through a link left at the temporary name.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(head.as_bytes())?;
        f.write_all(&cached.body)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// How long ago `then` (seconds since the epoch) was, in words.
fn age(then: u64) -> String {
    let secs = now().saturating_sub(then);
    let (n, unit) = match secs {
        0..120 => return "less than 2 minutes".to_string(),
        120..7200 => (secs / 60, "minutes"),
        7200..172_800 => (secs / 3600, "hours"),
        _ => (secs / 86_400, "days"),
    };
    format!("{n} {unit}")
}

/// Whether the bytes begin like an iCalendar file.
fn looks_like_calendar(bytes: &[u8]) -> bool {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head[start..]
        .get(..15)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"BEGIN:VCALENDAR"))
}

fn fetch_one(agent: &ureq::Agent, url: &str, options: &Options) -> Result<Fetched, String> {
    let file = options.cache.as_deref().map(|d| cache_file(d, url));
    let cached = file.as_deref().and_then(load_cache);
    match request(agent, url, cached.as_ref(), options) {
        Ok(Answer::NotModified) => match (cached, &file) {
            (Some(mut c), Some(f)) => {
                c.fetched = now();
                let _ = store_cache(f, &c);
                Ok(Fetched {
                    bytes: c.body,
                    note: None,
                })
            }
            _ => Err(
                "the server answered 304 Not Modified to a request that was not conditional".into(),
            ),
        },
        Ok(Answer::Body {
            body,
            etag,
            last_modified,
        }) => {
            if let Some(f) = &file {
                let c = Cached {
                    etag,
                    last_modified,
                    fetched: now(),
                    body,
                };
                // A cache that cannot be written only costs a full fetch next time.
                let _ = store_cache(f, &c);
                Ok(Fetched {
                    bytes: c.body,
                    note: None,
                })
            } else {
                Ok(Fetched {
                    bytes: body,
                    note: None,
                })
            }
        }
        Err(why) => match cached {
            Some(c) => Ok(Fetched {
                note: Some(format!(
                    "could not fetch {} ({why}); used the copy cached {} ago",
                    redact(url),
                    age(c.fetched)
                )),
                bytes: c.body,
            }),
            None => Err(why),
        },
    }
}

enum Answer {
    NotModified,
    Body {
        body: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// One fetch, redirects followed. The error holds nothing of the address.
fn request(
    agent: &ureq::Agent,
    url: &str,
    cached: Option<&Cached>,
    options: &Options,
) -> Result<Answer, String> {
    let mut target = checked(url)?;
    for hop in 0..=MAX_REDIRECTS {
        let response = get(agent, &target, cached, options)?;
        let status = response.status().as_u16();
        match status {
            301 | 302 | 303 | 307 | 308 => {
                if hop == MAX_REDIRECTS {
                    return Err(too_many_redirects());
                }
                target = redirect_target(&response, status, &target)?;
            }
            304 => return Ok(Answer::NotModified),
            200..=299 => return calendar_answer(response, options),
            _ => {
                let reason = response.status().canonical_reason().unwrap_or("");
                return Err(format!("the server answered {status} {reason}")
                    .trim_end()
                    .to_string());
            }
        }
    }
    Err(too_many_redirects())
}

fn too_many_redirects() -> String {
    format!("more than {MAX_REDIRECTS} redirects (a redirect loop?)")
}

/// A GET of `target`, conditional on the cached copy's ETag and Last-Modified.
fn get(
    agent: &ureq::Agent,
    target: &str,
    cached: Option<&Cached>,
    options: &Options,
) -> Result<ureq::http::Response<ureq::Body>, String> {
    let mut req = agent.get(target);
    if let Some(c) = cached {
        if let Some(e) = &c.etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(l) = &c.last_modified {
            req = req.header("If-Modified-Since", l);
        }
    }
    req.call()
        .map_err(|e| describe(&e, target.starts_with("https://"), options))
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Where a redirect from `from` leads, checked like the first address.
fn redirect_target(
    response: &ureq::http::Response<ureq::Body>,
    status: u16,
    from: &str,
) -> Result<String, String> {
    let location = header(response, "location")
        .ok_or_else(|| format!("the server answered {status} without a Location"))?;
    let next = join(from, &location)
        .ok_or_else(|| "the server redirected to an address that cannot be read".to_string())?;
    checked(&next).map_err(|why| format!("a redirect was refused: {why}"))
}

/// The calendar a successful answer holds, read with the size cap, with its validators.
fn calendar_answer(
    mut response: ureq::http::Response<ureq::Body>,
    options: &Options,
) -> Result<Answer, String> {
    let etag = header(&response, "etag");
    let last_modified = header(&response, "last-modified");
    let mut body = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .reader()
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("reading the answer failed: {}", io_why(&e, options)))?;
    if body.len() > MAX_BYTES {
        return Err(format!(
            "the calendar is over the limit of {} MiB ({MAX_BYTES} bytes) for a busy calendar",
            MAX_BYTES / (1024 * 1024)
        ));
    }
    if !looks_like_calendar(&body) {
        return Err(format!(
            "the server answered with something that is not an iCalendar file (it looks like {})",
            crate::input::looks_like(&body)
        ));
    }
    Ok(Answer::Body {
        body,
        etag,
        last_modified,
    })
}

fn io_why(e: &std::io::Error, options: &Options) -> String {
    if matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) || e.to_string().to_ascii_lowercase().contains("timeout")
    {
        format!("no complete answer within {} s", options.timeout.as_secs())
    } else {
        "the connection failed while reading".to_string()
    }
}

/// A ureq error in words, never with the address (`https`: the request was over TLS).
fn describe(e: &ureq::Error, https: bool, options: &Options) -> String {
    use ureq::Error as E;
    let timeout = || format!("no answer within {} s", options.timeout.as_secs());
    let failed = || {
        if https {
            "the connection or its secure (TLS) handshake failed".to_string()
        } else {
            "the connection failed".to_string()
        }
    };
    match e {
        E::Timeout(_) => timeout(),
        E::HostNotFound => "the host was not found".to_string(),
        E::ConnectionFailed => failed(),
        E::Tls(_) | E::Rustls(_) => "the secure (TLS) connection failed".to_string(),
        E::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "the connection was refused".to_string(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => timeout(),
            // rustls reports a bad certificate or a broken handshake as invalid data.
            std::io::ErrorKind::InvalidData if https => {
                "the secure (TLS) connection failed (the certificate or the handshake)".to_string()
            }
            _ => failed(),
        },
        E::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        E::BadUri(_) => "the address cannot be read".to_string(),
        _ => "the request failed".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_keeps_scheme_and_host_only() {
        assert_eq!(
            redact("https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics"),
            "https://calendar.google.com/…"
        );
        assert_eq!(
            redact("https://user:pw@h.example:8443"),
            "https://h.example:8443"
        );
        assert_eq!(
            redact("webcal://p01.icloud.com/x?t=1"),
            "webcal://p01.icloud.com/…"
        );
    }

    #[test]
    fn schemes() {
        assert!(checked("http://example.org/a.ics").is_err());
        assert!(checked("http://127.0.0.1:80/a.ics").is_ok());
        assert!(checked("http://[::1]:80/a.ics").is_ok());
        assert!(checked("http://localhost/a").is_ok());
        assert!(checked("http://localhost.evil.example/a").is_err());
        assert_eq!(
            checked("webcal://h.example/a.ics").as_deref(),
            Ok("https://h.example/a.ics")
        );
        assert!(checked("ftp://h/a").is_err());
    }

    #[test]
    fn redirects_join() {
        assert_eq!(
            join("https://a.example/x/y.ics?k=1", "z.ics").as_deref(),
            Some("https://a.example/x/z.ics")
        );
        assert_eq!(
            join("https://a.example/x/y.ics", "/b").as_deref(),
            Some("https://a.example/b")
        );
        assert_eq!(
            join("https://a.example/x", "//c.example/d").as_deref(),
            Some("https://c.example/d")
        );
    }

    #[test]
    fn cache_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let f = cache_file(dir.path(), "https://a.example/secret");
        assert!(!f.to_string_lossy().contains("secret"));
        let c = Cached {
            etag: Some("\"v1\"".into()),
            last_modified: None,
            fetched: 5,
            body: b"BEGIN:VCALENDAR\r\n\n\nEND:VCALENDAR\r\n".to_vec(),
        };
        store_cache(&f, &c).unwrap();
        let back = load_cache(&f).unwrap();
        assert_eq!(back.etag, c.etag);
        assert_eq!(back.fetched, 5);
        assert_eq!(back.body, c.body);
    }
}
