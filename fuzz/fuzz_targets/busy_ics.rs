//! `cargo fuzz run busy_ics`: see docs/fuzzing.md; the harness is `roundtable_fuzz::busy_ics`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| roundtable_fuzz::busy_ics(data));
