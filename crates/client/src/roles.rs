//! Talos API roles: the names a client certificate's organizations carry
//! (ports `pkg/machinery/role`).

use std::collections::BTreeSet;

use crate::Error;

/// Full access to every API.
pub const ADMIN: &str = "os:admin";

/// Every role Talos can grant to a client, as of the machinery this crate
/// follows.
pub const ALL_ROLES: [&str; 7] = [
    ADMIN,
    "os:operator",
    "os:reader",
    "os:etcd:backup",
    "os:image:verifier",
    "os:meta:writer",
    "os:impersonator",
];

/// A validated, de-duplicated set of role names, kept in byte order (the
/// order Talos lists them in a certificate's organizations).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Roles(BTreeSet<String>);

impl Default for Roles {
    /// The default grant of `talosctl gen config`: `os:admin` alone.
    fn default() -> Self {
        Self(BTreeSet::from([ADMIN.to_string()]))
    }
}

impl Roles {
    /// Parses role names as Talos does: surrounding blanks are trimmed,
    /// empty names skipped and duplicates merged; any name outside
    /// [`ALL_ROLES`] is an error listing all of them.
    ///
    /// # Errors
    /// [`Error::UnknownRoles`].
    pub fn parse<I, S>(names: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = BTreeSet::new();
        let mut unknown = Vec::new();
        for name in names {
            let name = name.as_ref().trim();
            if name.is_empty() {
                continue;
            }
            if !ALL_ROLES.contains(&name) {
                unknown.push(name.to_string());
            }
            set.insert(name.to_string());
        }
        if unknown.is_empty() {
            Ok(Self(set))
        } else {
            Err(Error::UnknownRoles { roles: unknown })
        }
    }

    /// The role names in byte order.
    pub fn as_strings(&self) -> Vec<String> {
        self.0.iter().cloned().collect()
    }

    /// Whether no role is granted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn default_is_admin() {
        assert_eq!(Roles::default().as_strings(), vec!["os:admin"]);
    }

    #[test]
    fn parse_trims_sorts_and_dedupes() {
        let r = Roles::parse([" os:reader", "", "os:admin", "os:reader "]).unwrap();
        assert_eq!(r.as_strings(), vec!["os:admin", "os:reader"]);
    }

    #[test]
    fn unknown_roles_are_all_listed() {
        let err = Roles::parse(["os:admin", "root", "os:writer"]).unwrap_err();
        assert_eq!(
            err,
            Error::UnknownRoles {
                roles: vec!["root".into(), "os:writer".into()]
            }
        );
        assert_eq!(err.to_string(), "unknown roles: root, os:writer");
    }

    #[test]
    fn every_known_role_parses() {
        assert_eq!(Roles::parse(ALL_ROLES).unwrap().as_strings().len(), 7);
    }
}
