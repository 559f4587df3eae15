//! Integration tests: the real `syllabus` binary on small fixture sites.

mod support;

mod active_files;
mod azure;
mod browser;
mod build;
mod faults;
mod frontmatter;
mod gfm;
mod highlight;
mod hostile;
mod init;
mod links;
mod math;
mod mkdocs;
mod output;
mod safe_mode;
mod serve;
mod templates;
mod theme;
