//! The generated config: an ordered list of documents, each already turned
//! into a Go-typed YAML tree, ready to encode the way Talos's config
//! container does (documents joined with `---`).

use serde::Serialize;
use talgen_config::types::{Document, WithMeta};
use talgen_yaml::Node;

use crate::error::Error;

/// One generated document.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedDocument {
    /// `kind:` of the document (`v1alpha1` for the legacy machine config).
    pub kind: &'static str,
    /// The document's name for named kinds.
    pub name: Option<String>,
    /// The document as Go would marshal it.
    pub node: Node,
}

/// A generated machine config: the legacy v1alpha1 document (when the
/// contract writes one) followed by the multi-document kinds, in Talos's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Documents {
    docs: Vec<GeneratedDocument>,
}

fn encode_error(kind: &str, e: talgen_yaml::Error) -> Error {
    Error::Encode {
        kind: kind.to_owned(),
        message: e.to_string(),
    }
}

impl Documents {
    /// Appends the legacy `version: v1alpha1` document.
    pub(crate) fn push_legacy(
        &mut self,
        config: &talgen_config::v1alpha1::Config,
    ) -> Result<(), Error> {
        let node = talgen_yaml::to_node(config).map_err(|e| encode_error("v1alpha1", e))?;
        self.docs.push(GeneratedDocument {
            kind: "v1alpha1",
            name: None,
            node,
        });
        Ok(())
    }

    /// Appends a multi-document kind, `apiVersion` and `kind` first.
    pub(crate) fn push<D: Document + Serialize>(&mut self, doc: &D) -> Result<(), Error> {
        let node = talgen_yaml::to_node(&WithMeta(doc)).map_err(|e| encode_error(D::KIND, e))?;
        self.docs.push(GeneratedDocument {
            kind: D::KIND,
            name: doc.name().map(str::to_owned),
            node,
        });
        Ok(())
    }

    /// The documents in order.
    pub fn documents(&self) -> &[GeneratedDocument] {
        &self.docs
    }

    /// Encodes the config exactly as Talos does with comments disabled.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(4096 * self.docs.len().max(1));
        for doc in &self.docs {
            if !out.is_empty() {
                out.push_str("---\n");
            }
            talgen_yaml::emit_into(&doc.node, &mut out);
        }
        out
    }
}
