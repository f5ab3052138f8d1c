//! The SMTP server, from the environment only (never from the programme or the command line,
//! which end up in shell histories, process lists and CI logs):
//!
//! | variable | meaning |
//! | --- | --- |
//! | `ROUNDTABLE_SMTP_HOST` | the server (required to send) |
//! | `ROUNDTABLE_SMTP_PORT` | its port; default 587 (`starttls`), 465 (`tls`), 25 (`none`) |
//! | `ROUNDTABLE_SMTP_TLS` | `starttls` (default), `tls` (implicit TLS, "SMTPS"), or `none` — allowed only for a loopback host (a local relay, the tests) |
//! | `ROUNDTABLE_SMTP_USER`, `ROUNDTABLE_SMTP_PASSWORD` | credentials (both or neither) |
//!
//! TLS is rustls with the Mozilla roots (`webpki-roots`), the stack `ureq` already uses for
//! busy calendars. The password is held only by `lettre`'s credentials; [`Config`]'s `Debug`
//! and every message leave it out.

use std::time::Duration;

use lettre::Transport;
use lettre::address::Envelope;
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};

use crate::error::{Error, Result};

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (required, never skipped).
    StartTls,
    /// TLS from the first byte.
    Tls,
    /// No TLS: loopback hosts only.
    None,
}

/// The server to send through.
#[derive(Clone)]
pub struct Config {
    /// Host name.
    pub host: String,
    /// Port; by default 587 for `starttls`, 465 for `tls`, 25 for `none`.
    pub port: u16,
    /// TLS.
    pub security: Security,
    /// User name and password.
    credentials: Option<(String, String)>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("password", &self.credentials.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Config {
    /// Reads the configuration from `var` (the process environment in `roundtable send`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let usage = |m: String| Error::usage(m);
        let host = var("ROUNDTABLE_SMTP_HOST")
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                usage("--send: ROUNDTABLE_SMTP_HOST is not set".into()).with_help("set ROUNDTABLE_SMTP_HOST (and ROUNDTABLE_SMTP_USER, ROUNDTABLE_SMTP_PASSWORD) in the environment, e.g. from CI secrets; see the README's \"Sending the invitations\"")
            })?;
        let security = match var("ROUNDTABLE_SMTP_TLS").as_deref().map(str::trim) {
            None | Some("") | Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::None,
            Some(other) => {
                return Err(usage(format!(
                    "ROUNDTABLE_SMTP_TLS=`{}` is not one of starttls, tls, none",
                    other.escape_debug()
                )));
            }
        };
        if security == Security::None && !is_loopback(&host) {
            return Err(usage(format!(
                "ROUNDTABLE_SMTP_TLS=none is allowed only for a server on this machine, not `{}`",
                host.escape_debug()
            ))
            .with_help("use starttls (port 587) or tls (port 465)"));
        }
        let port = match var("ROUNDTABLE_SMTP_PORT") {
            Some(p) => p.trim().parse::<u16>().map_err(|_| {
                usage(format!(
                    "ROUNDTABLE_SMTP_PORT=`{}` is not a port number",
                    p.escape_debug()
                ))
            })?,
            None => match security {
                Security::StartTls => 587,
                Security::Tls => 465,
                Security::None => 25,
            },
        };
        let credentials = match (var("ROUNDTABLE_SMTP_USER"), var("ROUNDTABLE_SMTP_PASSWORD")) {
            (Some(u), Some(p)) if !u.is_empty() => Some((u, p)),
            (None, None) => None,
            (Some(u), None) if !u.is_empty() => {
                return Err(usage(
                    "ROUNDTABLE_SMTP_USER is set but ROUNDTABLE_SMTP_PASSWORD is not".into(),
                ));
            }
            _ => {
                return Err(usage(
                    "ROUNDTABLE_SMTP_PASSWORD is set but ROUNDTABLE_SMTP_USER is not".into(),
                ));
            }
        };
        Ok(Config {
            host,
            port,
            security,
            credentials,
        })
    }

    /// "smtp.example.org:587 (STARTTLS, as user x)" — never the password.
    pub fn describe(&self) -> String {
        let tls = match self.security {
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
            Security::None => "no TLS, loopback",
        };
        let user = self
            .credentials
            .as_ref()
            .map_or(String::new(), |(u, _)| format!(", as {u}"));
        format!("{}:{} ({tls}{user})", self.host, self.port)
    }
}

/// Why one delivery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// A 5xx answer: sending again will not help.
    pub permanent: bool,
    /// No answer at all (connection, TLS, timeout): the server may be unreachable.
    pub connection: bool,
    /// What happened.
    pub text: String,
}

/// Something that delivers a formatted message and returns the server's answer.
pub trait Deliver {
    /// Delivers `bytes` to the envelope's recipients.
    fn deliver(
        &mut self,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> std::result::Result<String, Failure>;
}

/// Delivery through `lettre`'s SMTP transport (one connection per message: no pool, so that a
/// killed run never leaves a half-sent session behind another message).
pub struct Smtp {
    transport: SmtpTransport,
}

impl Smtp {
    /// A transport for `config`.
    pub fn new(config: &Config) -> Result<Self> {
        let tls_error = |e: lettre::transport::smtp::Error| {
            Error::usage(format!("SMTP TLS for {}: {e}", config.host.escape_debug()))
        };
        let tls = match config.security {
            Security::None => Tls::None,
            Security::StartTls => {
                Tls::Required(TlsParameters::new(config.host.clone()).map_err(tls_error)?)
            }
            Security::Tls => {
                Tls::Wrapper(TlsParameters::new(config.host.clone()).map_err(tls_error)?)
            }
        };
        let mut builder = SmtpTransport::builder_dangerous(config.host.clone())
            .port(config.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(60)));
        if let Some((u, p)) = &config.credentials {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Smtp {
            transport: builder.build(),
        })
    }
}

impl Deliver for Smtp {
    fn deliver(
        &mut self,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> std::result::Result<String, Failure> {
        match self.transport.send_raw(envelope, bytes) {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.first_line().unwrap_or_default().trim()
            )),
            Err(e) => Err(Failure {
                permanent: e.is_permanent(),
                connection: !e.is_permanent() && !e.is_transient(),
                text: crate::neutralise::terminal(&e.to_string()).into_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn defaults_and_password_never_shown() {
        let c = Config::from_env(env(&[
            ("ROUNDTABLE_SMTP_HOST", "smtp.example.org"),
            ("ROUNDTABLE_SMTP_USER", "org"),
            ("ROUNDTABLE_SMTP_PASSWORD", "s3cret-pw"),
        ]))
        .unwrap();
        assert_eq!((c.port, c.security), (587, Security::StartTls));
        assert!(!format!("{c:?}").contains("s3cret-pw"));
        assert!(!c.describe().contains("s3cret-pw"));
        assert_eq!(c.describe(), "smtp.example.org:587 (STARTTLS, as org)");
    }

    #[test]
    fn plain_text_only_on_loopback() {
        let e = Config::from_env(env(&[
            ("ROUNDTABLE_SMTP_HOST", "smtp.example.org"),
            ("ROUNDTABLE_SMTP_TLS", "none"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("only for a server on this machine"));
        let c = Config::from_env(env(&[
            ("ROUNDTABLE_SMTP_HOST", "127.0.0.1"),
            ("ROUNDTABLE_SMTP_TLS", "none"),
            ("ROUNDTABLE_SMTP_PORT", "2525"),
        ]))
        .unwrap();
        assert_eq!((c.port, c.security), (2525, Security::None));
    }

    #[test]
    fn missing_host_or_half_credentials() {
        assert!(Config::from_env(env(&[])).is_err());
        assert!(
            Config::from_env(env(&[
                ("ROUNDTABLE_SMTP_HOST", "h"),
                ("ROUNDTABLE_SMTP_PASSWORD", "p")
            ]))
            .is_err()
        );
    }
}
