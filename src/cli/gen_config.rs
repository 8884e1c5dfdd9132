//! `talgen gen config`: a drop-in for `talosctl gen config`
//! (`cmd/talosctl/cmd/mgmt/gen/config.go`), same arguments, flags, defaults
//! and output files, plus flags for library options talosctl does not expose.
//!
//! Two steps, as everywhere in the CLI: clap parses raw arguments into
//! [`GenConfigArgs`]; [`run`] validates them into library options, generates
//! and writes.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::{ArgAction, Args};
use talgen_client::{generate_kubeconfig, generate_talosconfig, TalosconfigOptions};
use talgen_contract::Contract;
use talgen_generate::{constants, validate_cluster_endpoint, Input, MachineType, Options};
use talgen_secrets::{Bundle, ValidationScope};

use super::output;

/// Output types, in the order files are written: talosctl's, plus `init`
/// (the legacy bootstrap config) and `kubeconfig` (talgen extra: the admin
/// kubeconfig Talos would issue on a control-plane node).
const OUTPUT_TYPES: [&str; 5] = [
    "init",
    "controlplane",
    "worker",
    "talosconfig",
    "kubeconfig",
];

/// `-` as output: write the single requested type to stdout.
const STDOUT: &str = "-";

/// Arguments of `talgen gen config`, one field per flag.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub(crate) struct GenConfigArgs {
    /// Cluster name.
    name: String,

    /// Kubernetes API endpoint, e.g. https://10.0.0.1:6443 (a load balancer
    /// for HA, or a control-plane node on port 6443).
    endpoint: String,

    /// Disk to install Talos to.
    #[arg(long, default_value = constants::DEFAULT_INSTALL_DISK)]
    install_disk: String,

    /// Installer image.
    #[arg(long, default_value_t = default_install_image())]
    install_image: String,

    /// Extra kernel argument for the installer (repeatable).
    #[arg(long = "install-extra-kernel-arg", value_name = "ARG")]
    install_extra_kernel_args: Vec<String>,

    /// Additional Subject-Alt-Names for the API server certificate (comma-separated, repeatable).
    #[arg(long, value_delimiter = ',')]
    additional_sans: Vec<String>,

    /// Cluster DNS domain.
    #[arg(long, default_value = constants::DEFAULT_DNS_DOMAIN)]
    dns_domain: String,

    /// Machine config version to generate (only v1alpha1 exists).
    #[arg(long = "version", default_value = "v1alpha1")]
    config_version: String,

    /// Talos version whose config contract to follow (e.g. v1.7); newest when omitted.
    #[arg(long)]
    talos_version: Option<String>,

    /// Kubernetes version to run (a leading `v` is ignored).
    #[arg(long, default_value = constants::DEFAULT_KUBERNETES_VERSION)]
    kubernetes_version: String,

    /// Patch for every generated config (inline, or @file; repeatable).
    #[arg(long)]
    config_patch: Vec<String>,

    /// Patch for init and controlplane configs (repeatable).
    #[arg(long)]
    config_patch_control_plane: Vec<String>,

    /// Patch for the worker config (repeatable).
    #[arg(long)]
    config_patch_worker: Vec<String>,

    /// Registry mirror as <registry host>=<mirror URL> (comma-separated, repeatable).
    #[arg(
        long = "registry-mirror",
        value_delimiter = ',',
        value_name = "HOST=URL"
    )]
    registry_mirrors: Vec<String>,

    /// Accepted for talosctl compatibility; talgen writes no example comments.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value_t = false,
          default_missing_value = "true", action = ArgAction::Set)]
    with_examples: bool,

    /// Accepted for talosctl compatibility; talgen writes no field documentation.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value_t = false,
          default_missing_value = "true", action = ArgAction::Set)]
    with_docs: bool,

    /// Enable cluster discovery.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value_t = true,
          default_missing_value = "true", action = ArgAction::Set)]
    with_cluster_discovery: bool,

    /// Enable KubeSpan.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value_t = false,
          default_missing_value = "true", action = ArgAction::Set)]
    with_kubespan: bool,

    /// Use this secrets bundle (from `gen secrets`) instead of generating one.
    #[arg(long, value_name = "FILE")]
    with_secrets: Option<PathBuf>,

    /// Outputs to generate, comma-separated: controlplane, worker, init,
    /// talosconfig, and kubeconfig (talgen extra: an admin kubeconfig for
    /// ENDPOINT, issued from the bundle's Kubernetes CA).
    #[arg(
        short = 't',
        long,
        value_delimiter = ',',
        default_value = "controlplane,worker,talosconfig"
    )]
    output_types: Vec<String>,

    /// Destination: a directory for several types; a file or `-` (stdout) for one.
    #[arg(short = 'o', long)]
    output: Option<String>,

    /// Older spelling of --output, always a directory.
    #[arg(long, hide = true)]
    output_dir: Option<String>,

    /// Overwrite existing files.
    #[arg(short = 'f', long)]
    force: bool,

    /// Leave etcd and Kubernetes out of the configs (experimental).
    #[arg(long, hide = true)]
    skip_k8s_etcd: bool,

    /// Port of the local API server (talgen extra; 0 keeps the default).
    #[arg(long, value_name = "PORT")]
    local_api_server_port: Option<u16>,

    /// KubePrism port; 0 disables KubePrism (talgen extra).
    #[arg(long = "kubeprism-port", value_name = "PORT")]
    kube_prism_port: Option<u16>,

    /// Kernel parameter as key=value (talgen extra; repeatable).
    #[arg(long = "sysctl", value_name = "KEY=VALUE")]
    sysctls: Vec<String>,

    /// URL of a CNI manifest replacing flannel (talgen extra).
    #[arg(long = "cni-url", value_name = "URL")]
    cni_url: Option<String>,

    /// Let workloads run on control-plane nodes (talgen extra).
    #[arg(long)]
    allow_scheduling_on_control_planes: bool,
}

/// Where each output type goes.
struct Destinations {
    /// Directory output: files inside it; file output: the one path.
    paths: Vec<(&'static str, String)>,
}

impl GenConfigArgs {
    /// Flag checks that need no generation (talosctl's `validateFlags`).
    fn validate(&mut self) -> anyhow::Result<()> {
        if self.output_types.is_empty() {
            bail!("at least one output type must be specified");
        }
        if self.output_types.len() > 1 && self.output.as_deref() == Some(STDOUT) {
            bail!("can't use multiple output types with stdout");
        }
        if self.output_dir.is_some() && self.output.is_some() {
            bail!("can't use both output-dir and output");
        }
        let bad: Vec<String> = self
            .output_types
            .iter()
            .filter(|t| !OUTPUT_TYPES.contains(&t.as_str()))
            .map(|t| format!("invalid output type: {t:?}"))
            .collect();
        if !bad.is_empty() {
            bail!("{}", bad.join("; "));
        }
        Ok(())
    }

    /// File name of each requested type, in write order.
    fn destinations(&self) -> anyhow::Result<Destinations> {
        let file_name = |t: &str| match t {
            "talosconfig" | "kubeconfig" => t.to_owned(),
            other => format!("{other}.yaml"),
        };
        let mut paths = Vec::new();
        for t in OUTPUT_TYPES {
            if !self.output_types.iter().any(|o| o == t) {
                continue;
            }
            let dest = match (&self.output, &self.output_dir) {
                (Some(o), _) if o == STDOUT => STDOUT.to_owned(),
                (Some(o), None) if self.output_types.len() == 1 => o.clone(),
                (Some(dir), None) | (None, Some(dir)) => {
                    Path::new(dir).join(file_name(t)).display().to_string()
                }
                (None, None) => std::env::current_dir()
                    .context("finding the current directory")?
                    .join(file_name(t))
                    .display()
                    .to_string(),
                (Some(_), Some(_)) => bail!("can't use both output-dir and output"),
            };
            paths.push((t, dest));
        }
        Ok(Destinations { paths })
    }

    /// Library options from the flags, in talosctl's option order.
    fn options(&self) -> anyhow::Result<Options> {
        let mut opts = Options::default();
        for spec in &self.registry_mirrors {
            let Some((host, url)) = spec.split_once('=') else {
                bail!("invalid registry mirror spec: {spec:?}");
            };
            opts.add_registry_mirror(host, &[url]);
        }
        if let Some(v) = &self.talos_version {
            opts.contract = v
                .parse::<Contract>()
                .with_context(|| "invalid talos-version".to_owned())?;
        }
        if self.skip_k8s_etcd {
            opts.disable_etcd = true;
            opts.disable_kubernetes = true;
            if self.talos_version.is_none() {
                opts.contract = skip_k8s_etcd_current_contract();
            }
        }
        if self.with_kubespan {
            opts.kubespan_enabled = Some(true);
        }
        if let Some(path) = &self.with_secrets {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to load secrets bundle {}", path.display()))?;
            let bundle = Bundle::from_yaml_unvalidated(&text)
                .with_context(|| format!("failed to load secrets bundle {}", path.display()))?;
            // As talosctl: configs without Kubernetes and etcd need no
            // secrets for them.
            let scope = if self.skip_k8s_etcd {
                ValidationScope::WITHOUT_KUBERNETES_AND_ETCD
            } else {
                ValidationScope::ALL
            };
            bundle
                .validate_for(scope)
                .context("failed to validate secrets bundle")?;
            opts.secrets = Some(bundle);
        }
        opts.install_disk = self.install_disk.clone();
        opts.install_image = self.install_image.clone();
        opts.additional_sans
            .extend(self.additional_sans.iter().cloned());
        opts.dns_domain = self.dns_domain.clone();
        opts.discovery_enabled = Some(self.with_cluster_discovery);

        // talgen extras, after talosctl's own options.
        opts.install_extra_kernel_args
            .extend(self.install_extra_kernel_args.iter().cloned());
        if let Some(port) = self.local_api_server_port {
            opts.local_api_server_port = port;
        }
        opts.kube_prism_port = self.kube_prism_port;
        for spec in &self.sysctls {
            let Some((k, v)) = spec.split_once('=') else {
                bail!("invalid sysctl spec: {spec:?} (want key=value)");
            };
            opts.add_sysctls([(k, v)]);
        }
        if let Some(url) = &self.cni_url {
            opts.cni_custom_url = url.clone();
        }
        opts.allow_scheduling_on_control_planes = self.allow_scheduling_on_control_planes;
        Ok(opts)
    }
}

/// Go quirk (`pkg/machinery/config/contract.go`, `DisableKubernetes` and
/// `DisableEtcd` on a nil contract): talosctl's `--skip-k8s-etcd` without
/// `--talos-version` turns "current" into a zero v0.0 contract, which every
/// behaviour gate sees as older than v1.1, i.e. exactly like v1.0.
fn skip_k8s_etcd_current_contract() -> Contract {
    Contract::V1_0
}

/// talosctl quirk (`cmd/talosctl/pkg/mgmt/helpers/image.go`, `GetTag`): the
/// tag of the default install image comes from the `TAG` environment
/// variable when it is set, else from the Talos release talgen follows.
fn default_install_image() -> String {
    match std::env::var("TAG") {
        Ok(tag) => constants::installer_image(&tag),
        Err(_) => constants::default_install_image(),
    }
}

/// Runs `talgen gen config`.
pub(crate) fn run(mut args: GenConfigArgs) -> anyhow::Result<()> {
    validate_cluster_endpoint(&args.endpoint)?;
    if args.config_version != "v1alpha1" {
        bail!("unknown config version: {:?}", args.config_version);
    }
    args.validate()?;
    let dests = args.destinations()?;
    if !args.force {
        for (_, path) in &dests.paths {
            if path != STDOUT && Path::new(path).exists() {
                bail!("file {path:?} already exists, use --force to overwrite");
            }
        }
    }
    // Patches as talosctl's bundle applies them: the common ones to every
    // type, then the control-plane ones to init and controlplane, then the
    // worker ones to worker.
    let common = talgen_patch::load_patches(&args.config_patch)
        .context("error parsing config JSON patch")?;
    let control_plane_patches = talgen_patch::load_patches(&args.config_patch_control_plane)
        .context("error parsing config JSON patch")?;
    let worker_patches = talgen_patch::load_patches(&args.config_patch_worker)
        .context("error parsing config JSON patch")?;

    let options = args.options()?;
    let kubernetes_version = args
        .kubernetes_version
        .strip_prefix('v')
        .unwrap_or(&args.kubernetes_version);
    let input = Input::new(&args.name, &args.endpoint, kubernetes_version, options)
        .context("failed to generate config bundle")?;

    // Render everything first so an error never leaves a partial set behind.
    let mut rendered = Vec::new();
    for (kind, path) in &dests.paths {
        let data = match *kind {
            "init" => patched(
                input.render(MachineType::Init)?,
                &common,
                &control_plane_patches,
            )?,
            "controlplane" => patched(
                input.render(MachineType::ControlPlane)?,
                &common,
                &control_plane_patches,
            )?,
            "worker" => patched(input.render(MachineType::Worker)?, &common, &worker_patches)?,
            "talosconfig" => generate_talosconfig(
                input.cluster_name(),
                input.bundle(),
                &TalosconfigOptions::default(),
            )
            .context("failed to generate talosconfig")?
            .to_yaml()?,
            "kubeconfig" => generate_kubeconfig(
                input.cluster_name(),
                input.endpoint(),
                input.bundle(),
                &Default::default(),
            )
            .context("failed to generate kubeconfig")?
            .to_yaml(),
            other => bail!("invalid output type: {other:?}"),
        };
        rendered.push((*kind, path, data));
    }
    for (kind, path, data) in rendered {
        if path == STDOUT {
            output::write_stdout(data.as_bytes())?;
            continue;
        }
        let path = Path::new(path);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create output dir {}", parent.display()))?;
        }
        output::write_file(path, data.as_bytes(), file_mode(kind), args.force)?;
        eprintln!("Created {}", path.display());
    }
    Ok(())
}

/// Unix mode of an output file. talosctl's `gen config` writes every file,
/// the talosconfig with its admin key included, as 0644
/// (`cmd/talosctl/cmd/mgmt/gen/config.go`, `writeConfigBundle`), and talgen
/// matches it; the kubeconfig has no talosctl `gen config` counterpart and
/// is private like `talosctl kubeconfig` writes it (0600).
fn file_mode(kind: &str) -> u32 {
    match kind {
        "kubeconfig" => 0o600,
        _ => 0o644,
    }
}

/// Applies the common then the type's patches to a rendered config and
/// re-encodes it through the typed model (upstream reloads the patched
/// config before writing it); without patches the config is unchanged.
fn patched(
    config: String,
    common: &[talgen_patch::Patch],
    specific: &[talgen_patch::Patch],
) -> anyhow::Result<String> {
    if common.is_empty() && specific.is_empty() {
        return Ok(config);
    }
    let mut bytes = config.into_bytes();
    if !common.is_empty() {
        bytes = talgen_patch::apply(&bytes, common).context("error patching configs")?;
    }
    if !specific.is_empty() {
        bytes = talgen_patch::apply(&bytes, specific).context("error patching configs")?;
    }
    Ok(talgen_config::load_bytes(&bytes)?.encode()?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrap {
        #[command(flatten)]
        args: GenConfigArgs,
    }

    fn parse(argv: &[&str]) -> GenConfigArgs {
        let mut full = vec!["gen-config"];
        full.extend_from_slice(argv);
        Wrap::try_parse_from(full).unwrap().args
    }

    #[test]
    fn defaults_match_talosctl() {
        let a = parse(&["c", "https://c:6443"]);
        assert_eq!(a.install_disk, "/dev/sda");
        assert_eq!(a.dns_domain, "cluster.local");
        assert_eq!(a.kubernetes_version, constants::DEFAULT_KUBERNETES_VERSION);
        assert_eq!(a.output_types, ["controlplane", "worker", "talosconfig"]);
        assert!(a.with_cluster_discovery);
        assert!(!a.with_kubespan);
        assert!(a
            .install_image
            .starts_with("factory.talos.dev/metal-installer/"));
    }

    #[test]
    fn go_style_bool_flags() {
        let a = parse(&[
            "c",
            "e",
            "--with-docs=false",
            "--with-cluster-discovery=false",
            "--with-kubespan",
        ]);
        assert!(!a.with_docs);
        assert!(!a.with_cluster_discovery);
        assert!(a.with_kubespan);
    }

    #[test]
    fn slices_split_on_commas() {
        let a = parse(&[
            "c",
            "e",
            "-t",
            "controlplane,init",
            "--additional-sans",
            "a,b",
            "--additional-sans",
            "c",
        ]);
        assert_eq!(a.output_types, ["controlplane", "init"]);
        assert_eq!(a.additional_sans, ["a", "b", "c"]);
    }

    #[test]
    fn single_type_output_is_a_file() {
        let mut a = parse(&["c", "e", "-t", "worker", "-o", "w.yaml"]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        assert_eq!(d.paths, [("worker", "w.yaml".to_owned())]);
    }

    #[test]
    fn several_types_output_is_a_directory() {
        let mut a = parse(&["c", "e", "-o", "out"]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        let names: Vec<_> = d.paths.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "out/controlplane.yaml",
                "out/worker.yaml",
                "out/talosconfig"
            ]
        );
    }

    #[test]
    fn stdout_needs_one_type() {
        let mut a = parse(&["c", "e", "-o", "-"]);
        assert!(a.validate().is_err());
    }

    #[test]
    fn unknown_output_type_is_rejected() {
        let mut a = parse(&["c", "e", "-t", "kubeconfig,bogus"]);
        let err = a.validate().unwrap_err().to_string();
        assert!(err.contains("\"bogus\""), "{err}");
        assert!(!err.contains("kubeconfig"), "{err}");
    }

    #[test]
    fn kubeconfig_is_a_private_file_named_kubeconfig() {
        let mut a = parse(&["c", "e", "-t", "talosconfig,kubeconfig", "-o", "out"]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        assert_eq!(
            d.paths,
            [
                ("talosconfig", "out/talosconfig".to_owned()),
                ("kubeconfig", "out/kubeconfig".to_owned())
            ]
        );
        assert_eq!(file_mode("kubeconfig"), 0o600);
        assert_eq!(file_mode("talosconfig"), 0o644);
        assert_eq!(file_mode("controlplane"), 0o644);
    }

    #[test]
    fn skip_k8s_etcd_without_version_is_the_oldest_contract() {
        let o = parse(&["c", "e", "--skip-k8s-etcd"]).options().unwrap();
        assert_eq!(o.contract, Contract::V1_0);
        assert!(o.disable_kubernetes && o.disable_etcd);
        let o = parse(&["c", "e", "--skip-k8s-etcd", "--talos-version", "v1.9"])
            .options()
            .unwrap();
        assert_eq!(o.contract, Contract::V1_9);
        let o = parse(&["c", "e"]).options().unwrap();
        assert_eq!(o.contract, Contract::LATEST);
    }

    #[test]
    fn registry_mirror_needs_equals() {
        let a = parse(&["c", "e", "--registry-mirror", "docker.io"]);
        assert!(a.options().is_err());
    }

    #[test]
    fn registry_mirrors_accumulate_per_host() {
        let a = parse(&["c", "e", "--registry-mirror", "a=https://m1,a=https://m2"]);
        let o = a.options().unwrap();
        assert_eq!(o.registry_mirrors["a"], ["https://m1", "https://m2"]);
    }
}
