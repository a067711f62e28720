//! The `hemicycle` server: command line and configuration, start-up, the HTTP routes that are not server
//! functions (health, language switch, the live websocket), tools (`issue-tokens`), security headers and
//! telemetry. Rules live in `domain`, adapters in `app::ssr`; this crate only wires them.

pub mod cli;
pub mod metrics;
pub mod middleware;
pub mod refusal;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod tokens;
pub mod verify_dossier;
pub mod verify_log;

pub use startup::{build_router, leptos_options};
