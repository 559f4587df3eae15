//! The instructor view: a second copy of every page under `/instructor/`,
//! with the `instructor` blocks the learner's pages leave out. Its documents
//! are the learner's templates with `instructor_view` set; this module makes
//! their links to pages stay in the instructor view.

use std::collections::HashSet;

pub use crate::model::url_index::INSTRUCTOR_DIR;

/// `html` with each `href` to a page of `page_urls` (`/base/x/`, with or
/// without a fragment) turned into the same page's instructor copy; the
/// canonical link and the link marked `data-view="learner"` keep the learner's page.
pub fn to_instructor_links(html: &str, base_path: &str, page_urls: &HashSet<&str>) -> String {
    const HREF: &str = "href=\"";
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find(HREF) {
        let value_start = i + HREF.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let path = value.split('#').next().unwrap_or(value);
        let learner = out.ends_with("rel=\"canonical\" href=\"")
            || out.ends_with("data-view=\"learner\" href=\"");
        match path.strip_prefix(base_path) {
            Some(inside) if page_urls.contains(path) && !learner => {
                out.push_str(base_path);
                out.push_str(INSTRUCTOR_DIR);
                out.push_str(inside);
                out.push_str(&value[path.len()..]);
            }
            _ => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_move_into_the_instructor_view() {
        let urls: HashSet<&str> = ["/c/", "/c/a/"].into_iter().collect();
        let html = r##"<a href="/c/">h</a><a href="/c/a/#x">a</a><link href="/c/assets/s.css"><a href="https://e/c/">e</a><a href="#y">y</a><link rel="canonical" href="/c/a/"><a data-view="learner" href="/c/">l</a>"##;
        assert_eq!(
            to_instructor_links(html, "/c/", &urls),
            r##"<a href="/c/instructor/">h</a><a href="/c/instructor/a/#x">a</a><link href="/c/assets/s.css"><a href="https://e/c/">e</a><a href="#y">y</a><link rel="canonical" href="/c/a/"><a data-view="learner" href="/c/">l</a>"##
        );
    }
}
