//! The configuration, read once at start-up by the binary and shared through `AppState`.

use std::net::SocketAddr;

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
}
