//! Putting a config together for one machine type: the v1alpha1 document
//! completed with registries and network, then the multi-document kinds and
//! the Kubernetes documents (upstream `Input.Config`).

use talgen_config::Container;
use talgen_gourl::GoUrl;

use crate::documents::DocList;
use crate::error::Error;
use crate::input::{Input, MachineType};

impl Input {
    /// The custom CNI URL as control planes write it (parsed and re-printed
    /// the Go way), or `None` when no custom CNI is set.
    fn control_plane_cni_url(&self) -> Result<Option<String>, Error> {
        let raw = &self.options.cni_custom_url;
        if raw.is_empty() {
            return Ok(None);
        }
        let u = GoUrl::parse(raw).map_err(|source| Error::InvalidCniUrl {
            url: raw.clone(),
            source,
        })?;
        Ok(Some(u.to_string()))
    }

    /// The documents of the config for machine type `t`, in order.
    fn documents(&self, t: MachineType) -> Result<DocList, Error> {
        let control_plane = t != MachineType::Worker;
        let cni_url = if control_plane {
            self.control_plane_cni_url()?
        } else {
            None
        };
        let mut legacy = self.legacy_document(t, cni_url.clone());
        if let Some(machine) = legacy.machine.as_mut() {
            self.apply_legacy_registries(machine);
            self.apply_legacy_network(t, machine)?;
        }
        let mut docs = DocList::new();
        docs.push(legacy);
        self.push_documents(&mut docs)?;
        self.push_kubernetes_common(&mut docs, control_plane)?;
        if control_plane {
            self.push_kubernetes_control_plane(&mut docs, cni_url.as_deref());
        }
        Ok(docs)
    }

    /// Generates the config for machine type `t` as a typed container.
    pub fn config(&self, t: MachineType) -> Result<Container, Error> {
        self.documents(t)?.into_container()
    }

    /// Generates and encodes the config for `t` exactly as Talos writes it
    /// with comments disabled (the same text as encoding [`Input::config`]).
    pub fn render(&self, t: MachineType) -> Result<String, Error> {
        self.documents(t)?.encode()
    }
}
