//! `talgen nocloud`: write a NoCloud seed (`user-data`, `meta-data`,
//! `network-config`) into a directory, and optionally as `cidata` ISO9660
//! and VFAT images.
//!
//! Two steps: clap parses raw arguments into [`NocloudArgs`]; [`run`]
//! validates them into a [`Seed`] and writes the files.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::{bail, Context as _};
use clap::Args;
use talgen_nocloud::{
    derive_instance_id, Interface, IpPrefix, IsoOptions, MacAddr, MetaData, NetworkVersion,
    NodeNetwork, Seed, UserData, VfatOptions, DEFAULT_INTERFACE,
};

use super::output;

/// Arguments of `talgen nocloud`, one field per flag.
#[derive(Debug, Args)]
pub(crate) struct NocloudArgs {
    /// Machine config to put into user-data.
    #[arg(long, value_name = "FILE", required_unless_present = "include_url")]
    config: Option<PathBuf>,

    /// Write an `#include` pointer to this http(s) URL as user-data instead
    /// of the config (so the seed carries no secrets).
    #[arg(long, value_name = "URL", conflicts_with = "config")]
    include_url: Option<String>,

    /// Node host name (meta-data `hostname` and `local-hostname`).
    #[arg(long)]
    hostname: Option<String>,

    /// meta-data `instance-id`; derived from the seed content when omitted.
    #[arg(long)]
    instance_id: Option<String>,

    /// Node network description file (YAML; see the README).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["ip", "gateway", "dns", "mac", "dhcp", "search"])]
    network: Option<PathBuf>,

    /// Static address with prefix length, e.g. 10.0.0.51/24 (repeatable).
    #[arg(long, value_name = "CIDR")]
    ip: Vec<String>,

    /// Default gateway, IPv4 or IPv6 (repeatable, one per family).
    #[arg(long, value_name = "IP")]
    gateway: Vec<String>,

    /// DNS server (repeatable).
    #[arg(long, value_name = "IP")]
    dns: Vec<String>,

    /// DNS search domain (repeatable; cloud-init reads it, Talos does not).
    #[arg(long, value_name = "DOMAIN")]
    search: Vec<String>,

    /// MAC address of the interface the flags configure.
    #[arg(long)]
    mac: Option<String>,

    /// Name of the interface the flags configure.
    #[arg(long, default_value = DEFAULT_INTERFACE)]
    interface: String,

    /// Also run DHCPv4 (the default when no --ip is given).
    #[arg(long)]
    dhcp: bool,

    /// network-config format version.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    network_version: u8,

    /// Directory to write user-data, meta-data and network-config into.
    #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
    output_dir: PathBuf,

    /// Also write a cidata ISO9660+Joliet image here.
    #[arg(long, value_name = "PATH")]
    iso: Option<PathBuf>,

    /// Also write a CIDATA VFAT image here (attach it as a disk, not a CD-ROM).
    #[arg(long, value_name = "PATH")]
    vfat: Option<PathBuf>,

    /// Timestamp for image metadata, seconds since the Unix epoch.
    #[arg(long, default_value_t = 0, value_name = "SECONDS")]
    timestamp: u64,

    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

impl NocloudArgs {
    fn network(&self) -> anyhow::Result<NodeNetwork> {
        if let Some(path) = &self.network {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            return NodeNetwork::from_yaml(&text).with_context(|| format!("in {}", path.display()));
        }
        let mac = self
            .mac
            .as_deref()
            .map(|m| m.parse::<MacAddr>())
            .transpose()
            .map_err(|()| anyhow::anyhow!("--mac {:?} is not a MAC address", self.mac))?;
        let mut iface = Interface::physical(&self.interface, mac);
        for ip in &self.ip {
            let prefix: IpPrefix = ip
                .parse()
                .map_err(|()| anyhow::anyhow!("--ip {ip:?} is not ADDRESS/PREFIX-LENGTH"))?;
            iface.addresses.push(prefix);
        }
        iface.dhcp4 = self.dhcp || self.ip.is_empty();
        for gw in &self.gateway {
            match talgen_gourl::net::parse_ip(gw) {
                Some(IpAddr::V4(a)) if iface.gateway4.is_none() => iface.gateway4 = Some(a),
                Some(IpAddr::V6(a)) if iface.gateway6.is_none() => iface.gateway6 = Some(a),
                Some(_) => bail!("--gateway given twice for one address family"),
                None => bail!("--gateway {gw:?} is not an IP address"),
            }
        }
        let mut net = NodeNetwork {
            interfaces: vec![iface],
            ..NodeNetwork::default()
        };
        for dns in &self.dns {
            net.nameservers.push(
                talgen_gourl::net::parse_ip(dns)
                    .ok_or_else(|| anyhow::anyhow!("--dns {dns:?} is not an IP address"))?,
            );
        }
        net.search.clone_from(&self.search);
        net.validate()?;
        Ok(net)
    }
}

/// Validates the arguments, builds the seed and writes every requested file.
pub(crate) fn run(args: &NocloudArgs) -> anyhow::Result<()> {
    let user_data = match (&args.config, &args.include_url) {
        (_, Some(url)) => UserData::include(url)?,
        (Some(path), None) => UserData::Config(
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        ),
        (None, None) => bail!("one of --config or --include-url is required"),
    };
    let network = args.network()?;
    let network_version = NetworkVersion::from_number(args.network_version)
        .context("--network-version must be 1 or 2")?;
    let network_text = network.to_network_config(network_version)?;
    let instance_id = match &args.instance_id {
        Some(id) => id.clone(),
        None => derive_instance_id(
            args.hostname.as_deref(),
            &user_data.to_bytes()?,
            network_text.as_bytes(),
        ),
    };
    let seed = Seed {
        meta_data: MetaData::new(args.hostname.as_deref(), &instance_id)?,
        user_data,
        network,
        network_version,
    };

    std::fs::create_dir_all(&args.output_dir)
        .with_context(|| format!("creating {}", args.output_dir.display()))?;
    for (name, data) in seed.files()? {
        // user-data may hold the cluster's secrets
        let mode = if name == talgen_nocloud::USER_DATA {
            0o600
        } else {
            0o644
        };
        let path = args.output_dir.join(name);
        output::write_file(&path, &data, mode, args.force)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.iso {
        let img = seed.iso(&IsoOptions {
            timestamp: args.timestamp,
            ..IsoOptions::default()
        })?;
        output::write_file(path, &img, 0o600, args.force)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.vfat {
        let img = seed.vfat(&VfatOptions::default())?;
        output::write_file(path, &img, 0o600, args.force)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
