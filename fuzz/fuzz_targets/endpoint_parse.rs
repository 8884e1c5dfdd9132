#![no_main]

libfuzzer_sys::fuzz_target!(|data: &str| talgen::generate::internal::url_roundtrip(data));
