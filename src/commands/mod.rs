//! The commands on top of the pipeline: `build` and `check` (in [`cli`]),
//! `serve`, `init` (with the Azure workflow it writes) and `import` (MkDocs,
//! Carpentries).

pub mod carpentries;
pub mod cli;
pub mod import;
pub mod rewrite;
pub mod init;
pub mod serve;
pub mod workflow;
