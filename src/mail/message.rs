//! One iMIP message (RFC 6047) for one attendee and one event, built with `lettre` (no MIME
//! written here):
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain; charset=utf-8          opens with the attendee's own local time
//! │   └── text/calendar; method=REQUEST; charset=UTF-8   (or CANCEL)
//! └── application/ics; name="invite.ics"     the same calendar, as an attachment
//! ```
//!
//! This is the shape Google Calendar itself sends: Outlook and Apple Mail act on the
//! `text/calendar` alternative (Accept / Decline), Gmail on either, and any other client can
//! import the attachment. The calendar names the ORGANIZER and this attendee alone, so that no
//! participant learns another's address; `From` is the ORGANIZER (RFC 6047 §3: clients match
//! them), with an optional `Sender` when the mail account is another.
//!
//! Both calendar parts are base64 (their lines are CRLF-folded iCalendar, which quoted-printable
//! would rewrap); `charset` comes out as `utf-8` (the `mime` crate lowercases it; RFC 2045
//! parameters are case-insensitive).
//!
//! Everything in the message is derived from its content, never random, so that a dry run
//! writes the same bytes twice under `SOURCE_DATE_EPOCH`: the Message-ID is a hash of UID,
//! SEQUENCE, method and attendee (a message sent again after a kill has the same one), the MIME
//! boundaries are derived from it, and `Date` is the run's DTSTAMP.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::address::{Address, Envelope};
use lettre::message::header::{ContentDisposition, ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::i18n::Lang;
use crate::i18n::messages::{self as i18n, Arg};
use crate::ics::{self, Context, Event, Item, Recipients};
use crate::mail::journal::Method;
use crate::mail::outbox::{Outgoing, Recipient};
use crate::occurrence::Schedule;
use crate::programme::{Participant, Programme};
use crate::zone::{ZoneSpec, describe_offset};

/// What every message of a run shares.
pub struct Shared<'a> {
    /// The programme the messages are about.
    pub programme: &'a Programme,
    /// Its occurrences.
    pub schedule: &'a Schedule,
    /// The published events (live and cancelled).
    pub events: &'a [Event],
    /// ORGANIZER, DTSTAMP and VTIMEZONEs.
    pub ctx: &'a Context<'a>,
    /// `Sender:` (and envelope sender) when the mail goes out through another account than
    /// the organizer's.
    pub sender: Option<&'a str>,
    /// Deliver every message to this address instead (the organizer's self-test); the
    /// message itself is unchanged.
    pub to_only: Option<&'a str>,
}

/// A built message.
pub struct Built {
    /// The message, ready for the transport.
    pub message: Message,
    /// Its Message-ID, with angle brackets.
    pub message_id: String,
    /// SMTP envelope: sender and recipient.
    pub envelope: Envelope,
}

/// Why a message could not be built (an address `lettre` does not accept): it is listed and
/// skipped, the others are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

/// The Message-ID of a message: a hash of UID, SEQUENCE, method and the attendee's normalised
/// e-mail, at the organizer's domain (the UID's).
pub fn message_id(uid: &str, sequence: u32, method: Method, email: &str) -> String {
    let hash = crate::ics::lock::fingerprint(&[
        uid,
        &sequence.to_string(),
        method.word(),
        &crate::programme::email::normalise(email),
    ]);
    let domain = uid
        .rsplit_once('@')
        .map_or("roundtable.invalid", |(_, d)| d);
    format!(
        "<{hash}.{sequence}.{}@{domain}>",
        method.word().to_lowercase()
    )
}

/// A name for a header: control characters (a line break from a registration form) become
/// spaces; `lettre` quotes and RFC 2047-encodes the rest.
fn header_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn address(email: &str, what: &str) -> Result<Address, BuildError> {
    email
        .trim()
        .parse::<Address>()
        .map_err(|e| BuildError(format!("{what} `{}`: {e}", email.escape_debug())))
}

/// A participant standing for a recipient: theirs, or one made from what the journal holds.
fn participant(programme: &Programme, o: &Outgoing) -> Participant {
    match &o.recipient {
        Recipient::Participant(i) => programme.participants[*i].clone(),
        Recipient::Former {
            name,
            email,
            timezone,
        } => Participant {
            name: name.clone(),
            email: email.clone(),
            timezone: timezone
                .parse::<ZoneSpec>()
                .or_else(|_| "UTC".parse::<ZoneSpec>())
                .unwrap_or_else(|_| programme.timezone.clone()),
            groups: Vec::new(),
            working_hours: crate::hours::HoursRange {
                start: 9 * 60,
                end: 17 * 60,
            },
            night: crate::hours::HoursRange {
                start: 22 * 60,
                end: 6 * 60,
            },
            weekend: None,
            busy: None,
            required: false,
            language: programme.language,
        },
    }
}

/// "Wed 15 Nov 2023, 05:00 (America/Sao_Paulo, UTC-03:00)"; in another language, CLDR's
/// date, time and zone name ([`crate::i18n::format::start`]).
fn describe_start(start: DateTime<Utc>, zone: &ZoneSpec, lang: Lang) -> String {
    if let Some(text) = crate::i18n::format::start(lang, start, zone) {
        return text;
    }
    let s = zone.zone.local(start);
    let offset = describe_offset(*s.offset());
    let zone_text = match zone.zone {
        crate::zone::Zone::Fixed(_) => offset,
        _ => format!("{}, {offset}", zone.written),
    };
    format!(
        "{}, {} ({zone_text})",
        s.format("%a %d %b %Y"),
        s.format("%H:%M")
    )
}

/// The text part: the attendee's own local time first.
fn text_part(shared: &Shared<'_>, event: &Event, method: Method, p: &Participant) -> String {
    let programme = shared.programme;
    let lang = p.language;
    let mut text = String::new();
    match method {
        Method::Request => {
            text.push_str(&ics::participant_description(
                programme,
                shared.schedule,
                event,
                p,
            ));
            text.push_str("\n\n");
            text.push_str(&event.title);
            text.push('\n');
            text.push_str(&programme.title);
            text.push('\n');
            if event.sequence > 0 {
                text.push_str(&format!("\n{}\n", i18n::text(lang, "mail-replaces")));
            }
        }
        Method::Cancel => {
            let when = describe_start(event.first, &p.timezone, lang);
            text.push_str(&i18n::tr(
                lang,
                "mail-cancelled-time",
                &[("time", Arg::Text(&when))],
            ));
            text.push_str("\n\n");
            let title = [("title", Arg::Text(&event.title))];
            if event.cancelled {
                text.push_str(&i18n::tr(lang, "mail-session-cancelled", &title));
            } else {
                text.push_str(&i18n::tr(lang, "mail-no-longer-invited", &title));
            }
            if event.rrule.is_some() {
                text.push(' ');
                text.push_str(&i18n::text(lang, "mail-every-occurrence"));
            }
            text.push_str(".\n");
            text.push_str(&programme.title);
            text.push('\n');
        }
    }
    let (org_name, org_email) = shared.ctx.organizer;
    let footer = i18n::tr(
        lang,
        "mail-footer",
        &[
            ("name", Arg::Text(org_name)),
            ("email", Arg::Text(org_email)),
        ],
    );
    text.push_str(&format!("\n{footer}\n"));
    text
}

fn subject(shared: &Shared<'_>, event: &Event, method: Method, p: &Participant) -> String {
    let title = header_name(&event.title);
    let lang = p.language;
    match method {
        Method::Cancel => i18n::tr(
            lang,
            "mail-subject-cancelled",
            &[("title", Arg::Text(&title))],
        ),
        Method::Request => {
            let first = shared
                .schedule
                .of_session(event.session.unwrap_or(usize::MAX))
                .next()
                .map_or(event.first, |o| o.start);
            let when = describe_start(first, &p.timezone, lang);
            let id = if event.sequence > 0 {
                "mail-subject-updated"
            } else {
                "mail-subject-invitation"
            };
            i18n::tr(
                lang,
                id,
                &[("title", Arg::Text(&title)), ("when", Arg::Text(&when))],
            )
        }
    }
}

/// A MIME boundary from the message's hash, lengthened until no part's text holds it.
fn boundary(base: &str, tag: &str, texts: &[&str]) -> String {
    let mut b = format!("=_roundtable-{tag}-{base}");
    let mut n = 0;
    while texts.iter().any(|t| t.contains(&b)) {
        n += 1;
        b = format!("=_roundtable-{tag}-{base}-{n}");
    }
    b
}

/// Builds the message of `o`.
pub fn build(shared: &Shared<'_>, o: &Outgoing) -> Result<Built, BuildError> {
    let event = &shared.events[o.event];
    let p = participant(shared.programme, o);
    // The session's title in the attendee's language, when the programme gives one.
    let translated = ics::translated(shared.programme, event, p.language);
    let event = translated.as_ref().unwrap_or(event);
    let to = address(&p.email, "the attendee's e-mail")?;
    let (org_name, org_email) = shared.ctx.organizer;
    let from = address(org_email, "the organizer's e-mail")?;
    let calendar = calendar_part(shared, event, o.method, &p);
    let text = text_part(shared, event, o.method, &p);
    let id = message_id(&event.uid, event.sequence, o.method, &p.email);
    let body = body(&id, o.method, text, calendar)?;
    let date = SystemTime::UNIX_EPOCH
        + Duration::from_secs(u64::try_from(shared.ctx.dtstamp.timestamp()).unwrap_or(0));
    let mut builder = Message::builder()
        .from(Mailbox::new(Some(header_name(org_name)), from.clone()))
        .to(Mailbox::new(Some(header_name(&p.name)), to.clone()))
        .subject(subject(shared, event, o.method, &p))
        .message_id(Some(id.clone()))
        .date(date);
    let mut envelope_from = from;
    if let Some(sender) = shared.sender {
        let s = address(sender, "--sender")?;
        builder = builder.sender(Mailbox::new(None, s.clone()));
        envelope_from = s;
    }
    let rcpt = match shared.to_only {
        Some(t) => address(t, "--to-only")?,
        None => to,
    };
    let envelope = Envelope::new(Some(envelope_from), vec![rcpt])
        .map_err(|e| BuildError(format!("envelope: {e}")))?;
    let message = builder
        .envelope(envelope.clone())
        .multipart(body)
        .map_err(|e| BuildError(format!("message: {e}")))?;
    Ok(Built {
        message,
        message_id: id,
        envelope,
    })
}

/// The calendar: ORGANIZER and this attendee only; their own times in DESCRIPTION.
fn calendar_part(shared: &Shared<'_>, event: &Event, method: Method, p: &Participant) -> String {
    let description = match method {
        Method::Request => Some(ics::participant_description(
            shared.programme,
            shared.schedule,
            event,
            p,
        )),
        Method::Cancel => None,
    };
    let list = [p];
    let item = [Item { event, description }];
    let mut calendar = String::new();
    ics::calendar(
        &mut calendar,
        shared.ctx,
        match method {
            Method::Request => ics::Method::Request,
            Method::Cancel => ics::Method::Cancel,
        },
        None,
        &item,
        &Recipients::Attendees(&list),
    );
    calendar
}

/// The MIME body: the text and the calendar as alternatives, then the calendar attached; the
/// boundaries derived from the Message-ID `id`.
fn body(id: &str, method: Method, text: String, calendar: String) -> Result<MultiPart, BuildError> {
    let base = id
        .trim_start_matches('<')
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string();
    let texts = [text.as_str(), calendar.as_str()];
    let calendar_type = ContentType::parse(&format!(
        "text/calendar; method={}; charset=UTF-8",
        method.word()
    ))
    .map_err(|e| BuildError(format!("Content-Type: {e}")))?;
    let attachment_type = ContentType::parse("application/ics; name=\"invite.ics\"")
        .map_err(|e| BuildError(format!("Content-Type: {e}")))?;
    let alternative = MultiPart::alternative()
        .boundary(boundary(&base, "alt", &texts))
        .singlepart(SinglePart::plain(text.clone()))
        .singlepart(
            SinglePart::builder()
                .header(calendar_type)
                .header(ContentTransferEncoding::Base64)
                .body(calendar.clone()),
        );
    Ok(MultiPart::mixed()
        .boundary(boundary(&base, "mixed", &texts))
        .multipart(alternative)
        .singlepart(
            SinglePart::builder()
                .header(attachment_type)
                .header(ContentDisposition::attachment("invite.ics"))
                .header(ContentTransferEncoding::Base64)
                .body(calendar),
        ))
}

/// The file name of a message in a dry run's folder: `<event stem>.<SEQUENCE>.<method>.<hash of
/// the attendee>.eml` (the address itself stays out of file names).
pub fn file_name(event: &Event, o: &Outgoing, email: &str) -> String {
    let who = crate::ics::lock::fingerprint(&[&crate::programme::email::normalise(email)]);
    format!(
        "{}.{}.{}.{}.eml",
        event.stem(),
        event.sequence,
        o.method.word().to_lowercase(),
        &who[..12]
    )
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    #[test]
    fn message_id() {
        use crate::mail::{journal::Method, message::message_id};
        let a = message_id("day-1.p@example.org", 2, Method::Request, "Ana@Example.org");
        assert_eq!(
            a,
            message_id("day-1.p@example.org", 2, Method::Request, "ana@example.org")
        );
        assert_ne!(
            a,
            message_id("day-1.p@example.org", 3, Method::Request, "ana@example.org")
        );
        assert!(a.starts_with('<') && a.ends_with(".2.request@example.org>"));
    }
}
