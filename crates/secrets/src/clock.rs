//! Where generation gets "now" from.

use std::time::SystemTime;

/// The time source for CA validity and issued certificates, as Talos's
/// `secrets.Clock`: the system clock, or one fixed instant (what
/// `talosctl gen secrets` uses so all CAs share one NotBefore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock, read on every call.
    #[default]
    System,
    /// Always this instant.
    Fixed(SystemTime),
}

impl Clock {
    /// A clock fixed at the current time.
    pub fn fixed_now() -> Self {
        Self::Fixed(SystemTime::now())
    }

    /// The current time of this clock.
    pub fn now(&self) -> SystemTime {
        match self {
            Self::System => SystemTime::now(),
            Self::Fixed(t) => *t,
        }
    }
}
