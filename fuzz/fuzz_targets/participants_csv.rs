//! `cargo fuzz run participants_csv`: see docs/fuzzing.md; the harness is `roundtable_fuzz::participants_csv`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| roundtable_fuzz::participants_csv(data));
