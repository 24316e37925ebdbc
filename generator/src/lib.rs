//! JointLab Atlas: load → validate → model → render → write.
//!
//! The generator turns the TOML transcriptions under `content/` into a static site that works
//! from `file://`. Each stage has one module; renderers only ever see the resolved [`model`].

pub mod address;
pub mod calc;
pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod synth;
pub mod text;
pub mod validate;
