//! The ids of a session's all-in-one page for printing. Its pages were
//! rendered one by one, so two of them often share a heading id (`setup`)
//! or a footnote's (`fn-1`); on one document that is invalid HTML, and a
//! link to the id would jump to the first page that has it. So each page's
//! content gets ids of its own: the `n`th page's `setup` becomes `p2-setup`
//! (its section on the print page is `p2`), and a link to a page that is on
//! the print page (`/s1/later/#setup`) becomes a link within it (`#p2-setup`).
//!
//! In: one page's rendered HTML, which syllabus wrote (attributes in double
//! quotes; raw HTML keeps whatever quotes it has). Out: the same HTML with
//! only the values of id-bearing attributes and of `href`s changed.

use std::collections::HashMap;

/// Attributes whose value is an id of the document.
const ID_ATTRIBUTES: &[&str] = &["id"];
/// Attributes whose value is a space-separated list of ids.
const ID_LIST_ATTRIBUTES: &[&str] = &[
    "for",
    "headers",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "aria-activedescendant",
];
/// Elements whose text is not markup: copied whole.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// The id of the `n`th page's section on the print page (1-based).
pub fn page_anchor(n: usize) -> String {
    format!("p{n}")
}

/// `html`, the content of the `n`th page of a print page, with its ids made
/// its own and its links to the pages on the print page (`on_page`: each
/// page's URL → its number) made links within the document.
pub fn scope_ids(html: &str, n: usize, on_page: &HashMap<&str, usize>) -> String {
    let scope = Scope { n, on_page };
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let len = if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            // `<` of text (`a < b` in raw HTML), or a comment or doctype.
            match rest.strip_prefix("<!--") {
                Some(comment) => comment.find("-->").map_or(rest.len(), |e| e + 7),
                None => 1,
            }
        } else {
            let end = tag_end(rest);
            let raw = raw_text_element(&rest[..end]);
            scope.tag(&rest[..end], &mut out);
            rest = &rest[end..];
            // The text of `<script>` and the like is copied to its end tag.
            raw.map_or(0, |name| raw_text_len(rest, name))
        };
        out.push_str(&rest[..len]);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// The length of the tag at the start of `s`: to its `>` outside quotes, or all of `s`.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The name of a raw text element that `tag` opens, if it opens one.
fn raw_text_element(tag: &str) -> Option<&'static str> {
    let name = tag.get(1..)?;
    RAW_TEXT.iter().copied().find(|raw| {
        name.get(..raw.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(raw))
            && name[raw.len()..]
                .starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
    })
}

/// The length of a raw text element's text: up to its end tag, or all of `s`.
fn raw_text_len(s: &str, name: &str) -> usize {
    s.match_indices("</")
        .map(|(i, _)| i)
        .find(|&i| {
            s.get(i + 2..i + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .unwrap_or(s.len())
}

struct Scope<'a> {
    n: usize,
    on_page: &'a HashMap<&'a str, usize>,
}

impl Scope<'_> {
    /// Copies one tag to `out`, rewriting the attributes that name ids.
    fn tag(&self, tag: &str, out: &mut String) {
        let mut copied = 0;
        for (name, start, end) in attributes(tag) {
            let value = &tag[start..end];
            let new = if ID_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a)) {
                self.id(value)
            } else if ID_LIST_ATTRIBUTES
                .iter()
                .any(|a| name.eq_ignore_ascii_case(a))
            {
                let ids: Vec<String> = value.split_whitespace().map(|v| self.id(v)).collect();
                ids.join(" ")
            } else if name.eq_ignore_ascii_case("href") {
                match self.href(value) {
                    Some(href) => href,
                    None => continue,
                }
            } else {
                continue;
            };
            out.push_str(&tag[copied..start]);
            out.push_str(&new);
            copied = end;
        }
        out.push_str(&tag[copied..]);
    }

    /// A page's id as the print page has it.
    fn id(&self, id: &str) -> String {
        if id.is_empty() {
            return String::new();
        }
        format!("{}-{id}", page_anchor(self.n))
    }

    /// The link within the print page an `href` becomes, if it leads into it.
    fn href(&self, href: &str) -> Option<String> {
        if let Some(fragment) = href.strip_prefix('#') {
            return Some(format!("#{}", self.id(fragment)));
        }
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        let page = *self.on_page.get(path)?;
        let scope = Scope {
            n: page,
            on_page: self.on_page,
        };
        Some(match fragment {
            "" => format!("#{}", page_anchor(page)),
            f => format!("#{}", scope.id(f)),
        })
    }
}

/// The attributes of a tag with a value: (name, start, end of the value in `tag`).
fn attributes(tag: &str) -> Vec<(&str, usize, usize)> {
    let bytes = tag.as_bytes();
    let mut out = Vec::new();
    // Past `<` and the tag's name.
    let mut i = 1;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
        i += 1;
    }
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return out;
        }
        let name_start = i;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let (start, end) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = tag[start..]
                    .find(q as char)
                    .map_or(tag.len(), |e| start + e);
                i = (end + 1).min(tag.len());
                (start, end)
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                (start, i)
            }
        };
        out.push((name, start, end));
    }
}

fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scoped(html: &str, n: usize) -> String {
        let on_page: HashMap<&str, usize> = [("/c/s1/", 1), ("/c/s1/later/", 2)].into();
        scope_ids(html, n, &on_page)
    }

    #[test]
    fn ids_and_links_to_them_get_the_page_number() {
        let html = r##"<h2 id="setup">Setup</h2><p><a href="#setup">up</a><sup><a href="#fn-1" id="fnref-1">1</a></sup></p>"##;
        assert_eq!(
            scoped(html, 2),
            r##"<h2 id="p2-setup">Setup</h2><p><a href="#p2-setup">up</a><sup><a href="#p2-fn-1" id="p2-fnref-1">1</a></sup></p>"##
        );
    }

    #[test]
    fn links_to_pages_on_the_print_page_stay_in_it() {
        let html = r##"<a href="/c/s1/later/#setup">a</a><a href="/c/s1/">b</a><a href="/c/s2/#x">c</a><img src="/c/s1/later/">"##;
        assert_eq!(
            scoped(html, 1),
            r##"<a href="#p2-setup">a</a><a href="#p1">b</a><a href="/c/s2/#x">c</a><img src="/c/s1/later/">"##
        );
    }

    #[test]
    fn id_lists_quotes_and_raw_text() {
        let html = "<label for='a'>x</label><div aria-labelledby=\"a  b\" data-id=\"k\" title=\"id=&quot;z&quot;\"></div><script>if (a<b) { x.id=\"q\"; }</script><!-- id=\"c\" --><p>id=\"t\"</p>";
        assert_eq!(
            scoped(html, 3),
            "<label for='p3-a'>x</label><div aria-labelledby=\"p3-a p3-b\" data-id=\"k\" title=\"id=&quot;z&quot;\"></div><script>if (a<b) { x.id=\"q\"; }</script><!-- id=\"c\" --><p>id=\"t\"</p>"
        );
    }

    #[test]
    fn unfinished_markup_is_copied() {
        for html in ["<a href=\"#x", "<a id=", "<", "<!-- open", "<script>x"] {
            let out = scoped(html, 1);
            assert!(out.len() >= html.len(), "{html} → {out}");
        }
    }
}
