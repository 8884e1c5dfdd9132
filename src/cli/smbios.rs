//! `talgen smbios`: build the SMBIOS serial that points Talos at an HTTP
//! NoCloud seed (plain, base64, `qm set` line, Terraform block), or explain
//! an existing one with `--decode`.

use anyhow::{bail, Context as _};
use clap::{Args, ValueEnum};
use talgen_nocloud::{decode_serial, uuid_from_qm_config, validate_uuid, SmbiosSerial};

use super::output;

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// Labelled lines for humans.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `talgen smbios`, one field per flag.
#[derive(Debug, Args)]
pub(crate) struct SmbiosArgs {
    /// Seed base URL (http or https); user-data, meta-data and network-config are fetched below it.
    #[arg(long, required_unless_present = "decode")]
    url: Option<String>,

    /// Node host name (`h=`).
    #[arg(long, required_unless_present = "decode")]
    hostname: Option<String>,

    /// Instance id (`i=`, read by Talos v1.10 and later).
    #[arg(long)]
    instance_id: Option<String>,

    /// Basic-auth user, percent-encoded into the URL.
    #[arg(long, requires = "password")]
    user: Option<String>,

    /// Basic-auth password, percent-encoded into the URL.
    #[arg(long, requires = "user")]
    password: Option<String>,

    /// The VM's existing SMBIOS UUID, kept by the `qm set` line.
    #[arg(long, conflicts_with = "from_qm_config")]
    uuid: Option<String>,

    /// A `smbios1: …` line from `qm config VMID`; its UUID is kept.
    #[arg(long, value_name = "LINE")]
    from_qm_config: Option<String>,

    /// Proxmox VM id for the `qm set` line.
    #[arg(long)]
    vmid: Option<u32>,

    /// Explain a serial (plain or base64) instead of building one.
    #[arg(long, value_name = "SERIAL", conflicts_with_all = ["url", "hostname", "instance_id", "user", "uuid", "from_qm_config", "vmid"])]
    decode: Option<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Builds or decodes a serial and prints the result.
pub(crate) fn run(args: &SmbiosArgs) -> anyhow::Result<()> {
    if let Some(input) = &args.decode {
        return decode(input, args.format);
    }
    let (Some(url), Some(hostname)) = (&args.url, &args.hostname) else {
        bail!("--url and --hostname are required");
    };
    let credentials = match (&args.user, &args.password) {
        (Some(u), Some(p)) => Some((u.as_str(), p.as_str())),
        _ => None,
    };
    let mut serial = SmbiosSerial::with_credentials(url, hostname, credentials)?;
    if let Some(id) = &args.instance_id {
        serial = serial.instance_id(id)?;
    }
    let uuid = match (&args.uuid, &args.from_qm_config) {
        (Some(u), _) => {
            validate_uuid(u)?;
            Some(u.clone())
        }
        (None, Some(line)) => {
            let uuid = uuid_from_qm_config(line)?;
            if uuid.is_none() {
                bail!("no uuid= in --from-qm-config {line:?}");
            }
            uuid
        }
        (None, None) => None,
    };
    let qm = serial.qm_set(args.vmid, uuid.as_deref());
    let terraform = serial.terraform(uuid.as_deref());
    let text = match args.format {
        Format::Text => {
            let mut s = format!(
                "serial:    {}\nbase64:    {}\nqm:        {qm}\nterraform:\n{terraform}",
                serial.serial(),
                serial.base64()
            );
            if uuid.is_none() {
                s.push_str(
                    "note: no --uuid/--from-qm-config given; `qm set` replaces smbios1 and the VM gets a new UUID\n",
                );
            }
            s
        }
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Json<'a> {
                serial: String,
                base64: String,
                url: &'a str,
                uuid: Option<&'a str>,
                qm_set: &'a str,
                terraform: &'a str,
            }
            let json = Json {
                serial: serial.serial(),
                base64: serial.base64(),
                url: serial.url(),
                uuid: uuid.as_deref(),
                qm_set: &qm,
                terraform: &terraform,
            };
            format!("{}\n", serde_json::to_string(&json)?)
        }
    };
    output::write_stdout(text.as_bytes())
}

fn decode(input: &str, format: Format) -> anyhow::Result<()> {
    let p = decode_serial(input).context("decoding the serial")?;
    let text = match format {
        Format::Text => {
            let mut s = format!(
                "ds=nocloud-net: {}\nseed url:       {}\nhostname:       {}\ninstance id:    {}\n",
                if p.network_source { "yes" } else { "no" },
                p.url.as_deref().unwrap_or("-"),
                p.hostname.as_deref().unwrap_or("-"),
                p.instance_id.as_deref().unwrap_or("-"),
            );
            if let Some(problem) = p.hostname_problem() {
                s.push_str(&format!(
                    "warning:        Talos refuses this host name ({problem}) and then applies none of its platform network settings\n"
                ));
            }
            for i in &p.ignored {
                s.push_str(&format!("ignored:        {i}\n"));
            }
            s.push_str(if p.uses_http_seed() {
                "Talos fetches meta-data, network-config and user-data from the seed url.\n"
            } else {
                "Talos does not use an HTTP seed with this serial; it looks for a cidata volume.\n"
            });
            s
        }
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Json<'a> {
                network_source: bool,
                url: Option<&'a str>,
                hostname: Option<&'a str>,
                hostname_problem: Option<String>,
                instance_id: Option<&'a str>,
                ignored: &'a [String],
                uses_http_seed: bool,
            }
            let json = Json {
                network_source: p.network_source,
                url: p.url.as_deref(),
                hostname: p.hostname.as_deref(),
                hostname_problem: p.hostname_problem(),
                instance_id: p.instance_id.as_deref(),
                ignored: &p.ignored,
                uses_http_seed: p.uses_http_seed(),
            };
            format!("{}\n", serde_json::to_string(&json)?)
        }
    };
    output::write_stdout(text.as_bytes())
}
