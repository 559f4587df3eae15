//! Integration tests: the real `syllabus` binary on small fixture sites.

mod support;

mod azure;
mod browser;
mod build;
mod dist;
mod faults;
mod frontmatter;
mod gfm;
mod highlight;
mod hostile;
mod init;
mod layers;
mod links;
mod mkdocs;
mod notebook;
mod output;
mod safe_mode;
mod serve;
mod templates;
mod theme;
