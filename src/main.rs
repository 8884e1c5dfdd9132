//! The `talgen` command-line tool.
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
