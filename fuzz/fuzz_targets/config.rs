//! libFuzzer entry point; the target itself is `syllabus_fuzz::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| syllabus_fuzz::config(data));
