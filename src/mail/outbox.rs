//! What `send` has to send: for every published event, the messages whose SEQUENCE has not
//! yet reached each attendee, according to the journal.
//!
//! - Every attendee of a live event gets a REQUEST at its current SEQUENCE, unless the
//!   journal holds that very message (a new or changed event, a new attendee).
//! - Every attendee whose last message for a UID was a REQUEST, and who is no longer invited to
//!   it (the session was removed, or they left its audience or the programme), gets a CANCEL
//!   at the UID's current SEQUENCE, unless the journal holds it. Attendees never sent a
//!   REQUEST are not sent a CANCEL: they never had the event.

use std::collections::HashSet;

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
            let recipient = match programme
                .participants
                .iter()
                .position(|p| &normalise(&p.email) == email)
            {
                Some(pi) => Recipient::Participant(pi),
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
