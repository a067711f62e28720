//! The configuration, read once at start-up by the binary and shared through `AppState`.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    #[default]
    Human,
    /// One JSON object per line, for a log collector.
    Json,
}

/// Everything an operator can set. See `.env.example` and `docs/operations.md`.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default `sqlite://data/hemicycle.db?mode=rwc`) or `postgres://…`.
    pub database_url: String,
    /// Where the HTTP server listens.
    pub site_addr: SocketAddr,
    /// Where cargo-leptos put the compiled assets (`target/site`).
    pub site_root: String,
    /// The public URL people use (for links and, later, origin checks), without a trailing slash.
    /// `None`: `http://{site_addr}`.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    /// Seed the demo congress at start-up.
    pub demo: bool,
    /// Addresses whose many sign-ins are expected (the venue's NAT): the per-address sign-in throttle does
    /// not apply to them (per account it still does). `HEMICYCLE_TRUSTED_ADDRESSES`.
    pub trusted_addresses: Vec<IpNet>,
    /// Where `/metrics` (Prometheus) is served; `None`: not at all. `HEMICYCLE_METRICS_ADDR`.
    pub metrics_addr: Option<SocketAddr>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind them, the client's address is the last
    /// one they add. `HEMICYCLE_TRUSTED_PROXIES`; empty: the socket's address is the client's.
    pub trusted_proxies: Vec<IpNet>,
}

/// The default SQLite database, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hemicycle.db?mode=rwc";

impl Config {
    /// The URL people use to reach this server.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.site_addr))
    }

    /// A configuration for `database_url` and `site_addr` with every other setting at its default.
    pub fn new(database_url: String, site_addr: SocketAddr) -> Self {
        Config {
            database_url,
            site_addr,
            site_root: "target/site".to_owned(),
            public_url: None,
            log_format: LogFormat::Human,
            demo: false,
            trusted_addresses: Vec::new(),
            trusted_proxies: Vec::new(),
            metrics_addr: None,
        }
    }

    /// Whether the per-address sign-in throttle spares `address`.
    pub fn is_trusted_address(&self, address: IpAddr) -> bool {
        self.trusted_addresses
            .iter()
            .any(|net| net.contains(&address))
    }

    /// The client's address: the socket's, or — when the socket is a trusted proxy — the right-most address of
    /// `X-Forwarded-For` that is not a trusted proxy itself (the left part can be forged by the client).
    pub fn client_address(
        &self,
        peer: Option<IpAddr>,
        forwarded_for: Option<&str>,
    ) -> Option<IpAddr> {
        let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|net| net.contains(ip));
        let peer = peer?;
        if !trusted(&peer) {
            return Some(peer);
        }
        let Some(chain) = forwarded_for else {
            return Some(peer);
        };
        chain
            .rsplit(',')
            .map_while(|hop| hop.trim().parse::<IpAddr>().ok())
            .find(|ip| !trusted(ip))
            .or(Some(peer))
    }
}

/// Parses a list of addresses and networks (`192.0.2.10, 10.0.0.0/8, 2001:db8::/32`).
///
/// # Errors
/// The first entry that is neither an address nor a network.
pub fn parse_networks(list: &str) -> Result<Vec<IpNet>, String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| entry.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_networks_are_read_and_a_bad_entry_is_named() {
        let nets = parse_networks("192.0.2.10, 10.0.0.0/8 2001:db8::/32").expect("valid");
        assert_eq!(nets.len(), 3);
        assert_eq!(parse_networks("10.0.0.1, salle"), Err("salle".to_owned()));
        assert_eq!(parse_networks(""), Ok(Vec::new()));
    }

    #[test]
    fn the_client_address_is_believed_from_trusted_proxies_only() {
        let mut config = Config::new(String::new(), "127.0.0.1:3000".parse().expect("addr"));
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        assert_eq!(
            config.client_address(ip("203.0.113.5"), Some("1.2.3.4")),
            ip("203.0.113.5"),
            "a client cannot claim another address"
        );
        config.trusted_proxies = parse_networks("127.0.0.1").expect("valid");
        assert_eq!(
            config.client_address(ip("127.0.0.1"), Some("6.6.6.6, 198.51.100.7")),
            ip("198.51.100.7"),
            "the address the proxy saw, not what the client wrote before it"
        );
        assert_eq!(
            config.client_address(ip("127.0.0.1"), None),
            ip("127.0.0.1")
        );
        config.trusted_addresses = parse_networks("198.51.100.0/24").expect("valid");
        assert!(config.is_trusted_address("198.51.100.7".parse().expect("ip")));
        assert!(!config.is_trusted_address("198.51.101.7".parse().expect("ip")));
    }
}
