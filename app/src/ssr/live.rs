//! The realtime side of a motion: a hub of rooms (one per motion followed by someone), fed only by committed
//! events read back from the log, and, on PostgreSQL, the `NOTIFY`/`LISTEN` link between server instances.
//!
//! The flow of every change: `store::commands::execute` commits, then tells the hub "motion M reached seq S"
//! ([`Hub::committed`]); the motion's room reads the events after the last seq it published from the log, once,
//! and broadcasts them. Other instances' commits arrive as the same signal through PostgreSQL, so there is one
//! path and no gap. The websocket loop (server crate) replays from the database, then follows a room.
//!
//! Depends on the store and the domain's vocabulary; knows nothing of HTTP.

mod cluster;
mod hub;

pub use hub::{Control, EndReason, Frame, Hub, Limits, Listener, Received, Subscription};
