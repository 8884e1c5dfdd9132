//! The documents of one generated config, collected in Talos's order and
//! handed to the typed config container.

use talgen_config::{Container, Document};

use crate::error::Error;

/// Documents in generation order; the v1alpha1 one is pushed first.
#[derive(Debug)]
pub(crate) struct DocList(Vec<Document>);

impl DocList {
    /// An empty list with room for the most documents any contract writes
    /// for one machine (about 30 for a v1.15 control plane), so pushing
    /// never moves the documents already collected.
    pub(crate) fn new() -> Self {
        Self(Vec::with_capacity(32))
    }

    /// Appends a document.
    pub(crate) fn push(&mut self, doc: impl Into<Document>) {
        self.0.push(doc.into());
    }

    /// The container upstream's `container.New` would build from them.
    pub(crate) fn into_container(self) -> Result<Container, Error> {
        Container::new(self.0).map_err(Error::Container)
    }

    /// Encodes the documents as Talos writes them, through the container
    /// (so its checks run and its errors are reported unchanged).
    pub(crate) fn encode(self) -> Result<String, Error> {
        self.into_container()?.encode().map_err(Error::Container)
    }
}
