//! Who may use the admin prefix (`/_sandbox/`: the admin endpoints and the inbox page).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Who may use the admin endpoints and the inbox page under `/_sandbox/`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminAccess {
    /// Every peer that can reach the port (the default; the sandbox listens on `127.0.0.1`
    /// unless told otherwise).
    #[default]
    All,
    /// Peers on a loopback address only (`127.0.0.0/8`, `::1`); others get `403`. For a sandbox
    /// bound to a shared interface whose message log should stay on the machine.
    Loopback,
    /// No admin prefix: `/_sandbox/...` is an unknown path like any other (`404`, logged).
    Off,
}

/// What the server does with a request under the admin prefix.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Answer it as an admin request.
    Serve,
    /// Refuse it with `403`.
    Refuse,
    /// Treat it as an ordinary (unknown) path.
    PassThrough,
}

impl AdminAccess {
    pub(crate) fn gate(self, peer: IpAddr) -> Gate {
        match self {
            AdminAccess::All => Gate::Serve,
            AdminAccess::Loopback if peer.to_canonical().is_loopback() => Gate::Serve,
            AdminAccess::Loopback => Gate::Refuse,
            AdminAccess::Off => Gate::PassThrough,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        assert_eq!(AdminAccess::All.gate(lan), Gate::Serve);
        assert_eq!(AdminAccess::Loopback.gate(lo), Gate::Serve);
        assert_eq!(AdminAccess::Loopback.gate(mapped), Gate::Serve);
        assert_eq!(
            AdminAccess::Loopback.gate("::1".parse().unwrap()),
            Gate::Serve
        );
        assert_eq!(AdminAccess::Loopback.gate(lan), Gate::Refuse);
        assert_eq!(AdminAccess::Off.gate(lo), Gate::PassThrough);
    }
}
