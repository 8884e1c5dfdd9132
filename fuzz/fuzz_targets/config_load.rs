#![no_main]
// Seeds: ../shared/talos/configloader/fuzz and every yaml under ../shared/talos.
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::config::loader::internal::fuzz_load(data));
