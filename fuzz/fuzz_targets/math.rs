//! libFuzzer entry point; the target itself is `syllabus_fuzz::math`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| syllabus_fuzz::math(data));
