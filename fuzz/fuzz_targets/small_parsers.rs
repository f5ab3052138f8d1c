//! `cargo fuzz run small_parsers`: see docs/fuzzing.md; the harness is `roundtable_fuzz::small_parsers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| roundtable_fuzz::small_parsers(data));
