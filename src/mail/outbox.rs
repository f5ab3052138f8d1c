//! What `send` has to send: for every published event, the messages whose SEQUENCE has not
//! yet reached each attendee, according to the journal.
//!
//! - Every attendee of a live event gets a REQUEST at its current SEQUENCE, unless the
//!   journal holds that very message (a new or changed event, a new attendee).
//! - Every attendee whose last message for a UID was a REQUEST, and who is no longer invited to
//!   it (the session was removed, or they left its audience or the programme), gets a CANCEL
//!   at the UID's current SEQUENCE, unless the journal holds it. Attendees never sent a
//!   REQUEST are not sent a CANCEL: they never had the event.

use std::collections::{HashMap, HashSet};

use crate::invites::Prepared;
use crate::mail::journal::{self, Journal, Method};
use crate::programme::Programme;
use crate::programme::email::normalise;

/// Who a message goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A participant of the programme (index into [`Programme::participants`]).
    Participant(usize),
    /// Someone the journal knows, no longer in the programme (a CANCEL).
    Former {
        /// Name, as last sent.
        name: String,
        /// E-mail, as last sent.
        email: String,
        /// Zone as written, as last sent.
        timezone: String,
    },
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Index into the prepared events.
    pub event: usize,
    /// REQUEST or CANCEL.
    pub method: Method,
    /// To whom.
    pub recipient: Recipient,
}

impl Outgoing {
    /// The recipient's name, e-mail and zone as written.
    pub fn who<'a>(&'a self, programme: &'a Programme) -> (&'a str, &'a str, &'a str) {
        match &self.recipient {
            Recipient::Participant(i) => {
                let p = &programme.participants[*i];
                (&p.name, &p.email, &p.timezone.written)
            }
            Recipient::Former {
                name,
                email,
                timezone,
            } => (name, email, timezone),
        }
    }
}

/// Every message still to send, sorted by UID, then by e-mail (normalised).
pub fn plan(programme: &Programme, prepared: &Prepared, journal: &Journal) -> Vec<Outgoing> {
    let by_email = crate::view::by_email(programme, None);
    // A cancelled session of 100,000 attendees looks each of them up: once, not by a scan.
    let index: HashMap<String, usize> = programme
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| (normalise(&p.email), i))
        .collect();
    let mut out = Vec::new();
    for (ei, event) in prepared.events.iter().enumerate() {
        let audience = &prepared.audiences[ei];
        let mut invited: HashSet<String> = HashSet::new();
        if !event.cancelled {
            for &pi in &by_email {
                let p = &programme.participants[pi];
                if !audience.includes(p) {
                    continue;
                }
                invited.insert(normalise(&p.email));
                let key = journal::key(&event.uid, event.sequence, Method::Request, &p.email);
                if !journal.contains(&key) {
                    out.push(Outgoing {
                        event: ei,
                        method: Method::Request,
                        recipient: Recipient::Participant(pi),
                    });
                }
            }
        }
        for (email, last) in journal.last_of(&event.uid) {
            if last.method != Method::Request || invited.contains(email) {
                continue;
            }
            let key = journal::key(&event.uid, event.sequence, Method::Cancel, email);
            if journal.contains(&key) {
                continue;
            }
            let recipient = match index.get(email) {
                Some(&pi) => Recipient::Participant(pi),
                None => Recipient::Former {
                    name: last.name.clone(),
                    email: last.attendee.clone(),
                    timezone: last.timezone.clone(),
                },
            };
            out.push(Outgoing {
                event: ei,
                method: Method::Cancel,
                recipient,
            });
        }
    }
    out.sort_by_cached_key(|o| {
        (
            prepared.events[o.event].uid.clone(),
            normalise(o.who(programme).1),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ics::lock::LockFile;
    use crate::mail::journal::Record;

    const HEAD: &str = r#"[programme]
id = "p"
title = "P"
timezone = "Europe/Paris"
organizer = { name = "Org", email = "org@example.org" }
"#;

    fn session(id: &str) -> String {
        format!(
            "[[session]]\nid = \"{id}\"\ntitle = \"T\"\nstart = \"2023-11-15T09:00\"\nduration = \"1h\"\naudience = \"all\"\n"
        )
    }

    fn person(name: &str) -> String {
        format!(
            "[[participant]]\nname = \"{name}\"\nemail = \"{name}@example.org\"\ntimezone = \"UTC\"\n"
        )
    }

    /// Loads a programme and prepares it against `lock`.
    fn prepared(dir: &std::path::Path, text: &str, lock: &LockFile) -> (Programme, Prepared) {
        let path = dir.join("p.toml");
        std::fs::write(&path, text).unwrap();
        let loaded = Programme::load(&path).unwrap();
        let schedule = crate::occurrence::expand(&loaded.programme).unwrap();
        let prepared = crate::invites::prepare(
            &loaded.programme,
            &schedule,
            lock,
            None,
            crate::jobs::Jobs::ONE,
        )
        .unwrap();
        (loaded.programme, prepared)
    }

    fn delivered(journal: &mut Journal, uid: &str, sequence: u32, method: Method, who: &str) {
        journal
            .append(&Record {
                uid: uid.into(),
                sequence,
                method,
                attendee: format!("{who}@example.org"),
                name: who.into(),
                timezone: "UTC".into(),
                at: "2023-11-01T00:00:00Z".into(),
                message_id: "<x@example.org>".into(),
                response: "250 OK".into(),
            })
            .unwrap();
    }

    /// (session, SEQUENCE, method, e-mail) of what is due.
    fn due(programme: &Programme, prepared: &Prepared, journal: &Journal) -> Vec<String> {
        plan(programme, prepared, journal)
            .iter()
            .map(|o| {
                let e = &prepared.events[o.event];
                format!(
                    "{} {} {} {}",
                    e.session_id,
                    e.sequence,
                    o.method.word(),
                    o.who(programme).1
                )
            })
            .collect()
    }

    #[test]
    fn requests_then_cancels_for_leavers_and_removed_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path(), true).unwrap();
        let uid = "s.p@example.org";
        let two = format!("{HEAD}{}{}{}", session("s"), person("ana"), person("bo"));
        let (programme, first) = prepared(dir.path(), &two, &LockFile::default());
        assert_eq!(
            due(&programme, &first, &journal),
            ["s 0 REQUEST ana@example.org", "s 0 REQUEST bo@example.org"]
        );
        // Ana's was delivered: only Bo's is due.
        delivered(&mut journal, uid, 0, Method::Request, "ana");
        assert_eq!(
            due(&programme, &first, &journal),
            ["s 0 REQUEST bo@example.org"]
        );
        delivered(&mut journal, uid, 0, Method::Request, "bo");
        assert!(due(&programme, &first, &journal).is_empty());
        // Bo leaves the programme: SEQUENCE 1 for Ana, a CANCEL for Bo (known from the journal).
        let one = format!("{HEAD}{}{}{}", session("s"), person("ana"), person("cy"));
        let (programme, second) = prepared(dir.path(), &one, &first.lock);
        assert_eq!(
            due(&programme, &second, &journal),
            [
                "s 1 REQUEST ana@example.org",
                "s 1 CANCEL bo@example.org",
                "s 1 REQUEST cy@example.org"
            ]
        );
        delivered(&mut journal, uid, 1, Method::Request, "ana");
        delivered(&mut journal, uid, 1, Method::Cancel, "bo");
        // The session is removed before Cy's invitation went out: a CANCEL for Ana only (Cy
        // never had the event), none again for Bo.
        let other = format!("{HEAD}{}{}{}", session("t"), person("ana"), person("cy"));
        let (programme, third) = prepared(dir.path(), &other, &second.lock);
        assert_eq!(
            due(&programme, &third, &journal),
            [
                "s 2 CANCEL ana@example.org",
                "t 0 REQUEST ana@example.org",
                "t 0 REQUEST cy@example.org"
            ]
        );
    }
}
