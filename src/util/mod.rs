//! Small helpers every stage may use: HTML escaping, URL path encoding,
//! MIME types, line and column of byte offsets, and finding the unknown keys of a TOML file from serde types. Leaf modules: they import nothing of the crate.

pub mod html;
pub mod mime;
pub mod positions;
pub mod site_path;
pub mod toml_keys;
pub mod url;
