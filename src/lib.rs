//! syllabus turns a folder of Markdown course sessions into a static site.
//!
//! The modules are layers; each imports only from the layers above it in
//! this list (`tests/it/layers.rs` keeps it so, ARCHITECTURE.md explains it):
//!
//! 0. [`diagnostics`] and [`util`]: problems as values; escaping, URLs, MIME types.
//! 1. [`model`]: plain data: configuration, course, URL index, rendered pages, redirects.
//! 2. [`load`]: `syllabus.toml` and the files under `content/` → the model.
//! 3. [`links`]: resolving one link against the URL index; after rendering,
//!    anchors checked, backlinks and prev/next.
//! 4. [`markdown`]: each page → HTML, rewriting links against the index and
//!    returning the links and heading ids it saw.
//! 5. [`theme`]: Tera templates turn each page into a document.
//! 6. [`outputs`]: generated files (search index, sitemap, feed, Azure config).
//! 7. [`pipeline`]: load → render → check → outputs, into a sink: a staging
//!    folder swapped in (`build`) or memory (`serve`).
//! 8. [`commands`]: build, check, serve, init, import.
//!
//! Problems in the user's content are [`diagnostics::Diagnostic`] values,
//! collected across the whole site and reported together.

pub mod diagnostics;
pub mod util;

pub mod model;
pub mod load;
pub mod links;
pub mod markdown;
pub mod theme;
pub mod outputs;
pub mod pipeline;

pub mod commands;
