//! `cargo fuzz run ics_text`: see docs/fuzzing.md; the harness is `roundtable_fuzz::ics_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| roundtable_fuzz::ics_text(data));
