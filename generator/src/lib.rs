//! JointLab Atlas: a static-site generator for Chinese S&T cooperation measures, as a library.
//!
//! The stages, each a folder that imports only those above it in this list:
//!
//! | stage | holds |
//! |---|---|
//! | [`content`] | the TOML schema (serde types), its fixed vocabularies, and loading |
//! | [`address`] | anchors, citation words, a measure's units, references in a text |
//! | [`validate`] | every rule of `atlas check` |
//! | [`calc`] | calculator definitions bound to the content's facts; `atlas calc` |
//! | [`model`] | the resolved corpus: plain text with marks, facts, topics, relations (no HTML) |
//! | [`render`], [`search`], [`export`] | HTML and every UI word; the search index; the dataset |
//! | [`output`] | the site written atomically; the offline bundles |
//! | [`site`] | the pipeline: check, build, bundle, and the incremental session of `atlas serve` |
//!
//! [`import`] and [`synth`] are tools beside the pipeline (they read `content` and `address`);
//! [`diagnostics`], [`error`] and [`text`] are leaves every stage may use. The `atlas` binary
//! (`src/main.rs`, `src/cmd/`) parses arguments and runs the HTTP server; nothing here imports it.

#![warn(unreachable_pub)]

pub mod address;
pub mod calc;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod export;
pub mod import;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod site;
pub mod synth;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
