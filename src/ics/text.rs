//! RFC 5545 content lines: TEXT escaping, parameter quoting, folding at 75 octets without
//! splitting a UTF-8 character, CRLF line ends.

/// A local DATE-TIME value, `20231213T090000` (written with a TZID, or as a VTIMEZONE onset).
pub(crate) fn civil_value(c: chrono::NaiveDateTime) -> String {
    c.format("%Y%m%dT%H%M%S").to_string()
}

/// A UTC DATE-TIME value, `20231213T080000Z`.
pub(crate) fn utc_value(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: `\` `;` `,` and newlines (CRLF, CR and LF all become `\n`; no raw CR is
/// ever written). Other control characters, which RFC 5545 forbids in TEXT, are dropped.
///
/// ```
/// use roundtable::ics::text::escape_text;
/// assert_eq!(escape_text("a;b,c\\d\r\ne\rf\ng"), "a\\;b\\,c\\\\d\\ne\\nf\\ng");
/// ```
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted when it contains `:` `;` `,`; `"` (which cannot be escaped in a
/// parameter) becomes `'`, and control characters are dropped (RFC 5545 §3.1, RFC 6868 aside).
///
/// ```
/// use roundtable::ics::text::param_value;
/// assert_eq!(param_value("Ana Souza"), "Ana Souza");
/// assert_eq!(param_value("Souza, Ana"), "\"Souza, Ana\"");
/// assert_eq!(param_value("say \"hi\"\n"), "say 'hi'");
/// // Non-ASCII letters are kept, C1 controls (U+0080–U+009F) dropped like C0 ones.
/// assert_eq!(param_value("Zoë\u{85} Ngũgĩ;\u{7f}"), "\"Zoë Ngũgĩ;\"");
/// ```
pub fn param_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_param_value(&mut out, value);
    out
}

/// [`param_value`], appended to `out` (no allocation: an invitation lists thousands).
pub fn push_param_value(out: &mut String, value: &str) {
    // Dropping controls and turning `"` into `'` never adds or removes `:` `;` `,`.
    let quote = value.contains([':', ';', ',']);
    if quote {
        out.push('"');
    }
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"')
    {
        out.push_str(value);
    } else {
        for c in value.chars().filter(|c| !c.is_control()) {
            out.push(if c == '"' { '\'' } else { c });
        }
    }
    if quote {
        out.push('"');
    }
}

/// A URI value (mailto:, https:): control characters and spaces are percent-encoded so that the
/// value stays one token.
///
/// ```
/// use roundtable::ics::text::uri_value;
/// assert_eq!(uri_value(" ana@example.org "), "ana@example.org");
/// assert_eq!(uri_value("a b\u{7f}\u{85}@é.org"), "a%20b%7F%C2%85@é.org");
/// ```
pub fn uri_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_uri_value(&mut out, value);
    out
}

/// [`uri_value`], appended to `out`.
pub fn push_uri_value(out: &mut String, value: &str) {
    let value = value.trim();
    if value.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            ' ' => out.push_str("%20"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push('%');
                    out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
                    out.push(char::from(HEX_UPPER[usize::from(b & 15)]));
                }
            }
            c => out.push(c),
        }
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Appends one content line to `out`, folded at 75 octets (continuation lines start with a
/// space, which counts toward their 75), never inside a UTF-8 character, ending in CRLF.
///
/// ```
/// use roundtable::ics::text::push_line;
/// let mut out = String::new();
/// push_line(&mut out, &format!("SUMMARY:{}", "é".repeat(40)));
/// assert!(out.split("\r\n").all(|l| l.len() <= 75));
/// assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(40)));
/// ```
pub fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
}

/// Undoes [`push_line`] folding: joins continuation lines and splits on CRLF.
///
/// ```
/// use roundtable::ics::text::{push_line, unfold};
/// let mut out = String::new();
/// push_line(&mut out, &"X".repeat(200));
/// assert_eq!(unfold(&out), vec!["X".repeat(200)]);
/// ```
pub fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in text.split("\r\n") {
        if let (Some(cont), Some(last)) = (physical.strip_prefix(' '), lines.last_mut()) {
            last.push_str(cont);
            continue;
        }
        if !physical.is_empty() {
            lines.push(physical.to_string());
        }
    }
    lines
}
