//! Hémicycle's domain: the pure rules shared by the server and the browser.
//!
//! This crate is **pure**: no IO (files, network, database), no clock and no random source — callers
//! pass time and ids in — and no async runtime or web framework. It compiles to
//! `wasm32-unknown-unknown`, so the browser previews diffs, merges and line numbers with the very
//! code the server uses.
//!
//! - [`text`]: paragraph normalization and word-level tokens;
//! - [`typography`]: French typography for what people read (apostrophes, no-break spaces);
//! - [`lines`]: line numbers derived from the text at a fixed width;
//! - [`draft`]: reading an imported draft (Markdown or plain text) into sections and paragraphs;
//! - [`diff`]: word diffs between two versions of a paragraph;
//! - [`merge`]: three-way merge to rebase an amendment onto the current text;
//! - [`calendar`]: dates for people, in French and English;
//! - [`motion`]: the motion's phases;
//! - [`log`]: canonical JSON and the hash chain of the append-only event log;
//! - [`ids`]: typed ids (members, motions, sections, paragraphs, amendments, ballots) and version
//!   numbers;
//! - [`invitation`]: what using an invitation link may do (never take over an account);
//! - [`member`]: roles, registration statuses and the [`member::Actor`] who asks;
//! - [`policy`]: the one authorization policy, `can(actor, action, phase)`, as data;
//! - [`refusal`]: why a command is refused, with translation keys;
//! - [`paragraph`]: paragraphs, sections, versions and their provenance;
//! - [`amendment`]: amendment targets, statuses, fall reasons and rebases;
//! - [`listing`]: which amendments a list shows (filters) and its pages;
//! - [`ballot`]: choices, tallies, the rules of procedure as data, results and proxies;
//! - [`vote`]: who may cast a vote, for whom, and what it does to the standing one;
//! - [`edition`]: the edition's own log: its rules of procedure and its proxies;
//! - [`event`]: the events of the motion's log;
//! - [`motion_state`]: the motion folded from its log (the reducer);
//! - [`document`]: the motion as a document to hand over (`MotionDocument`), for every export;
//! - [`command`]: the commands, which check the policy and the rules and return events or a
//!   refusal.

pub mod amendment;
pub mod ballot;
pub mod calendar;
pub mod command;
pub mod congress;
pub mod diff;
pub mod document;
pub mod draft;
pub mod edition;
pub mod event;
pub mod ids;
pub mod invitation;
pub mod lines;
pub mod listing;
pub mod log;
pub mod member;
pub mod merge;
pub mod motion;
pub mod motion_state;
pub mod paragraph;
pub mod policy;
pub mod refusal;
pub mod registration;
pub mod text;
pub mod typography;
pub mod vote;
