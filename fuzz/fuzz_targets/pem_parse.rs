#![no_main]
// Seeds: PEM keys and certificates decoded from ../shared/talos secrets bundles.
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::pki::internal::fuzz_pem(data));
