//! Resolution of one link target, written the GitHub way, to a site URL.
//!
//! Accepted forms: relative to the file (`../s/index.md`, `reading.md#x`,
//! `../s/`), relative to content (`@/s/index.md`), repository-root
//! (`/content/s/index.md`), site-absolute (`/s/`, `/img/logo.png` from static/),
//! extension-less (`reading`), fragment-only (`#x`). Anything with a scheme is external.
//! Where the file and the page URL read a link differently, `readings` decides.

use super::readings::{Readings, reading};
use crate::diagnostics;
use crate::model::config::RelativeTo;
use crate::model::{PageId, UrlIndex};
use crate::util::url::decode_path;

/// What a link target turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Left as written: external URL, `mailto:`, empty.
    External,
    /// A page of this site; `href` is its URL plus query and fragment as written.
    Page {
        page: PageId,
        fragment: Option<String>,
        href: String,
    },
    /// `#fragment` on the linking page.
    SamePage { fragment: String },
    /// A copied file (content asset or static file).
    Asset { href: String },
    Broken {
        message: String,
        help: Option<String>,
    },
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves `dest`, written in the page at `from` (source path relative to content).
pub fn resolve(index: &UrlIndex, from: &str, dest: &str) -> Resolved {
    resolve_noted(index, from, dest, RelativeTo::File).0
}

/// Like [`resolve`], reading relative links as `relative_to` says, with a note
/// when the link works only as MkDocs reads it (relative to the page's URL) or
/// when the two readings disagree.
pub fn resolve_noted(
    index: &UrlIndex,
    from: &str,
    dest: &str,
    relative_to: RelativeTo,
) -> (Resolved, Option<String>) {
    let dest = dest.trim();
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return (Resolved::External, None);
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (dest, None),
    };
    let (raw_path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_fragment, None),
    };
    if raw_path.is_empty() {
        let resolved = match fragment {
            Some(f) if !f.is_empty() && query.is_none() => Resolved::SamePage {
                fragment: f.to_string(),
            },
            _ => Resolved::External,
        };
        return (resolved, None);
    }
    let path = decode_path(raw_path);
    let from_dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let wants_dir = path.ends_with('/');
    let content_prefix = format!("/{}/", index.content_name);
    let mut note = None;
    let (target, found) = if let Some(rest) = path
        .strip_prefix("@/")
        .or_else(|| path.strip_prefix(&content_prefix))
    {
        let target = normalize("", rest);
        let found = target.as_deref().map(|t| find(index, t, wants_dir));
        (target, found)
    } else if path.starts_with('/') {
        return (site_absolute(index, &path, query, fragment), None);
    } else {
        let by_file = normalize(from_dir, &path);
        // MkDocs serves `a/b.md` at `a/b/` and resolves links against that URL.
        let url_dir = from
            .strip_suffix(".md")
            .filter(|_| !index.is_section_page(from));
        let by_url = url_dir.and_then(|d| normalize(d, &path));
        let readings = Readings {
            index,
            dest,
            from_dir,
            wants_dir,
            file: reading(index, by_file, wants_dir),
            url: reading(index, by_url, wants_dir),
        };
        let (chosen, chosen_note) = readings.choose(relative_to);
        note = chosen_note;
        match chosen {
            Some((target, found)) => (Some(target), Some(found)),
            None => (None, None),
        }
    };
    let (Some(target), Some(found)) = (target, found) else {
        let broken = Resolved::Broken {
            message: format!("broken link `{dest}`: it points outside the content folder"),
            help: Some(
                "link to pages and files inside the content folder; put shared files in `static/`"
                    .into(),
            ),
        };
        return (broken, None);
    };
    let suffix = suffix(query, fragment);
    let resolved = match found {
        Found::Page(page) => Resolved::Page {
            page,
            fragment: fragment.map(str::to_string),
            href: format!("{}{suffix}", index.urls[page]),
        },
        Found::Asset => Resolved::Asset {
            href: format!("{}{suffix}", index.url_for(&target)),
        },
        Found::Missing(message) => {
            let help = if message.contains("is a draft") {
                Some("remove the link, or build with `--drafts`".to_string())
            } else {
                suggest(index, from_dir, &target, raw_path)
            };
            Resolved::Broken {
                message: format!("broken link `{dest}`: {message}"),
                help,
            }
        }
    };
    (resolved, note)
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    Page(PageId),
    Asset,
    Missing(String),
}

impl Found {
    pub(super) fn is_found(&self) -> bool {
        !matches!(self, Found::Missing(_))
    }

    /// Whether `target` names the file found, not a folder or a name without `.md`.
    pub(super) fn is_exact(&self, target: &str, wants_dir: bool) -> bool {
        match self {
            Found::Asset => true,
            Found::Page(_) => !wants_dir && target.to_ascii_lowercase().ends_with(".md"),
            Found::Missing(_) => false,
        }
    }

    /// The target's source file (relative to content), for messages.
    pub(super) fn source(&self, index: &UrlIndex, target: &str) -> String {
        match self {
            Found::Page(p) => index.sources[*p].clone(),
            _ => target.to_string(),
        }
    }

    pub(super) fn shown(&self, index: &UrlIndex, target: &str) -> String {
        format!("{}/{}", index.content_name, self.source(index, target))
    }
}

pub(super) fn find(index: &UrlIndex, target: &str, wants_dir: bool) -> Found {
    let lower = target.to_ascii_lowercase();
    if !wants_dir && lower.ends_with(".md") {
        if let Some(&p) = index.by_source.get(target) {
            return Found::Page(p);
        }
        if index.drafts.contains(target) {
            return Found::Missing(format!("`{target}` is a draft, left out of this build"));
        }
        return Found::Missing(format!("no page `{target}`"));
    }
    // A notebook is a page (its file is also in the site, for download).
    if !wants_dir && let Some(&p) = index.by_source.get(target) {
        return Found::Page(p);
    }
    if !wants_dir && index.assets.contains(target) {
        return Found::Asset;
    }
    if let Some(&p) = index.by_dir.get(target) {
        return Found::Page(p);
    }
    // `x` or `x/` for the page `x.md` (or notebook `x.ipynb`), as MkDocs' URLs read.
    for ext in [".md", ".ipynb"] {
        if let Some(&p) = index.by_source.get(&format!("{target}{ext}")) {
            return Found::Page(p);
        }
    }
    if index.bare_dirs.contains(target) {
        return Found::Missing(format!(
            "the folder `{target}` has no index.md, README.md or _index.md"
        ));
    }
    if index.drafts.contains(&format!("{target}/index.md"))
        || index.drafts.contains(&format!("{target}.md"))
    {
        return Found::Missing(format!("`{target}` is a draft, left out of this build"));
    }
    Found::Missing(format!(
        "no page or file `{}`",
        if target.is_empty() { "/" } else { target }
    ))
}

fn site_absolute(
    index: &UrlIndex,
    path: &str,
    query: Option<&str>,
    fragment: Option<&str>,
) -> Resolved {
    let under_base = path
        .strip_prefix(index.base_path.as_str())
        .or_else(|| path.strip_prefix('/'))
        .unwrap_or(path);
    let suffix = suffix(query, fragment);
    if index.static_files.contains(under_base) || index.assets.contains(under_base) {
        return Resolved::Asset {
            href: format!("{}{suffix}", index.url_for(under_base)),
        };
    }
    let as_dir = if under_base.is_empty() || under_base.ends_with('/') {
        under_base.to_string()
    } else {
        format!("{under_base}/")
    };
    if let Some(&page) = index.by_url.get(&as_dir) {
        return Resolved::Page {
            page,
            fragment: fragment.map(str::to_string),
            href: format!("{}{suffix}", index.urls[page]),
        };
    }
    let help = diagnostics::closest(
        under_base,
        index
            .by_url
            .keys()
            .map(String::as_str)
            .chain(index.static_files.iter().map(String::as_str)),
    )
    .map(|c| format!("did you mean `/{c}`?"));
    Resolved::Broken {
        message: format!("broken link `{path}`: no page or static file at that URL"),
        help,
    }
}

fn suffix(query: Option<&str>, fragment: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(q) = query {
        s.push('?');
        s.push_str(q);
    }
    if let Some(f) = fragment {
        s.push('#');
        s.push_str(f);
    }
    s
}

/// Joins `rel` to `dir` and folds `.` and `..`; `None` when it climbs above the root.
pub(crate) fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A close existing target, written relative to the linking file as the author would.
fn suggest(index: &UrlIndex, from_dir: &str, target: &str, written: &str) -> Option<String> {
    let candidates = index
        .by_source
        .keys()
        .chain(index.assets.iter())
        .map(String::as_str)
        .chain(
            index
                .by_dir
                .keys()
                .map(String::as_str)
                .filter(|d| !d.is_empty()),
        );
    let name_len = target.rsplit('/').next().unwrap_or(target).chars().count();
    let best = diagnostics::closest_within(target, candidates, (name_len / 3).max(2))?;
    let shown = if written.starts_with('/') || written.starts_with('@') {
        format!("@/{best}")
    } else {
        relative(from_dir, best)
    };
    Some(format!("did you mean `{shown}`?"))
}

/// `target` (relative to content) written relative to the folder `from_dir`.
pub(crate) fn relative(from_dir: &str, target: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of `pages` (source, URL); index pages are their folder's.
    fn index_of(base_path: &str, content_name: &str, pages: &[(&str, &str)]) -> UrlIndex {
        let mut i = UrlIndex {
            base_path: base_path.into(),
            content_name: content_name.into(),
            ..Default::default()
        };
        for (id, (src, url)) in pages.iter().enumerate() {
            i.by_source.insert(src.to_string(), id);
            i.by_url.insert(url.to_string(), id);
            i.urls.push(i.url_for(url));
            i.sources.push(src.to_string());
            if src.ends_with("index.md") || src.ends_with("README.md") {
                i.section_pages.insert(src.to_string());
            }
        }
        i
    }

    fn index() -> UrlIndex {
        let mut i = index_of(
            "/course/",
            "content",
            &[
                ("index.md", ""),
                ("s1/index.md", "s1/"),
                ("s1/read.md", "s1/read/"),
                ("s2/README.md", "s2/"),
                ("s1/lab.ipynb", "s1/lab/"),
            ],
        );
        i.by_dir.insert("".into(), 0);
        i.by_dir.insert("s1".into(), 1);
        i.by_dir.insert("s2".into(), 3);
        i.assets.insert("s1/fig one.png".into());
        i.assets.insert("s1/lab.ipynb".into());
        i.static_files.insert("logo.svg".into());
        i.drafts.insert("s1/draft.md".into());
        i
    }

    fn href(r: Resolved) -> String {
        match r {
            Resolved::Page { href, .. } | Resolved::Asset { href } => href,
            other => panic!("not resolved: {other:?}"),
        }
    }

    #[test]
    fn every_link_form() {
        let i = index();
        let cases = [
            ("s1/read.md", "index.md", "/course/s1/"),
            ("s1/read.md", "../s2/README.md#x", "/course/s2/#x"),
            ("s1/read.md", "../s2/", "/course/s2/"),
            ("s1/read.md", "../s2", "/course/s2/"),
            ("s1/read.md", "read", "/course/s1/read/"),
            ("s1/read.md", "./read.md?v=1#a", "/course/s1/read/?v=1#a"),
            ("s2/README.md", "@/s1/read.md", "/course/s1/read/"),
            ("s2/README.md", "/content/s1/read.md", "/course/s1/read/"),
            ("s2/README.md", "/s1/read/", "/course/s1/read/"),
            ("s2/README.md", "/course/s1/read/", "/course/s1/read/"),
            ("s2/README.md", "/logo.svg", "/course/logo.svg"),
            ("s1/read.md", "fig%20one.png", "/course/s1/fig%20one.png"),
            ("s1/read.md", "fig one.png", "/course/s1/fig%20one.png"),
            ("index.md", "s1/", "/course/s1/"),
            ("s1/read.md", "..", "/course/"),
            ("s1/read.md", "lab.ipynb#plot", "/course/s1/lab/#plot"),
            ("index.md", "s1/lab", "/course/s1/lab/"),
        ];
        for (from, dest, want) in cases {
            assert_eq!(href(resolve(&i, from, dest)), want, "{dest} from {from}");
        }
    }

    #[test]
    fn external_and_fragment() {
        let i = index();
        for d in ["https://x.org/a.md", "mailto:a@b.c", "//cdn.x/y", ""] {
            assert_eq!(resolve(&i, "index.md", d), Resolved::External, "{d}");
        }
        assert_eq!(
            resolve(&i, "index.md", "#top"),
            Resolved::SamePage {
                fragment: "top".into()
            }
        );
    }

    #[test]
    fn broken_links_explain_and_suggest() {
        let i = index();
        let Resolved::Broken { message, help } = resolve(&i, "s1/read.md", "../s2/readme.md")
        else {
            panic!()
        };
        assert!(message.contains("no page `s2/readme.md`"), "{message}");
        assert_eq!(help.as_deref(), Some("did you mean `../s2/README.md`?"));
        let Resolved::Broken { message, .. } = resolve(&i, "s1/read.md", "draft.md") else {
            panic!()
        };
        assert!(message.contains("draft"), "{message}");
        let Resolved::Broken { message, .. } = resolve(&i, "s1/read.md", "../../x.md") else {
            panic!()
        };
        assert!(message.contains("outside the content folder"), "{message}");
        let Resolved::Broken { help, .. } = resolve(&i, "index.md", "s1/raed.md") else {
            panic!()
        };
        assert_eq!(help.as_deref(), Some("did you mean `s1/read.md`?"));
    }

    /// `y.md` is served at `/y/`: its extension-less links read from the file
    /// (GitHub) and from the URL (MkDocs) lead to different pages.
    fn two_year_index() -> UrlIndex {
        let pages = [
            ("index.md", ""),
            ("y.md", "y/"),
            ("s/index.md", "s/"),
            ("y/s/index.md", "y/s/"),
            ("y/only/index.md", "y/only/"),
        ];
        let mut i = index_of("/", "docs", &pages);
        for (id, (src, _)) in pages.iter().enumerate() {
            if let Some(dir) = src.strip_suffix("index.md") {
                i.by_dir.insert(dir.trim_end_matches('/').into(), id);
            }
        }
        i.assets.insert("img/a.png".into());
        i.assets.insert("y/img/a.png".into());
        i
    }

    #[test]
    fn relative_to_chooses_the_reading_and_notes_the_other() {
        let i = two_year_index();
        let cases = [
            // (dest, relative_to, href, note contains)
            (
                "s",
                RelativeTo::File,
                "/s/",
                Some("syllabus uses `docs/s/index.md`"),
            ),
            (
                "s",
                RelativeTo::Url,
                "/y/s/",
                Some(
                    "on GitHub, which reads it from the file, to `docs/s/index.md`; write `y/s/index.md`",
                ),
            ),
            ("s/", RelativeTo::Url, "/y/s/", Some("write `y/s/index.md`")),
            // A file named exactly is read from the file by both tools.
            ("s/index.md", RelativeTo::Url, "/s/", None),
            ("img/a.png", RelativeTo::Url, "/img/a.png", None),
            ("y/s/index.md", RelativeTo::File, "/y/s/", None),
            // Only one reading finds a page: that one, whatever the setting.
            (
                "only",
                RelativeTo::File,
                "/y/only/",
                Some("works only relative to the page's URL"),
            ),
            (
                "only",
                RelativeTo::Url,
                "/y/only/",
                Some("write `y/only/index.md` so that it works on GitHub too"),
            ),
            ("y", RelativeTo::Url, "/y/", None),
        ];
        for (dest, mode, want, note) in cases {
            let (r, got_note) = resolve_noted(&i, "y.md", dest, mode);
            assert_eq!(href(r), want, "{dest} {mode:?}");
            match (note, got_note) {
                (None, None) => {}
                (Some(n), Some(g)) => assert!(g.contains(n), "{dest} {mode:?}: {g}"),
                (n, g) => panic!("{dest} {mode:?}: want {n:?}, got {g:?}"),
            }
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(relative("", "a/d.md"), "a/d.md");
        assert_eq!(relative("a", "a/d.md"), "d.md");
    }
}
