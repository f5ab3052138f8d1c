//! The one comparison of e-mail addresses: two spellings of an address are the same
//! participant when they agree after Unicode NFC and lower-casing (`José@X.org` written with a
//! precomposed `é` or with `e` + U+0301 is one person). Used for duplicates, group members,
//! `--participant`, busy-calendar file names and the keyed calendar addresses.

use unicode_normalization::UnicodeNormalization;

/// The comparison key of an e-mail address: trimmed, NFC, lower case.
///
/// ```
/// use roundtable::programme::email::normalise;
/// assert_eq!(normalise(" Ana.Souza@Example.ORG "), "ana.souza@example.org");
/// // NFC and NFD spellings of é are the same address.
/// assert_eq!(normalise("jos\u{e9}@example.org"), normalise("jose\u{301}@example.org"));
/// ```
pub fn normalise(email: &str) -> String {
    // ASCII is its own NFC, and its lower case is ASCII's: the common case without tables.
    if email.is_ascii() {
        return email.trim().to_ascii_lowercase();
    }
    email.trim().nfc().collect::<String>().to_lowercase()
}

/// Characters that make two addresses look the same while they differ: zero-width and
/// invisible formatting characters and bidi controls. Returns the first one found.
///
/// ```
/// use roundtable::programme::email::invisible_char;
/// assert_eq!(invisible_char("ana\u{200b}@example.org"), Some('\u{200b}'));
/// assert_eq!(invisible_char("ana@example.org"), None);
/// ```
pub fn invisible_char(email: &str) -> Option<char> {
    // Every one of them is beyond ASCII, which most addresses are wholly within.
    if email.is_ascii() {
        return None;
    }
    email.chars().find(|&c| {
        matches!(c,
            '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
            | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
            | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}')
    })
}

/// A letter that looks like a Latin one in an address that also has Latin letters (a Cyrillic
/// `а` in `аna@example.org`, a Greek `ο`, a full-width `ａ`): such an address is almost always a
/// mistake or a spoof. Returns the first one found.
///
/// ```
/// use roundtable::programme::email::confusable_char;
/// assert_eq!(confusable_char("\u{430}na@example.org"), Some('\u{430}'));
/// assert_eq!(confusable_char("ana@example.org"), None);
/// // An address written wholly in another script is not confusable with a Latin one.
/// assert_eq!(confusable_char("\u{43c}\u{438}\u{440}@\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}.\u{440}\u{444}"), None);
/// ```
pub fn confusable_char(email: &str) -> Option<char> {
    // Every one of them is beyond ASCII.
    if email.is_ascii() || !email.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    email.chars().find(|&c| {
        matches!(c,
            '\u{0370}'..='\u{03ff}'     // Greek
            | '\u{0400}'..='\u{052f}'   // Cyrillic
            | '\u{0530}'..='\u{058f}'   // Armenian
            | '\u{ff01}'..='\u{ff5e}') // full-width ASCII
    })
}
