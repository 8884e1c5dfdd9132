//! The documents of one generated config, collected in Talos's order and
//! handed to the typed config container.

use talgen_config::{Container, Document};

use crate::error::Error;

/// Documents in generation order; the v1alpha1 one is pushed first.
#[derive(Debug, Default)]
pub(crate) struct DocList(Vec<Document>);

impl DocList {
    /// Appends a document.
    pub(crate) fn push(&mut self, doc: impl Into<Document>) {
        self.0.push(doc.into());
    }

    /// The container upstream's `container.New` would build from them.
    pub(crate) fn into_container(self) -> Result<Container, Error> {
        Container::new(self.0).map_err(Error::Container)
    }
}
