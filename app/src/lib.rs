//! Hémicycle's application crate: pages and components (`ui`), server functions and DTOs (`api`),
//! translations (`i18n`), and, with the `ssr` feature only, the server-side adapters (`ssr`).
//! The pure rules live in the `domain` crate, re-exported here.

#![recursion_limit = "512"]

pub mod api;
pub mod i18n;
pub mod protocol;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;

pub use domain;
pub use ui::{App, shell};
