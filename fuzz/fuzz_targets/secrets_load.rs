#![no_main]
// Seeds: ../shared/talos/secrets/*.yaml, ../shared/talos/golden/v1.*/secrets.yaml.
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::secrets::internal::fuzz_load(data));
