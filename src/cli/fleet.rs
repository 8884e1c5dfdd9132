//! `talgen fleet apply` and `talgen fleet status`: a fleet file against a
//! running `talgen serve` (the plan itself is `talgen_server::apply`).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::{Args, Subcommand, ValueEnum};
use talgen_fleet::{Fleet, PatchSource, Role};
use talgen_server::apply::{plan, Step};
use talgen_server::model::{
    ClusterCreate, ClusterView, DeviceCreate, DeviceCredentials, DeviceView, RoleName,
};

#[derive(Debug, Subcommand)]
pub(crate) enum FleetCommand {
    /// Make a config server match a fleet file: create and update clusters
    /// and devices (printing the plan first), optionally retire the rest.
    Apply(Box<ApplyArgs>),
    /// List a config server's devices with state, revision and last fetch.
    Status(Box<StatusArgs>),
}

#[derive(Debug, Args)]
struct ServerArgs {
    /// The server's base URL (`https://seed.example.net`).
    #[arg(long, value_name = "URL")]
    server: String,

    /// File holding an admin API token (role operator or admin).
    #[arg(long, value_name = "FILE")]
    token_file: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    /// The fleet file (`@file` patches are read relative to it and sent
    /// as text: the server reads no files).
    fleet: PathBuf,

    #[command(flatten)]
    server: ServerArgs,

    /// Print the plan and change nothing.
    #[arg(long)]
    dry_run: bool,

    /// Retire devices the server has and the fleet file does not.
    #[arg(long)]
    prune: bool,

    /// Let a cluster move to another version contract (configs from a
    /// newer contract can break older nodes).
    #[arg(long)]
    allow_contract_change: bool,

    /// Where new devices' secrets and SMBIOS serials are written (JSON,
    /// created with mode 0600, never overwritten). Required when the plan
    /// creates devices: a secret is handed out only once.
    #[arg(long, value_name = "FILE")]
    secrets_out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// Only this cluster's devices.
    #[arg(long, value_name = "NAME")]
    cluster: Option<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "table")]
    output: StatusFormat,
}

struct Client {
    agent: ureq::Agent,
    base: String,
    bearer: String,
}

impl Client {
    fn new(args: &ServerArgs) -> anyhow::Result<Self> {
        let token = std::fs::read_to_string(&args.token_file)
            .with_context(|| format!("reading {}", args.token_file.display()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build()
            .into();
        Ok(Self {
            agent,
            base: args.server.trim_end_matches('/').to_owned(),
            bearer: format!("Bearer {}", token.trim()),
        })
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> anyhow::Result<(u16, String)> {
        let url = format!("{}{path}", self.base);
        let auth = self.bearer.as_str();
        let resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", auth).call(),
            (m, Some(b)) => {
                let text = serde_json::to_string(b)?;
                let req = match m {
                    "POST" => self.agent.post(&url),
                    "PATCH" => self.agent.patch(&url),
                    other => bail!("unsupported method {other}"),
                };
                req.header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .send(text)
            }
            (m, None) => bail!("{m} needs a body"),
        }
        .with_context(|| format!("{method} {url}"))?;
        let status = resp.status().as_u16();
        let text = resp
            .into_body()
            .read_to_string()
            .with_context(|| format!("reading the answer to {method} {url}"))?;
        Ok((status, text))
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> anyhow::Result<T> {
        let (status, text) = self.call(method, path, body)?;
        if !(200..300).contains(&status) {
            let msg = serde_json::from_str::<talgen_server::model::ErrorBody>(&text)
                .map(|e| e.error)
                .unwrap_or(text);
            bail!("{method} {path}: {status}: {msg}");
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path}: unexpected answer"))
    }
}

pub(crate) fn run(cmd: &FleetCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        FleetCommand::Apply(args) => apply(args),
        FleetCommand::Status(args) => status(args),
    }
}

/// The raw `network` value of every node, by host name, as the fleet file
/// writes it (the server takes the same form).
fn raw_networks(text: &str) -> HashMap<String, serde_json::Value> {
    let mut out = HashMap::new();
    let Ok(doc) = serde_saphyr::from_str::<serde_json::Value>(text) else {
        return out;
    };
    let clusters = doc
        .get("clusters")
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    for c in clusters {
        for n in c
            .get("nodes")
            .and_then(|n| n.as_array())
            .cloned()
            .unwrap_or_default()
        {
            if let (Some(h), Some(net)) =
                (n.get("hostname").and_then(|h| h.as_str()), n.get("network"))
            {
                out.insert(h.to_owned(), net.clone());
            }
        }
    }
    out
}

fn patch_text(source: &PatchSource, base: &Path) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::Value::String(match source {
        PatchSource::Text(t) => t.clone(),
        PatchSource::File(p) => {
            let path = base.join(p);
            std::fs::read_to_string(&path)
                .with_context(|| format!("reading patch {}", path.display()))?
        }
    }))
}

fn desired(path: &Path) -> anyhow::Result<(Vec<ClusterCreate>, Vec<DeviceCreate>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let fleet = Fleet::parse(&text, &path.display().to_string())?;
    if !fleet.rejected.is_empty() {
        for e in &fleet.rejected {
            eprintln!("error: {e}");
        }
        bail!(
            "{} clusters of the fleet file are invalid; nothing was applied",
            fleet.rejected.len()
        );
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let networks = raw_networks(&text);
    let mut clusters = Vec::new();
    let mut devices = Vec::new();
    for c in &fleet.clusters {
        clusters.push(ClusterCreate {
            name: c.name.clone(),
            endpoint: c.endpoint.clone(),
            talos_version: c.contract.to_string(),
            kubernetes_version: c.kubernetes_version.clone(),
            install_image: c.install_image.clone(),
            patches: c
                .patches
                .iter()
                .map(|p| patch_text(&p.source, base))
                .collect::<Result<_, _>>()?,
            source_cidrs: Vec::new(),
            secrets: None,
        });
        for n in &c.nodes {
            if !talgen_server::id::is_valid_id(&n.hostname) {
                bail!("host name {} cannot be a device id (use 1-63 lowercase letters, digits, hyphens)", n.hostname);
            }
            devices.push(DeviceCreate {
                id: n.hostname.clone(),
                cluster: c.name.clone(),
                role: match n.role {
                    Role::ControlPlane => RoleName::Controlplane,
                    Role::Worker => RoleName::Worker,
                },
                hostname: n.hostname.clone(),
                install_disk: n.install_disk.clone(),
                network: networks.get(&n.hostname).cloned(),
                patches: n
                    .patches
                    .iter()
                    .map(|p| patch_text(&p.source, base))
                    .collect::<Result<_, _>>()?,
                state: None,
                vmid: n.vmid,
            });
        }
    }
    Ok((clusters, devices))
}

fn apply(args: &ApplyArgs) -> anyhow::Result<ExitCode> {
    let (want_c, want_d) = desired(&args.fleet)?;
    let client = Client::new(&args.server)?;
    let have_c: Vec<ClusterView> = client.json("GET", "/api/v1/clusters", None)?;
    let have_d: Vec<DeviceView> = client.json("GET", "/api/v1/devices", None)?;
    let steps = plan(
        &want_c,
        &want_d,
        &have_c,
        &have_d,
        args.prune,
        args.allow_contract_change,
    )?;
    for s in &steps {
        println!("{s}");
    }
    let creates = steps
        .iter()
        .filter(|s| matches!(s, Step::CreateDevice(_)))
        .count();
    println!(
        "plan: {} steps ({} new devices){}",
        steps.len(),
        creates,
        if args.dry_run {
            "; dry run, nothing changed"
        } else {
            ""
        }
    );
    if args.dry_run || steps.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if creates > 0 && args.secrets_out.is_none() {
        bail!("the plan creates {creates} devices, whose secrets are shown only once: give --secrets-out FILE");
    }
    if let Some(out) = &args.secrets_out {
        // Claim the file before changing anything, so secrets always have a home.
        super::serve::write_new_private(out, "")?;
    }
    let mut issued: Vec<DeviceCredentials> = Vec::new();
    let mut failed = 0usize;
    let total = steps.len();
    for (i, step) in steps.iter().enumerate() {
        let result = match step {
            Step::CreateCluster(c) => client
                .json::<serde_json::Value>(
                    "POST",
                    "/api/v1/clusters",
                    Some(&serde_json::to_value(c_body(c))?),
                )
                .map(drop),
            Step::UpdateCluster { name, change, .. } => client
                .json::<serde_json::Value>(
                    "PATCH",
                    &format!("/api/v1/clusters/{name}"),
                    Some(&update_cluster_body(change)),
                )
                .map(drop),
            Step::CreateDevice(d) => client
                .json::<DeviceCredentials>("POST", "/api/v1/devices", Some(&device_body(d)))
                .map(|c| issued.push(c)),
            Step::UpdateDevice { id, change, .. } => client
                .json::<serde_json::Value>(
                    "PATCH",
                    &format!("/api/v1/devices/{id}"),
                    Some(&update_device_body(change)),
                )
                .map(drop),
            Step::RetireDevice(id) => client
                .json::<serde_json::Value>(
                    "PATCH",
                    &format!("/api/v1/devices/{id}"),
                    Some(&serde_json::json!({"state": "retired"})),
                )
                .map(drop),
        };
        if let Err(e) = result {
            failed += 1;
            eprintln!("error: {step}: {e:#}");
        }
        if (i + 1) % 500 == 0 {
            eprintln!("applied {}/{total}", i + 1);
        }
    }
    if let Some(out) = &args.secrets_out {
        let text = serde_json::to_string_pretty(&issued)? + "\n";
        std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {} device secrets to {}", issued.len(), out.display());
    }
    println!("applied {} of {total} steps", total - failed);
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn c_body(c: &ClusterCreate) -> serde_json::Value {
    serde_json::json!({
        "name": c.name,
        "endpoint": c.endpoint,
        "talosVersion": c.talos_version,
        "kubernetesVersion": c.kubernetes_version,
        "installImage": c.install_image,
        "patches": c.patches,
    })
}

fn device_body(d: &DeviceCreate) -> serde_json::Value {
    serde_json::json!({
        "id": d.id,
        "cluster": d.cluster,
        "role": d.role,
        "hostname": d.hostname,
        "installDisk": d.install_disk,
        "network": d.network,
        "patches": d.patches,
        "vmid": d.vmid,
    })
}

fn update_cluster_body(u: &talgen_server::model::ClusterUpdate) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: Option<serde_json::Value>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    };
    put("endpoint", u.endpoint.clone().map(Into::into));
    put("talosVersion", u.talos_version.clone().map(Into::into));
    put(
        "kubernetesVersion",
        u.kubernetes_version.clone().map(Into::into),
    );
    put("installImage", u.install_image.clone().map(Into::into));
    put("patches", u.patches.clone().map(Into::into));
    if u.force {
        m.insert("force".to_owned(), true.into());
    }
    serde_json::Value::Object(m)
}

fn update_device_body(u: &talgen_server::model::DeviceUpdate) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if let Some(r) = u.role {
        m.insert("role".to_owned(), r.as_str().into());
    }
    if let Some(h) = &u.hostname {
        m.insert("hostname".to_owned(), h.clone().into());
    }
    if let Some(d) = &u.install_disk {
        m.insert("installDisk".to_owned(), d.clone().into());
    }
    if let Some(n) = &u.network {
        m.insert("network".to_owned(), n.clone());
    }
    if let Some(p) = &u.patches {
        m.insert("patches".to_owned(), p.clone().into());
    }
    if let Some(s) = u.state {
        m.insert("state".to_owned(), s.as_str().into());
    }
    serde_json::Value::Object(m)
}

fn status(args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let client = Client::new(&args.server)?;
    let path = match &args.cluster {
        Some(c) => format!("/api/v1/devices?cluster={c}"),
        None => "/api/v1/devices".to_owned(),
    };
    let devices: Vec<DeviceView> = client.json("GET", &path, None)?;
    match args.output {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&devices)?),
        StatusFormat::Table => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{:<24} {:<16} {:<13} {:<9} {:>8}  LAST FETCH",
                "DEVICE", "CLUSTER", "ROLE", "STATE", "REVISION"
            )?;
            for d in &devices {
                let last = d.last_fetch.as_ref().map_or_else(
                    || "never".to_owned(),
                    |f| format!("{} {} {} from {}", f.at, f.file, f.status, f.source),
                );
                writeln!(
                    out,
                    "{:<24} {:<16} {:<13} {:<9} {:>8}  {last}",
                    d.id,
                    d.cluster,
                    d.role.as_str(),
                    d.state.as_str(),
                    d.revision.map_or_else(|| "-".to_owned(), |r| r.to_string()),
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
