//! The YAML dialect of `gopkg.in/yaml.v2` (v2.4.0): what its `Marshal`
//! writes for generic Go values (`map[interface{}]interface{}`, slices,
//! strings, numbers, booleans, `nil`).
//!
//! This is the dialect of every "JSON to YAML" conversion in the Go
//! ecosystem: `ghodss/yaml.JSONToYAML` (the YAML a Talos JSON patch leaves
//! behind) and `sigs.k8s.io/yaml.JSONToYAML`, whose `goyaml.v2` fork is
//! v2.4.0, which is how client-go's `clientcmd.Write` writes a kubeconfig.
//! Both read JSON into generic values, so mappings reach the emitter
//! unordered and v2 sorts their keys.
//!
//! The rules, each pinned by a test in `tests/yaml/v2_rules.rs`:
//!
//! - indentation by 2; a sequence that is a mapping value is not indented
//!   under its key (`key:\n- item`), nested collections in a sequence item
//!   start on the item's line (`- a: 1\n  b: 2`);
//! - mapping keys are sorted in v2's "natural" order (digit runs compare
//!   as numbers, letters sort after other characters), whatever the order
//!   of the [`Node::Mapping`] pairs;
//! - empty collections are `{}` and `[]`;
//! - a string is plain unless its plain form would read back as something
//!   else under v2's YAML 1.1 resolver (`yes`, `off`, `y`, `1_000`, `0x1F`,
//!   `1:20`, dates, `null`, `~`, `""`): then it is double-quoted; a string
//!   that cannot be plain for syntax reasons (leading or trailing space, an
//!   indicator such as `- `, `: `, ` #`, `*` first) is single-quoted, or
//!   double-quoted when single quotes cannot hold it;
//! - a string with a line break is a literal block (`|`, `|-` or `|+` by its
//!   trailing breaks, `|2` when it starts with a space or a break), unless
//!   it is a key or holds characters a block cannot (then double quotes);
//! - plain and quoted scalars are folded at a space once the line passes
//!   80 columns;
//! - characters outside the Basic Multilingual Plane, control characters
//!   and tabs are escaped inside double quotes (`\U0001F600`, `\t`);
//! - a key longer than 128 bytes or spanning lines is written `? key`;
//! - the document never ends with `...`.
//!
//! [`Node`] scalars map to Go values as elsewhere in this crate:
//! [`Node::Int`] and [`Node::Uint`] print in decimal, [`Node::Float`] like
//! Go's `%g` ([`crate::format_float`]), [`Node::Plain`] is written as its
//! text (plain unless the text cannot be plain). Keys may be any scalar;
//! a collection used as a key (which no Go map can hold) is written the way
//! v2's emitter writes a complex key.
//!
//! ```
//! use talgen_yaml::Node;
//!
//! let doc = Node::mapping([
//!     ("names", Node::sequence(["a", "yes"])),
//!     ("empty", Node::mapping::<&str, Node>([])),
//!     ("count", Node::Int(3)),
//! ]);
//! assert_eq!(
//!     talgen_yaml::v2::marshal(&doc),
//!     "count: 3\nempty: {}\nnames:\n- a\n- \"yes\"\n"
//! );
//! ```

mod emit;
mod resolve;

use crate::node::Node;

/// Writes `doc` as yaml.v2's `Marshal` writes the generic Go value it
/// stands for (mapping keys sorted). The text ends with a line break.
pub fn marshal(doc: &Node) -> String {
    emit::marshal(doc)
}
