//! Generated files besides the pages: the glossary's definitions, the search index, sitemap, feed,
//! robots.txt, redirect pages, and Azure Static Web Apps' configuration with
//! the checks of its limits.

pub mod azure;
pub mod calendar;
pub mod glossary;
pub mod search;
pub mod site_files;
