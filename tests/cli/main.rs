//! End-to-end tests of the `talgen` binary: one integration test binary,
//! one module per command or corpus. Conformance modules read Talos's
//! reference data through `TALGEN_UPSTREAM_DIR` (default `../shared/talos`).

mod credentials;
mod fleet;
mod gen_config;
mod golden_gen_config;
mod golden_validate;
mod nocloud;
mod patch;
mod schema;
mod secrets;
mod serve;
mod validate;
