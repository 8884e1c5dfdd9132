//! Load arbitrary bytes as a patch and apply it: must never panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::patch::internal::fuzz_load_and_apply(data));
