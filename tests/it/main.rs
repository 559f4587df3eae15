//! Integration tests: the real `syllabus` binary on small fixture sites.

mod support;

mod build;
mod frontmatter;
mod gfm;
mod links;
mod output;
mod templates;
