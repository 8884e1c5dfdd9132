#![no_main]
// Seeds: ../shared/talos/configloader/fuzz; every mode must judge any loaded config without panicking.
libfuzzer_sys::fuzz_target!(|input: &str| for mode in talgen::validate::Mode::ALL { let _ = talgen::validate::validate_str(input, mode, &talgen::validate::Options::default()); });
