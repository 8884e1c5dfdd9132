//! A whole cluster's configuration in one call (upstream
//! `pkg/machinery/config/bundle`, as `talosctl gen config` drives it): the
//! init, controlplane and worker configs generated from one [`Input`] and
//! patched in upstream order, with the talosconfig and admin kubeconfig
//! issued from the same secrets.

use talgen_client::{
    generate_kubeconfig, issue_admin_certificate, Kubeconfig, KubeconfigOptions, Talosconfig,
    TalosconfigOptions,
};
use talgen_config::Container;
use talgen_patch::Patch;

use crate::constants;
use crate::endpoint::{validate_cluster_endpoint, EndpointError};
use crate::error::Error;
use crate::input::{Input, MachineType};
use crate::options::Options;

/// Which patch group failed, in the words upstream's bundle uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchStage {
    /// Patches for every machine type (`--config-patch`).
    Common,
    /// Patches for init and controlplane (`--config-patch-control-plane`).
    ControlPlane,
    /// Patches for worker (`--config-patch-worker`).
    Worker,
}

impl std::fmt::Display for PatchStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Common => "error patching configs",
            Self::ControlPlane => "error patching control plane configs",
            Self::Worker => "error patching worker config",
        })
    }
}

/// Everything that can stop [`ConfigBundle::new`] or the credentials it issues.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The endpoint is not an `https://` URL with a host (talosctl's
    /// argument check, reported before anything is generated).
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// Generating the configs failed.
    #[error(transparent)]
    Generate(#[from] Error),
    /// A patch group did not apply.
    #[error("{stage}: {source}")]
    Patch {
        /// Which group of patches failed.
        stage: PatchStage,
        /// What the patcher reported.
        #[source]
        source: talgen_patch::PatchError,
    },
    /// A patched config cannot be encoded.
    #[error("{stage}: {source}")]
    Reload {
        /// Which group of patches produced it.
        stage: PatchStage,
        /// What the loader reported.
        #[source]
        source: talgen_config::Error,
    },
    /// The talosconfig or kubeconfig could not be issued.
    #[error("failed to issue {what}: {source}")]
    Credentials {
        /// `talosconfig` or `kubeconfig`.
        what: &'static str,
        /// What issuance reported.
        #[source]
        source: talgen_client::Error,
    },
}

/// Inputs of a [`ConfigBundle`] beyond the three required ones.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// Generation options; [`Options::talosctl`] holds `talosctl gen
    /// config`'s defaults.
    pub generate: Options,
    /// Patches for every machine type, applied first.
    pub patches: Vec<Patch>,
    /// Patches for init and controlplane, applied second.
    pub control_plane_patches: Vec<Patch>,
    /// Patches for worker, applied last.
    pub worker_patches: Vec<Patch>,
}

impl BundleOptions {
    /// `talosctl gen config`'s defaults and no patches.
    pub fn talosctl() -> Self {
        Self {
            generate: Options::talosctl(),
            ..Self::default()
        }
    }
}

impl Options {
    /// The options `talosctl gen config` passes when no flag is given:
    /// install disk `/dev/sda`, the default Image Factory installer of the
    /// release talgen follows, cluster discovery on. (talosctl also reads a
    /// `TAG` environment variable for the installer tag; a library does not,
    /// see [`constants::installer_image`].)
    pub fn talosctl() -> Self {
        Self {
            install_disk: constants::DEFAULT_INSTALL_DISK.to_owned(),
            install_image: constants::default_install_image(),
            discovery_enabled: Some(true),
            ..Self::default()
        }
    }
}

/// One machine config: the typed documents and their encoding, always in
/// agreement.
#[derive(Debug, Clone)]
pub struct MachineConfig {
    container: Container,
    encoded: String,
}

impl MachineConfig {
    /// Encodes `container` once and keeps both.
    fn new(container: Container) -> Result<Self, talgen_config::Error> {
        let encoded = container.encode()?;
        Ok(Self { container, encoded })
    }

    /// The typed documents.
    pub fn container(&self) -> &Container {
        &self.container
    }

    /// The config as Talos writes it (comments disabled).
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// The encoded config as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.encoded.as_bytes()
    }

    /// The typed documents and the encoding, taken apart.
    pub fn into_parts(self) -> (Container, String) {
        (self.container, self.encoded)
    }
}

/// The configs of one cluster, generated and patched as `talosctl gen
/// config` does (upstream `bundle.NewBundle`).
#[derive(Debug, Clone)]
pub struct ConfigBundle {
    input: Input,
    init: MachineConfig,
    control_plane: MachineConfig,
    worker: MachineConfig,
}

impl ConfigBundle {
    /// Generates cluster `cluster_name`, reached at `endpoint` (an
    /// `https://` URL, e.g. `https://10.0.0.1:6443`), running
    /// `kubernetes_version` (one leading `v` is dropped, as talosctl does).
    ///
    /// All three machine types are generated and patched whatever the caller
    /// uses, so a patch that fails on any of them fails the bundle: first
    /// the common patches on init, controlplane and worker, then the
    /// control-plane patches on init and controlplane, then the worker
    /// patches on worker. Each patched config is loaded again through the
    /// typed model, as upstream reloads it.
    ///
    /// # Errors
    /// [`BundleError::Endpoint`] for an endpoint talosctl refuses,
    /// [`BundleError::Generate`] when generation fails (e.g. no Kubernetes
    /// version), [`BundleError::Patch`] / [`BundleError::Reload`] when a
    /// patch group does not apply.
    pub fn new(
        cluster_name: &str,
        endpoint: &str,
        kubernetes_version: &str,
        options: BundleOptions,
    ) -> Result<Self, BundleError> {
        validate_cluster_endpoint(endpoint)?;
        let kubernetes_version = kubernetes_version
            .strip_prefix('v')
            .unwrap_or(kubernetes_version);
        let BundleOptions {
            generate,
            patches,
            control_plane_patches,
            worker_patches,
        } = options;
        let input = Input::new(cluster_name, endpoint, kubernetes_version, generate)?;
        Self::from_input(input, &patches, &control_plane_patches, &worker_patches)
    }

    /// Generates and patches the three configs of an already prepared
    /// [`Input`] (no endpoint or version checks: `Input` takes them as
    /// given, as upstream's `generate.NewInput` does).
    ///
    /// # Errors
    /// As [`ConfigBundle::new`], without the input checks.
    pub fn from_input(
        input: Input,
        patches: &[Patch],
        control_plane_patches: &[Patch],
        worker_patches: &[Patch],
    ) -> Result<Self, BundleError> {
        let generate = |t| -> Result<MachineConfig, BundleError> {
            let container = input.config(t)?;
            MachineConfig::new(container).map_err(|e| BundleError::Generate(Error::Container(e)))
        };
        let mut init = generate(MachineType::Init)?;
        let mut control_plane = generate(MachineType::ControlPlane)?;
        let mut worker = generate(MachineType::Worker)?;
        patch_all(
            [&mut init, &mut control_plane, &mut worker],
            patches,
            PatchStage::Common,
        )?;
        patch_all(
            [&mut init, &mut control_plane],
            control_plane_patches,
            PatchStage::ControlPlane,
        )?;
        patch_all([&mut worker], worker_patches, PatchStage::Worker)?;
        Ok(Self {
            input,
            init,
            control_plane,
            worker,
        })
    }

    /// The resolved generation input (options, secrets bundle, endpoint).
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// The secrets bundle every config embeds.
    pub fn secrets(&self) -> &talgen_secrets::Bundle {
        self.input.bundle()
    }

    /// The config for machine type `t`.
    pub fn config(&self, t: MachineType) -> &MachineConfig {
        match t {
            MachineType::Init => &self.init,
            MachineType::ControlPlane => &self.control_plane,
            MachineType::Worker => &self.worker,
        }
    }

    /// The legacy bootstrap (init) config.
    pub fn init(&self) -> &MachineConfig {
        &self.init
    }

    /// The controlplane config.
    pub fn control_plane(&self) -> &MachineConfig {
        &self.control_plane
    }

    /// The worker config.
    pub fn worker(&self) -> &MachineConfig {
        &self.worker
    }

    /// The talosconfig `talosctl gen config` writes: one context named
    /// after the cluster (even an empty name), no endpoints, a fresh admin
    /// client certificate from the bundle's OS CA (upstream
    /// `Input.Talosconfig`). Issued on each call, so only callers that
    /// need it pay for it.
    ///
    /// # Errors
    /// [`BundleError::Credentials`] when the OS CA cannot issue.
    pub fn talosconfig(&self) -> Result<Talosconfig, BundleError> {
        self.talosconfig_with(&TalosconfigOptions::default())
    }

    /// [`ConfigBundle::talosconfig`] with endpoints, nodes, roles and
    /// lifetime of the caller's choosing.
    ///
    /// # Errors
    /// [`BundleError::Credentials`] when the OS CA cannot issue.
    pub fn talosconfig_with(
        &self,
        options: &TalosconfigOptions,
    ) -> Result<Talosconfig, BundleError> {
        let credentials = |source| BundleError::Credentials {
            what: "talosconfig",
            source,
        };
        let bundle = self.input.bundle();
        let issued = issue_admin_certificate(bundle, &options.roles, options.crt_ttl)
            .map_err(credentials)?;
        let name = self.input.cluster_name();
        let mut config = Talosconfig::new(
            name,
            options.endpoints.clone(),
            &bundle.certs.os.crt,
            &issued.cert_pem,
            &issued.key_pem,
        );
        if let Some(ctx) = config.contexts.get_mut(name) {
            ctx.nodes = options.nodes.clone();
        }
        Ok(config)
    }

    /// An admin kubeconfig for the cluster at its endpoint, issued from
    /// the bundle's Kubernetes CA (what Talos hands out on a control-plane
    /// node).
    ///
    /// # Errors
    /// [`BundleError::Credentials`] when the Kubernetes CA cannot issue.
    pub fn kubeconfig(&self, options: &KubeconfigOptions) -> Result<Kubeconfig, BundleError> {
        generate_kubeconfig(
            self.input.cluster_name(),
            self.input.endpoint(),
            self.input.bundle(),
            options,
        )
        .map_err(|source| BundleError::Credentials {
            what: "kubeconfig",
            source,
        })
    }
}

/// Applies one patch group to each config in turn on its typed documents
/// (the result is what upstream reloads after patching); no patches leave
/// the configs untouched.
fn patch_all<const N: usize>(
    configs: [&mut MachineConfig; N],
    patches: &[Patch],
    stage: PatchStage,
) -> Result<(), BundleError> {
    if patches.is_empty() {
        return Ok(());
    }
    for config in configs {
        let container = talgen_patch::apply_to_container(&config.container, patches)
            .map_err(|source| BundleError::Patch { stage, source })?;
        *config = MachineConfig::new(container)
            .map_err(|source| BundleError::Reload { stage, source })?;
    }
    Ok(())
}
