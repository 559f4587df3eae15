//! Titles made from file and folder names, when a page has no front matter
//! `title` and no `# H1`: the name made readable, as MkDocs does
//! (`moving_data` → "Moving data"), so that no title shows a raw file name.

/// A file or folder name as a title: `_` and `-` become spaces, and an
/// all-lower-case name gets a capital first letter (`table_of_x` → "Table of x").
/// A name with capitals keeps them (`CF21_setup` → "CF21 setup"), as in MkDocs.
pub fn readable(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    let spaced = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if spaced.to_lowercase() != spaced {
        return spaced;
    }
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// The title of a page from its path: its file name, or its folder's name for
/// a folder's own page (`Home` for the home page).
pub fn from_path(rel: &str, is_index: bool) -> String {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    if is_index {
        return parts.next().map_or_else(|| "Home".to_string(), readable);
    }
    // The extension goes: `.md` of a page, `.ipynb` of a notebook.
    readable(name.rsplit_once('.').map_or(name, |(stem, _)| stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_titles() {
        for (name, title) in [
            (
                "table_of_responsibilties_by_service_level",
                "Table of responsibilties by service level",
            ),
            ("moving_data", "Moving data"),
            ("exercises", "Exercises"),
            ("how-to-cloud", "How to cloud"),
            ("CF21_creating windows vm", "CF21 creating windows vm"),
            ("_draft conrent", "Draft conrent"),
            ("session_2", "Session 2"),
            ("élan_vital", "Élan vital"),
            ("___", "___"),
        ] {
            assert_eq!(readable(name), title, "{name}");
        }
    }

    #[test]
    fn page_titles_from_paths() {
        assert_eq!(from_path("index.md", true), "Home");
        assert_eq!(from_path("moving_data/index.md", true), "Moving data");
        assert_eq!(from_path("a/plain_name.md", false), "Plain name");
        assert_eq!(from_path("notes.MD", false), "Notes");
    }
}
