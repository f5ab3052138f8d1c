//! `cargo fuzz run programme`: see docs/fuzzing.md; the harness is `roundtable_fuzz::programme`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| roundtable_fuzz::programme(data));
