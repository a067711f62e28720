//! Server functions (thin: who asks → load → domain → store → publish), their DTOs and the one error type
//! that crosses the wire. Server-only code is reached through `crate::ssr` inside function bodies.

pub mod amendments;
pub mod ballots;
pub mod congress;
pub mod dto;
pub mod error;
pub mod members;
pub mod motions;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod views;

pub use amendments::*;
pub use ballots::*;
pub use congress::*;
pub use dto::*;
pub use error::ApiError;
pub use members::*;
pub use motions::*;
