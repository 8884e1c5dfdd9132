//! Parse arbitrary text as YAML; whatever parses must survive emit + re-parse.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::yaml::internal::fuzz_roundtrip(data));
