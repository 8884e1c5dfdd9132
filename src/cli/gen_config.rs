//! `talgen gen config`: a drop-in for `talosctl gen config`
//! (`cmd/talosctl/cmd/mgmt/gen/config.go`), same arguments, flags, defaults
//! and output files, plus flags for library options talosctl does not expose.
//!
//! Two steps, as everywhere in the CLI: clap parses raw arguments into
//! [`GenConfigArgs`]; [`run`] validates them into library options, generates
//! and writes.

use std::path::Path;

use anyhow::{bail, Context as _};
use clap::{ArgAction, Args};
use talgen_contract::Contract;
use talgen_generate::{constants, validate_cluster_endpoint, BundleOptions, ConfigBundle, Options};
use talgen_gourl::multierror::MultiError;
use talgen_gourl::strconv::parse_bool;
use talgen_gourl::{csv, filepath};
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
#[command(disable_version_flag = true, args_override_self = true)]
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
    #[arg(long)]
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
    // As pflag does, the next argument is the value even when it starts with
    // `-` (an inline JSON patch written in YAML does).
    #[arg(long, value_name = "PATCH", allow_hyphen_values = true)]
    config_patch: Vec<String>,

    /// Patch for init and controlplane configs (repeatable).
    #[arg(long, value_name = "PATCH", allow_hyphen_values = true)]
    config_patch_control_plane: Vec<String>,

    /// Patch for the worker config (repeatable).
    #[arg(long, value_name = "PATCH", allow_hyphen_values = true)]
    config_patch_worker: Vec<String>,

    /// Registry mirror as <registry host>=<mirror URL> (comma-separated, repeatable).
    #[arg(long = "registry-mirror", value_name = "HOST=URL")]
    registry_mirrors: Vec<String>,

    /// Accepted for talosctl compatibility; talgen writes no example comments.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    with_examples: bool,

    /// Accepted for talosctl compatibility; talgen writes no field documentation.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    with_docs: bool,

    /// Enable cluster discovery.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "true",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    with_cluster_discovery: bool,

    /// Enable KubeSpan.
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    with_kubespan: bool,

    /// Use this secrets bundle (from `gen secrets`) instead of generating one.
    #[arg(long, value_name = "FILE")]
    with_secrets: Option<String>,

    /// Outputs to generate, comma-separated: controlplane, worker, init,
    /// talosconfig, and kubeconfig (talgen extra: an admin kubeconfig for
    /// ENDPOINT, issued from the bundle's Kubernetes CA).
    #[arg(short = 't', long, default_value = "controlplane,worker,talosconfig")]
    output_types: Vec<String>,

    /// Destination: a directory for several types; a file or `-` (stdout) for one.
    ///
    /// Files are written atomically. The talosconfig, kubeconfig, init and
    /// controlplane configs hold private keys and are written 0600; the
    /// worker config 0644 (talosctl writes all of them 0644; talgen is
    /// stricter on purpose). A replaced file never gets looser permissions
    /// than it had.
    #[arg(short = 'o', long)]
    output: Option<String>,

    /// Older spelling of --output, always a directory.
    #[arg(long, hide = true)]
    output_dir: Option<String>,

    /// Overwrite existing files.
    #[arg(short = 'f', long, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    force: bool,

    /// Leave etcd and Kubernetes out of the configs (experimental).
    #[arg(long, hide = true, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
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
    #[arg(long, num_args = 0..=1, require_equals = true, default_value = "false",
          default_missing_value = "true", action = ArgAction::Set, value_parser = parse_bool)]
    allow_scheduling_on_control_planes: bool,
}

/// Where each output type goes.
struct Destinations {
    /// Directory output: files inside it; file output: the one path.
    paths: Vec<(&'static str, String)>,
}

impl GenConfigArgs {
    /// Brings parsed flags to the values pflag would hold: string slices
    /// read as one CSV record per occurrence (an empty occurrence adds
    /// nothing), and an empty string for a flag whose unset value is empty
    /// counting as unset.
    fn normalize(&mut self) -> anyhow::Result<()> {
        self.additional_sans = split_slice("additional-sans", &self.additional_sans)?;
        self.registry_mirrors = split_slice("registry-mirror", &self.registry_mirrors)?;
        self.output_types = split_slice("output-types", &self.output_types)?;
        for flag in [
            &mut self.output,
            &mut self.output_dir,
            &mut self.talos_version,
            &mut self.with_secrets,
        ] {
            if flag.as_deref() == Some("") {
                *flag = None;
            }
        }
        Ok(())
    }

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
            return Err(MultiError::new(bad).into());
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
            // As talosctl: --output-dir stands in for --output (so `-` still
            // means stdout), but is never taken for a file name.
            let dest = match (&self.output, &self.output_dir) {
                (Some(_), Some(_)) => bail!("can't use both output-dir and output"),
                (Some(o), None) | (None, Some(o)) if o == STDOUT => STDOUT.to_owned(),
                (Some(o), None) if self.output_types.len() == 1 => o.clone(),
                (Some(dir), None) | (None, Some(dir)) => filepath::join(&[dir, &file_name(t)]),
                (None, None) => filepath::join(&[&go_getwd()?, &file_name(t)]),
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
            opts.contract = talos_version_contract(v).context("invalid talos-version")?;
        }
        if self.skip_k8s_etcd {
            // The contract keeps its version: a zero contract (no
            // --talos-version) still compares as the current release.
            opts.disable_etcd = true;
            opts.disable_kubernetes = true;
        }
        if self.with_kubespan {
            opts.kubespan_enabled = Some(true);
        }
        if let Some(path) = self.with_secrets.as_deref().map(Path::new) {
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

/// pflag's `StringSlice` reading: each occurrence is one record of
/// comma-separated values as Go's `encoding/csv` reads it (quotes and all),
/// and an empty occurrence contributes no element at all.
fn split_slice(flag: &str, occurrences: &[String]) -> anyhow::Result<Vec<String>> {
    let mut values = Vec::new();
    for o in occurrences.iter().filter(|o| !o.is_empty()) {
        let record = csv::read_record(o)
            .map_err(|e| anyhow::anyhow!("invalid argument {o:?} for \"--{flag}\" flag: {e}"))?;
        values.extend(record);
    }
    Ok(values)
}

/// The contract for `--talos-version`, read as talosctl reads it (see
/// [`Contract::from_talosctl_version`]); unlike talosctl, a release
/// outside the supported contracts (before v1.0, after the newest) is
/// refused rather than silently generated as some other contract.
fn talos_version_contract(version: &str) -> anyhow::Result<Contract> {
    Ok(Contract::from_talosctl_version(version)?)
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
    args.normalize()?;
    validate_cluster_endpoint(&args.endpoint)?;
    if args.config_version != "v1alpha1" {
        bail!("unknown config version: {:?}", args.config_version);
    }
    args.validate()?;
    let dests = args.destinations()?;
    // talosctl's order: generation options (registry mirrors, contract,
    // secrets) first, then the patches, then the bundle itself.
    let read = |patches: &[String]| {
        talgen_patch::read_patch_args(patches).context("error parsing config JSON patch")
    };
    let options = BundleOptions {
        generate: args.options()?,
        patches: read(&args.config_patch)?,
        control_plane_patches: read(&args.config_patch_control_plane)?,
        worker_patches: read(&args.config_patch_worker)?,
    };
    // talosctl's config bundle is verbose and says so before generating.
    eprintln!("generating PKI and tokens");
    let bundle = ConfigBundle::new(
        &args.name,
        &args.endpoint,
        &args.kubernetes_version,
        options,
    )
    .context("failed to generate config bundle")?;

    // Render everything first so an error never leaves a partial set behind.
    let mut rendered = Vec::new();
    for (kind, path) in &dests.paths {
        let data = match *kind {
            "init" => bundle.init().as_str().to_owned(),
            "controlplane" => bundle.control_plane().as_str().to_owned(),
            "worker" => bundle.worker().as_str().to_owned(),
            "talosconfig" => bundle
                .talosconfig()
                .map_err(anyhow::Error::from)
                .and_then(|t| Ok(t.to_yaml()?))
                .context("failed to generate talosconfig")?,
            "kubeconfig" => bundle
                .kubeconfig(&Default::default())
                .context("failed to generate kubeconfig")?
                .to_yaml(),
            other => bail!("invalid output type: {other:?}"),
        };
        rendered.push((*kind, path, data));
    }
    // talosctl checks each file right before writing it, so a refusal can
    // leave the earlier files written; talgen refuses (with the same words)
    // before writing anything, so a refused run changes nothing.
    if !args.force {
        for (_, path, _) in &rendered {
            let file = Path::new(path);
            if *path != STDOUT && (file.exists() || file.is_symlink()) {
                bail!("file {:?} already exists, use --force to overwrite", path);
            }
        }
    }
    for (kind, path, data) in rendered {
        if path == STDOUT {
            output::write_stdout(data.as_bytes())?;
            continue;
        }
        let path = Path::new(path);
        let parent = filepath::dir(&path.display().to_string());
        std::fs::create_dir_all(&parent).context("failed to create output dir")?;
        output::write_file(path, data.as_bytes(), file_mode(kind), args.force)?;
        eprintln!("Created {}", path.display());
    }
    Ok(())
}

/// Go's `os.Getwd`: `$PWD` when it is absolute and names the current
/// directory (so a path through a symlink is kept), else the resolved one.
fn go_getwd() -> anyhow::Result<String> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    #[cfg(unix)]
    if let Some(pwd) = std::env::var_os("PWD").and_then(|p| p.into_string().ok()) {
        use std::os::unix::fs::MetadataExt;
        let same =
            |a: &std::fs::Metadata, b: &std::fs::Metadata| a.dev() == b.dev() && a.ino() == b.ino();
        if pwd.starts_with('/') {
            if let (Ok(dot), Ok(env)) = (std::fs::metadata("."), std::fs::metadata(&pwd)) {
                if same(&dot, &env) {
                    return Ok(pwd);
                }
            }
        }
    }
    Ok(cwd.display().to_string())
}

/// Unix mode of an output file. talosctl writes every `gen config` file
/// 0644 (`cmd/talosctl/cmd/mgmt/gen/config.go`); talgen is stricter on
/// purpose: the talosconfig holds an admin key, the init and controlplane
/// configs hold the cluster's CA keys, and the kubeconfig is a cluster-admin
/// credential, so they are 0600. The worker config is 0644.
fn file_mode(kind: &str) -> u32 {
    match kind {
        "worker" => 0o644,
        _ => 0o600,
    }
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
        let mut args = Wrap::try_parse_from(full).unwrap().args;
        args.normalize().unwrap();
        args
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
        assert_eq!(
            err,
            "1 error occurred:\n\t* invalid output type: \"bogus\"\n\n"
        );
        let mut a = parse(&["c", "e", "-t", "a,worker,b"]);
        let err = a.validate().unwrap_err().to_string();
        assert_eq!(
            err,
            "2 errors occurred:\n\t* invalid output type: \"a\"\n\t* invalid output type: \"b\"\n\n"
        );
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
        assert_eq!(file_mode("talosconfig"), 0o600);
        assert_eq!(file_mode("controlplane"), 0o600);
        assert_eq!(file_mode("init"), 0o600);
        assert_eq!(file_mode("worker"), 0o644);
    }

    #[test]
    fn skip_k8s_etcd_without_version_stays_current() {
        // A zero contract compares as the current release upstream.
        let o = parse(&["c", "e", "--skip-k8s-etcd"]).options().unwrap();
        assert_eq!(o.contract, Contract::LATEST);
        assert!(o.disable_kubernetes && o.disable_etcd);
        let o = parse(&["c", "e", "--skip-k8s-etcd", "--talos-version", "v1.9"])
            .options()
            .unwrap();
        assert_eq!(o.contract, Contract::V1_9);
        let o = parse(&["c", "e"]).options().unwrap();
        assert_eq!(o.contract, Contract::LATEST);
    }

    #[test]
    fn talos_version_follows_talosctl_parsing() {
        let c = |v: &str| talos_version_contract(v).map_err(|e| e.to_string());
        assert_eq!(c("v1.9").unwrap(), Contract::V1_9);
        assert_eq!(c("1.9").unwrap(), Contract::V1_9);
        assert_eq!(c("v1.14.0-beta.1").unwrap(), Contract::V1_14);
        assert_eq!(c("v1.07").unwrap(), Contract::V1_7);
        // Releases without a contract are refused, naming the newest one.
        for newer in ["v1.16", "v2.0", "v1.99999999999999999999"] {
            let err = c(newer).unwrap_err();
            assert!(err.contains("newer") && err.contains("v1.15"), "{err}");
        }
        for older in ["v0.0", "v0.14"] {
            assert!(c(older).unwrap_err().contains("older"), "{older}");
        }
        // Malformed: the minor must end the string or be followed by a dot.
        assert_eq!(
            c("v1.7-alpha").unwrap_err(),
            "error parsing version \"v1.7-alpha\""
        );
        assert_eq!(c("foo").unwrap_err(), "error parsing version \"vfoo\"");
        assert!(c(" v1.7").is_err());
        assert!(c("vv1.7").is_err());
        assert!(c("v1").is_err());
        // An empty flag is no flag: the current contract.
        let o = parse(&["c", "e", "--talos-version="]).options().unwrap();
        assert_eq!(o.contract, Contract::LATEST);
    }

    #[test]
    fn bool_flags_read_values_like_go() {
        let a = parse(&["c", "e", "--with-kubespan=1", "--with-cluster-discovery=F"]);
        assert!(a.with_kubespan);
        assert!(!a.with_cluster_discovery);
        let a = parse(&["c", "e", "--with-kubespan=True", "--with-docs=t"]);
        assert!(a.with_kubespan && a.with_docs);
        let a = parse(&["c", "e", "-f", "--skip-k8s-etcd=0"]);
        assert!(a.force && !a.skip_k8s_etcd);
        let a = parse(&["c", "e", "-f=false", "--skip-k8s-etcd"]);
        assert!(!a.force && a.skip_k8s_etcd);
        let mut full = vec!["gen-config", "c", "e", "--with-kubespan=yes"];
        assert!(Wrap::try_parse_from(&full).is_err());
        full.pop();
        full.push("--with-kubespan=on");
        assert!(Wrap::try_parse_from(&full).is_err());
    }

    #[test]
    fn repeated_flags_keep_the_last_value_like_pflag() {
        let a = parse(&[
            "c",
            "e",
            "--talos-version",
            "v1.6",
            "--talos-version",
            "v1.7",
            "--with-kubespan",
            "--with-kubespan=false",
            "--install-disk",
            "/dev/vda",
            "--install-disk",
            "/dev/vdb",
        ]);
        assert_eq!(a.talos_version.as_deref(), Some("v1.7"));
        assert!(!a.with_kubespan);
        assert_eq!(a.install_disk, "/dev/vdb");
        // Slices and arrays still accumulate.
        let a = parse(&[
            "c",
            "e",
            "--config-patch",
            "@a",
            "--config-patch",
            "@b",
            "--registry-mirror",
            "a=https://m1",
            "--registry-mirror",
            "a=https://m2",
        ]);
        assert_eq!(a.config_patch, ["@a", "@b"]);
        assert_eq!(
            a.options().unwrap().registry_mirrors["a"],
            ["https://m1", "https://m2"]
        );
    }

    #[test]
    fn empty_slice_occurrences_add_nothing() {
        let a = parse(&[
            "c",
            "e",
            "--additional-sans",
            "",
            "--registry-mirror",
            "",
            "--additional-sans",
            "a,,b",
        ]);
        assert_eq!(a.additional_sans, ["a", "", "b"]);
        assert!(a.registry_mirrors.is_empty());
        a.options().unwrap();
        let mut a = parse(&["c", "e", "-t", ""]);
        assert_eq!(
            a.validate().unwrap_err().to_string(),
            "at least one output type must be specified"
        );
    }

    #[test]
    fn empty_output_is_the_current_directory() {
        let mut a = parse(&["c", "e", "-t", "worker", "-o", ""]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        let cwd = std::env::current_dir().unwrap().join("worker.yaml");
        assert_eq!(d.paths, [("worker", cwd.display().to_string())]);
        let mut a = parse(&["c", "e", "--output-dir", "", "-o", "out"]);
        a.validate().unwrap();
        // The stdout check looks at --output only, but --output-dir `-`
        // still ends up on stdout.
        let mut a = parse(&["c", "e", "--output-dir", "-"]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        assert!(d.paths.iter().all(|(_, p)| p == STDOUT), "{:?}", d.paths);
        assert!(parse(&["c", "e", "--with-secrets", ""])
            .with_secrets
            .is_none());
    }

    /// pflag reads each `StringSlice` occurrence with Go's `encoding/csv`
    /// (`spf13/pflag` `string_slice.go`, `readAsCSV`): quotes group commas,
    /// `""` is a quote, only the first record counts.
    #[test]
    fn slices_are_read_as_csv_records() {
        let a = parse(&[
            "c",
            "e",
            "--additional-sans",
            "\"a,b\",c",
            "--additional-sans",
            "\"say \"\"hi\"\"\"",
            "--additional-sans",
            "\n\nd,e\nf,g",
            "--additional-sans",
            " x ,\"y\r\nz\"",
        ]);
        assert_eq!(
            a.additional_sans,
            ["a,b", "c", "say \"hi\"", "d", "e", " x ", "y\nz"]
        );
        let mut full = vec!["gen-config", "c", "e", "--registry-mirror", "a=\"x"];
        let mut args = Wrap::try_parse_from(&full).unwrap().args;
        let err = args.normalize().unwrap_err().to_string();
        assert_eq!(
            err,
            r#"invalid argument "a=\"x" for "--registry-mirror" flag: parse error on line 1, column 3: bare " in non-quoted-field"#
        );
        full.truncate(3);
        full.extend(["-t", "\"worker\",\"controlplane\""]);
        let mut args = Wrap::try_parse_from(&full).unwrap().args;
        args.normalize().unwrap();
        assert_eq!(args.output_types, ["worker", "controlplane"]);
    }

    /// Go's `filepath.Clean`, which `filepath.Join` applies to directory
    /// outputs (`cmd/talosctl/cmd/mgmt/gen/config.go`, `outputPaths`).
    #[test]
    fn joined_paths_are_cleaned_like_go() {
        let mut a = parse(&["c", "e", "-t", "worker,init", "-o", "./d/"]);
        a.validate().unwrap();
        let d = a.destinations().unwrap();
        assert_eq!(
            d.paths,
            [
                ("init", "d/init.yaml".to_owned()),
                ("worker", "d/worker.yaml".to_owned())
            ]
        );
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
