//! Integration tests: the real `syllabus` binary on small fixture sites.

// In a test, a panic is the failure message.
#![allow(clippy::unwrap_used)]

mod support;

mod active_files;
mod aliases;
mod azure;
mod browser;
mod build;
mod calendar;
mod carpentries;
mod dist;
mod faults;
mod frontmatter;
mod gfm;
mod glossary;
mod highlight;
mod home;
mod imported;
mod hostile;
mod init;
mod layers;
mod links;
mod math;
mod mkdocs;
mod mkdocs_syntax;
mod notebook;
mod output;
mod safe_mode;
mod serve;
mod spans;
mod teaching;
mod teaching_views;
mod templates;
mod theme;
