//! Small helpers every stage may use: HTML escaping, URL path encoding and
//! MIME types. Leaf modules: they import nothing of the crate.

pub mod html;
pub mod mime;
pub mod url;
