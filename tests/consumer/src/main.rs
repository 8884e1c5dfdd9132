//! Prints the worker config of a one-node cluster, patched for its disk,
//! from a secrets bundle made on the spot: the paved path of the facade.

use std::process::ExitCode;

use talgen::{parse_patch, Bundle, BundleOptions, Clock, ConfigBundle, Contract};

fn worker() -> Result<String, Box<dyn std::error::Error>> {
    let contract: Contract = "v1.6".parse()?;
    let mut options = BundleOptions::talosctl();
    options.generate.contract = contract;
    options.generate.secrets = Some(Bundle::generate(contract, Clock::fixed_now())?);
    options
        .worker_patches
        .push(parse_patch(b"machine: {install: {disk: /dev/vda}}")?);
    let cluster = ConfigBundle::new("consumer", "https://10.0.0.1:6443", "v1.32.0", options)?;
    Ok(cluster.worker().as_str().to_owned())
}

fn main() -> ExitCode {
    match worker() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("consumer: {e}");
            ExitCode::FAILURE
        }
    }
}
