#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::nocloud::internal::fuzz_network_config(data));
