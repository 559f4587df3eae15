//! Plain data shared by the stages: the configuration (with the Azure
//! settings), the course, the URL index, rendered pages and redirects.
//! No stage logic lives here; every module above reads these types.

pub mod azure;
pub mod config;
pub mod course;
pub mod date;
pub mod glossary;
pub mod redirect;
pub mod rendered;
pub mod url_index;

pub use config::Config;
pub use course::{
    Course, FrontMatter, NavNode, NavTarget, Page, PageId, PageKind, Section, SectionId,
};
pub use date::PageDate;
pub use glossary::{Glossary, Term};
pub use redirect::Redirect;
pub use rendered::{InstructorCopy, LinkRef, RenderedPage, TocEntry};
pub use url_index::UrlIndex;
