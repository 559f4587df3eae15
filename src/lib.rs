//! syllabus turns a folder of Markdown course sessions into a static site.
//!
//! The build reads top to bottom:
//! 1. [`config`]: `syllabus.toml` → [`config::Config`].
//! 2. [`content`]: files under `content/` → the course model ([`content::Course`]):
//!    pages, sections, front matter, course order, assets.
//! 3. [`links::UrlIndex`]: every page's URL is known before any rendering.
//! 4. [`markdown`]: each page → HTML, rewriting links against the index and
//!    returning the links and heading ids it saw.
//! 5. [`links::LinkGraph`]: anchors checked, backlinks and prev/next computed.
//! 6. [`theme`]: Tera templates turn each page into a document.
//! 7. [`build`]: everything is written to a staging folder and swapped in.
//!
//! Problems in the user's content are [`diagnostics::Diagnostic`] values,
//! collected across the whole site and reported together.

pub mod diagnostics;
pub mod site_path;

// The build, stage by stage.
pub mod config;
pub mod content;
pub mod links;
pub mod markdown;
pub mod theme;
pub mod site_files;
pub mod build;

// Publishing and the other commands.
pub mod azure;
pub mod serve;
pub mod init;
pub mod import;
pub mod cli;
