//! libFuzzer entry point; the target itself is `syllabus_fuzz::notebook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| syllabus_fuzz::notebook(data));
