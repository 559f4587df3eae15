//! The glossary's definitions as one file, `assets/glossary.json`, that the
//! theme's script reads to show a term's definition beside its links.
//!
//! One shared file, not a copy beside every link: a page may link a hundred
//! terms, and copies of their definitions made large courses' pages two to
//! three times bigger (see BENCHMARKS.md, "Glossary links").

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Glossary, RenderedPage};

/// Where the definitions are written, relative to the site root.
pub const FILE: &str = "assets/glossary.json";

/// `{"anchor": "definition", …}` for every term some page links
/// automatically; `None` when no page does (then no page loads it).
pub fn definitions(glossary: &Glossary, rendered: &[RenderedPage]) -> Option<String> {
    let used: BTreeSet<usize> = rendered
        .iter()
        .flat_map(|r| r.glossary_uses.iter().copied())
        .collect();
    if used.is_empty() {
        return None;
    }
    let map: BTreeMap<&str, &str> = used
        .into_iter()
        .filter_map(|i| glossary.terms.get(i))
        .map(|t| (t.anchor.as_str(), t.definition.as_str()))
        .collect();
    serde_json::to_string(&map).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Term;

    fn term(anchor: &str, definition: &str) -> Term {
        Term {
            name: anchor.to_string(),
            anchor: anchor.to_string(),
            definition: definition.to_string(),
            ..Term::default()
        }
    }

    #[test]
    fn only_terms_a_page_links_are_written_as_text() {
        let glossary = Glossary {
            terms: vec![
                term("vm", "A computer in <b>software</b> \"emulated\"."),
                term("egress", "Data leaving."),
            ],
            ..Glossary::default()
        };
        let page = RenderedPage {
            glossary_uses: vec![0],
            ..RenderedPage::default()
        };
        let json = definitions(&glossary, &[page]).expect("a term is used");
        let read: BTreeMap<String, String> = serde_json::from_str(&json).expect("JSON");
        assert_eq!(read.len(), 1, "{json}");
        assert_eq!(read["vm"], "A computer in <b>software</b> \"emulated\".");
        assert_eq!(definitions(&glossary, &[RenderedPage::default()]), None);
    }
}
