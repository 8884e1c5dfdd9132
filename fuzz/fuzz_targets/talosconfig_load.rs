#![no_main]
// Seeds: ../shared/talos/golden/*/*/talosconfig.
libfuzzer_sys::fuzz_target!(|data: &[u8]| talgen::client::internal::fuzz_talosconfig(data));
