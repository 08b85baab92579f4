//! The server's integration tests, in one test binary (`cargo test -p server --test integration`;
//! one module per area, `cargo test -p server --test integration reception::` runs one).
//!
//! One binary instead of one per file: each links the whole application (about 550 MB in a
//! debug build), so twenty-one of them filled the CI machine's disk. The tests run in
//! parallel as before (the harness's threads, one per core). Each module keeps its own
//! `#![allow(...)]` for the lints tests may break.

mod common;

mod accounts;
mod api;
mod back_office;
mod backup;
mod catalogue;
mod catalogue_admin;
mod crash;
mod database_outage;
mod dependencies;
mod filing;
mod foundation;
mod officers;
mod organisations;
mod payments;
mod ratings;
mod reception;
mod security;
mod stats;
mod storage;
mod two_nodes;
mod workflow;
