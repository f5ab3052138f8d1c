//! Text from registration forms made harmless for the medium it is shown in, and still readable.
//!
//! Names, titles and e-mails come from people and form tools. Each medium has its own hazards:
//! - a **terminal** obeys escape sequences (ESC), and bidi controls reorder what is shown;
//! - **markdown** in a pull-request comment renders `<img>`, `[links](…)` and bare URLs, and
//!   `@user` pings someone;
//! - a **spreadsheet** runs a CSV cell that starts with `=`, `+`, `-` or `@` as a formula.
//!
//! HTML is escaped by the page's templates (maud) and iCalendar by its writer
//! ([`crate::ics::text`]); this module serves the other three.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters no reader should receive raw: C0 and C1 controls, DEL, and the invisible
/// formatting and bidi controls that make text look other than it is.
fn hazardous(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

fn push_visible(out: &mut String, c: char) {
    let _ = write!(out, "<U+{:04X}>", u32::from(c));
}

/// Text for a terminal: every control, bidi or invisible formatting character is shown as
/// `<U+XXXX>` instead of acting.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hazardous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hazardous(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text inside a markdown table cell or paragraph (GitHub and GitLab flavours): no HTML, no
/// links or images, no autolinked URLs or e-mails, no `@mentions`, no table breaks, one line.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A zero-width space after `@` stops mentions and e-mail autolinks (as Renovate does).
            '@' => out.push_str("@&#8203;"),
            ':' if ["http", "https", "ftp"]
                .iter()
                .any(|s| ends_with_ci(&out, s)) =>
            {
                out.push_str(":&#8203;");
            }
            '.' if ends_with_ci(&out, "www") => out.push_str("&#8203;."),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '~' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            c if hazardous(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

fn ends_with_ci(text: &str, suffix: &str) -> bool {
    text.len()
        .checked_sub(suffix.len())
        .and_then(|i| text.get(i..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
}

/// A CSV cell a spreadsheet will not run: a cell whose first character could start a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, which spreadsheets show as
/// text (OWASP's advice). The CSV writer still quotes the cell.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let first = text.trim_start_matches(' ').chars().next();
    if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n'))
        || text.starts_with(['\t', '\r'])
    {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    #[test]
    fn terminal() {
        use crate::neutralise::terminal;
        assert_eq!(terminal("Ana Souza"), "Ana Souza");
        assert_eq!(terminal("a\u{1b}[2Jb"), "a<U+001B>[2Jb");
        assert_eq!(terminal("evil\u{202e}gpj.exe"), "evil<U+202E>gpj.exe");
    }

    #[test]
    fn markdown() {
        use crate::neutralise::markdown;
        assert_eq!(markdown("Ana Souza"), "Ana Souza");
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(
            markdown("[click](https://evil.example)"),
            "\\[click\\]\\(https:&#8203;//evil.example\\)"
        );
        assert_eq!(markdown("@octocat"), "@&#8203;octocat");
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn csv_cell() {
        use crate::neutralise::csv_cell;
        assert_eq!(csv_cell("Ana Souza"), "Ana Souza");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_cell(" +1"), "' +1");
    }
}
