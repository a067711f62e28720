//! The command line and environment, turned into one validated `Config`.

use std::{net::SocketAddr, path::PathBuf};

use app::ssr::{
    config::{Config, DEFAULT_DATABASE_URL, LogFormat, parse_networks},
    origin::OriginPolicy,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use domain::member::{Attendance, Role};

/// Hémicycle: co-write and vote the motion of the congress, live.
#[derive(Debug, Parser)]
#[command(name = "hemicycle", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Seed the demo congress (idempotent) and print how to reach it.
    // `HEMICYCLE_DEMO=1` (as `make run` sets it) must work: clap's default for a flag accepts only true/false.
    #[arg(long, env = "HEMICYCLE_DEMO", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,

    /// SQLite file (`sqlite://data/hemicycle.db?mode=rwc`) or PostgreSQL URL (`postgres://user@host/db`).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: String,

    /// Folder of the compiled assets (wasm, JS, CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// The URL people use to reach this server (default: `http://` + the listen address).
    #[arg(long, env = "HEMICYCLE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Addresses or networks whose many sign-ins are expected (the venue's NAT), comma-separated: the
    /// per-address sign-in throttle spares them.
    #[arg(long, env = "HEMICYCLE_TRUSTED_ADDRESSES", default_value = "")]
    pub trusted_addresses: String,

    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For` gives the client's
    /// address.
    #[arg(long, env = "HEMICYCLE_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    /// Serve Prometheus metrics at `/metrics` on this address (e.g. `127.0.0.1:9100`); empty: off.
    #[arg(long, env = "HEMICYCLE_METRICS_ADDR", default_value = "")]
    pub metrics_addr: String,

    /// Log format: `human` lines or `json` objects.
    #[arg(long, env = "HEMICYCLE_LOG_FORMAT", value_enum, default_value_t = LogFormatArg::Human)]
    pub log_format: LogFormatArg,
}

/// Tools run instead of the server.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Recompute every motion's hash chain and report the first broken link (exit code 1 if any).
    VerifyLog,
    /// Issue bearer tokens for tools (load generator, displays): one real session per token, stored hashed.
    IssueTokens(IssueTokensArgs),
    /// Check a hand-over dossier (ZIP): every file against its manifest and, with `--with-database`, against
    /// the motion's log (exit code 1 if anything differs).
    VerifyDossier(VerifyDossierArgs),
}

/// `hemicycle verify-dossier dossier.zip --with-database`.
#[derive(Debug, Args)]
pub struct VerifyDossierArgs {
    /// The dossier downloaded from Hémicycle.
    pub file: PathBuf,
    /// Also check it against the log in the database (`DATABASE_URL`).
    #[arg(long)]
    pub with_database: bool,
}

/// `hemicycle issue-tokens --motion 1 --count 100 --out tokens.txt`.
#[derive(Debug, Args)]
pub struct IssueTokensArgs {
    /// The motion the tools will follow (it must exist).
    #[arg(long)]
    pub motion: i32,
    /// How many tokens.
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Where to write them, one per line (mode 600).
    #[arg(long)]
    pub out: PathBuf,
    /// Whose sessions: verified members of the current edition with this role.
    #[arg(long, value_enum, default_value_t = RoleArg::Delegate)]
    pub role: RoleArg,
    /// Where the sessions take part from (presence figures).
    #[arg(long, value_enum, default_value_t = AttendanceArg::Remote)]
    pub attendance: AttendanceArg,
    /// Create that many test members first (`charge-00001@charge.invalid`…), one per token.
    #[arg(long)]
    pub create_members: bool,
}

/// `--role` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Delegate,
    Observer,
    Chair,
    Organizer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Delegate => Role::Delegate,
            RoleArg::Observer => Role::Observer,
            RoleArg::Chair => Role::Chair,
            RoleArg::Organizer => Role::Organizer,
        }
    }
}

/// `--attendance` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AttendanceArg {
    Hall,
    Remote,
}

impl From<AttendanceArg> for Attendance {
    fn from(attendance: AttendanceArg) -> Self {
        match attendance {
            AttendanceArg::Hall => Attendance::InHall,
            AttendanceArg::Remote => Attendance::Remote,
        }
    }
}

/// `--log-format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    Human,
    Json,
}

impl Cli {
    /// Checks every value and builds the configuration.
    ///
    /// # Errors
    /// A sentence in French and English naming the variable that is wrong and what is expected.
    pub fn into_config(self) -> Result<Config, String> {
        let site_addr: SocketAddr = self.site_addr.trim().parse().map_err(|_| {
            format!(
                "LEPTOS_SITE_ADDR « {} » n’est pas une adresse IP:port valide (ex. 127.0.0.1:3000) / \
                 is not a valid IP:port address (e.g. 127.0.0.1:3000)",
                self.site_addr
            )
        })?;
        let database_url = self.database_url.trim().to_owned();
        if database_url.is_empty() {
            return Err("DATABASE_URL est vide / DATABASE_URL is empty".to_owned());
        }
        let public_url = match self.public_url.filter(|url| !url.trim().is_empty()) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Some(url.trim_end_matches('/').to_owned())
            }
            Some(url) => {
                return Err(format!(
                    "HEMICYCLE_PUBLIC_URL « {url} » doit commencer par http:// ou https:// / must start with \
                     http:// or https://"
                ));
            }
            None => None,
        };
        let networks = |variable: &str, list: &str| {
            parse_networks(list).map_err(|entry| {
                format!(
                    "{variable} : « {entry} » n’est ni une adresse IP ni un réseau (ex. 192.0.2.10, 10.0.0.0/8) / \
                     is neither an IP address nor a network (e.g. 192.0.2.10, 10.0.0.0/8)"
                )
            })
        };
        let metrics_addr = match self.metrics_addr.trim() {
            "" => None,
            addr => Some(addr.parse::<SocketAddr>().map_err(|_| {
                format!(
                    "HEMICYCLE_METRICS_ADDR « {addr} » n’est pas une adresse IP:port valide (ex. 127.0.0.1:9100) / \
                     is not a valid IP:port address (e.g. 127.0.0.1:9100)"
                )
            })?),
        };
        let config = Config {
            metrics_addr,
            database_url,
            site_addr,
            site_root: self.site_root,
            public_url,
            log_format: match self.log_format {
                LogFormatArg::Human => LogFormat::Human,
                LogFormatArg::Json => LogFormat::Json,
            },
            demo: self.demo,
            trusted_addresses: networks("HEMICYCLE_TRUSTED_ADDRESSES", &self.trusted_addresses)?,
            trusted_proxies: networks("HEMICYCLE_TRUSTED_PROXIES", &self.trusted_proxies)?,
        };
        OriginPolicy::new(&config.public_url()).map_err(|err| {
            format!(
                "HEMICYCLE_PUBLIC_URL « {} » n’est pas une adresse valide / is not a valid URL: {err}",
                config.public_url()
            )
        })?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("hemicycle").chain(args.iter().copied()))
            .expect("arguments parse")
    }

    #[test]
    fn a_bad_listen_address_is_refused_with_the_variable_named() {
        let error = cli(&["--site-addr", "localhost"])
            .into_config()
            .expect_err("refused");
        assert!(error.contains("LEPTOS_SITE_ADDR"), "{error}");
    }

    #[test]
    fn the_public_url_defaults_to_the_listen_address_and_must_be_http() {
        let config = cli(&["--site-addr", "127.0.0.1:4000"])
            .into_config()
            .expect("valid");
        assert_eq!(config.public_url(), "http://127.0.0.1:4000");
        let error = cli(&["--public-url", "congres.example"])
            .into_config()
            .expect_err("refused");
        assert!(error.contains("HEMICYCLE_PUBLIC_URL"), "{error}");
    }

    #[test]
    fn trusted_addresses_are_networks_and_a_bad_one_is_named() {
        let config = cli(&["--trusted-addresses", "192.0.2.10, 10.0.0.0/8"])
            .into_config()
            .expect("valid");
        assert_eq!(config.trusted_addresses.len(), 2);
        let error = cli(&["--trusted-proxies", "le-proxy"])
            .into_config()
            .expect_err("refused");
        assert!(error.contains("HEMICYCLE_TRUSTED_PROXIES"), "{error}");
        assert!(error.contains("le-proxy"), "{error}");
    }

    #[test]
    fn the_demo_flag_still_needs_no_value() {
        // The value parser (for `HEMICYCLE_DEMO=1`) must not turn the flag into an option.
        assert!(cli(&["--demo"]).demo);
        assert!(Cli::try_parse_from(["hemicycle", "--demo", "1"]).is_err());
    }

    #[test]
    fn issue_tokens_takes_a_motion_a_count_and_a_file() {
        let parsed = cli(&[
            "issue-tokens",
            "--motion",
            "1",
            "--count",
            "5",
            "--out",
            "t.txt",
            "--attendance",
            "hall",
        ]);
        match parsed.command {
            Some(Command::IssueTokens(args)) => {
                assert_eq!((args.motion, args.count), (1, 5));
                assert_eq!(Role::from(args.role), Role::Delegate);
                assert_eq!(Attendance::from(args.attendance), Attendance::InHall);
                assert!(!args.create_members);
            }
            other => panic!("issue-tokens expected, got {other:?}"),
        }
    }
}
