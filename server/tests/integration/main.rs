//! Server integration tests: one binary, a real HTTP server on port 0 and a fresh database per test, on
//! SQLite and on PostgreSQL (`HEMICYCLE_TEST_PG_URL`, default the local server). PostgreSQL is required:
//! without it these tests fail with a message saying how to provide one.

mod amendments;
mod authorization;
mod congress;
mod export;
mod health;
mod identity;
mod injection;
mod live;
mod oidc;
mod pages;
mod render_load;
mod security;
mod startup;
mod store;
mod support;
mod verify_log;
mod vote_storm;
mod votes;
