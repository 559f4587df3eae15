//! Stage 1: files under `content/` → the course model.
//!
//! In: the content folder and config. Out: a [`Course`] of pages and sections
//! in course order, the assets to copy, and diagnostics.

pub mod active;
mod discover;
pub mod notebook;
mod front_keys;
pub mod frontmatter;
mod yaml_fix;
pub mod git_dates;
pub mod nav;
mod order;
mod rmd;
pub mod schedule;
mod session_keys;
mod settings;
mod titles;

pub use discover::html_title;
pub(crate) use discover::link_escapes;
pub use discover::{LoadOptions, load};
pub use order::natural_cmp;
pub use settings::{excluded, link_definitions};
