//! Links: resolving one link against the [`UrlIndex`](crate::model::UrlIndex)
//! (used while rendering Markdown), and after rendering, the link graph:
//! anchors checked, backlinks and prev/next.

mod glossary;
mod graph;
mod readings;
mod resolve;

pub use glossary::unused_terms;
pub use graph::{LinkGraph, build_graph};
pub use resolve::{Resolved, resolve, resolve_noted};
