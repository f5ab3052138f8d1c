//! Lower-case hexadecimal: calendar file stems, attendee-key checks, lock fingerprints, the
//! names of cached busy calendars and new key files are all digests written this one way.

/// `bytes` as lower-case hexadecimal, two digits per byte.
pub(crate) fn lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn matches_the_published_sha256_of_abc() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assert_eq!(
            super::lower(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(super::lower(&[]), "");
        assert_eq!(super::lower(&[0, 9, 10, 255]), "00090aff");
    }
}
