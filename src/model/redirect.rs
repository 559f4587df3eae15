//! A redirect the site publishes for a page's old URL (front matter `aliases`).

/// A redirect to publish: its path under the site root and the page URL it points to.
pub struct Redirect {
    pub path: String,
    pub to: String,
}
