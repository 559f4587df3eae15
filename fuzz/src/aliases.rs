//! The `aliases` target: a small site whose pages get the aliases of the
//! input, through the clash check a build runs before writing anything.
//!
//! The input is one alias per line; the first byte picks the base path and
//! which pages get them. Checked with paths compared independently of
//! syllabus's own normaliser (std's path components, lower case, NFC): no
//! redirect goes where a page, a generated, static or co-located file, the
//! output marker or another redirect goes, nor where one of them needs a
//! folder; no written path leaves the site; every alias is either a
//! redirect or an error.

use std::collections::HashSet;
use std::path::{Component, Path};
use std::sync::{LazyLock, Mutex};

use syllabus::outputs::site_files::{self, FIXED_FILES, MARKER};
use syllabus::pipeline::Site;
use unicode_normalization::UnicodeNormalization;

/// Pages whose names test the comparison: a section, a name with an accent
/// (NFC), one with capitals; a co-located file with a capital; a static file.
fn sites() -> [Site; 2] {
    crate::course(
        "syllabus-fuzz-aliases",
        &[
            ("syllabus.toml", "title = \"Fuzz\"\n"),
            ("content/index.md", "# Home\n"),
            ("content/a/index.md", "# A\n"),
            ("content/a/Fig.png", "png"),
            ("content/caf\u{e9}.md", "# Café\n"),
            ("content/Notes.md", "# Notes\n"),
            ("content/b.md", "# B\n"),
            ("static/handout.pdf", "pdf"),
        ],
        true,
    )
}

static SITES: LazyLock<Mutex<[Site; 2]>> = LazyLock::new(|| Mutex::new(sites()));

/// How the tests' file systems and hosts see a path: std's components (no
/// `.`, no empty names), then lower case and NFC, compared as a whole.
fn host_key(path: &str) -> String {
    let mut names = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(name) => names.push(name.to_string_lossy().into_owned()),
            Component::CurDir => {}
            other => panic!("written path {path:?} has {other:?}"),
        }
    }
    let joined = names.join("/");
    joined
        .nfd()
        .collect::<String>()
        .to_lowercase()
        .nfc()
        .collect()
}

/// `a/b/c` → `a`, `a/b`.
fn folders(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(|(i, _)| &key[..i])
}

pub fn aliases(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let aliases: Vec<String> = text.lines().take(8).map(str::to_string).collect();
    let mut sites = SITES.lock().unwrap_or_else(|e| e.into_inner());
    let site = &mut sites[usize::from(flags & 1)];
    let pages = site.course.pages.len();
    for page in &mut site.course.pages {
        page.front.aliases.clear();
    }
    for (i, alias) in aliases.iter().enumerate() {
        let page = (usize::from(flags >> 1) + i * usize::from(flags & 2 != 0)) % pages;
        site.course.pages[page].front.aliases.push(alias.clone());
    }
    let (redirects, diags) =
        site_files::aliases_and_clashes(&site.course, &site.index, &site.rendered, "content");
    assert_eq!(
        redirects.len() + diags.len(),
        aliases.len(),
        "an alias is neither a redirect nor an error: {diags:?}"
    );
    let mut taken: HashSet<String> = site
        .course
        .pages
        .iter()
        .map(|p| format!("{}index.html", p.url_path))
        .chain(FIXED_FILES.iter().map(|f| f.to_string()))
        .chain([MARKER.to_string()])
        .chain(site.course.assets.iter().cloned())
        .chain(site.index.static_files.iter().cloned())
        .map(|p| host_key(&p))
        .collect();
    let mut taken_folders: HashSet<String> = taken
        .iter()
        .flat_map(|k| folders(k).map(str::to_string))
        .collect();
    for r in &redirects {
        assert!(
            !r.path.starts_with('/'),
            "redirect path {:?} is absolute",
            r.path
        );
        assert!(
            // `?` and `#` may come from `%3F` and `%23`: file names, not a query.
            !r.path.chars().any(char::is_control) && !r.path.contains('\\'),
            "redirect path {:?}",
            r.path
        );
        let key = host_key(&site_files::redirect_file(&r.path));
        assert!(
            !taken.contains(&key) && !taken_folders.contains(&key),
            "a redirect at {:?} replaces a file of the site",
            r.path
        );
        assert!(
            folders(&key).all(|d| !taken.contains(d)),
            "a redirect at {:?} needs a folder where a file goes",
            r.path
        );
        taken_folders.extend(folders(&key).map(str::to_string));
        taken.insert(key);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_attacks_are_refused() {
        for alias in [
            "/./",
            "/a/./",
            "/./a/",
            "/a//",
            "/A/",
            "/%61/",
            "/.syllabus-output",
            "/cafe\u{301}/",
        ] {
            let mut input = vec![0u8];
            input.extend_from_slice(alias.as_bytes());
            super::aliases(&input);
        }
    }
}
