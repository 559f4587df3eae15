//! Checks of the glossary after rendering: links to terms it does not define
//! (with the closest term), and terms that no page uses.

use std::collections::HashSet;

use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::model::{Course, Glossary, LinkRef, PageId, RenderedPage, Term};

/// A link into the glossary whose fragment is no heading or id of it.
pub(super) fn missing_term(
    course: &Course,
    glossary: &Glossary,
    from: PageId,
    link: &LinkRef,
    fragment: &str,
    severity: Severity,
) -> Diagnostic {
    let glossary_file = &course.pages[glossary.page].file;
    let message = format!(
        "broken anchor `#{fragment}`: the glossary `{glossary_file}` defines no term `{fragment}`"
    );
    let d = Diagnostic::new(
        severity,
        Code::MissingGlossaryTerm,
        &course.pages[from].file,
        message,
    );
    let help = closest_term(glossary, fragment)
        .map(|t| format!("did you mean `#{}` (the term `{}`)?", t.anchor, t.name))
        .unwrap_or_else(|| {
            format!("add a heading for it to `{glossary_file}`, or link to a term it defines")
        });
    d.at(link.line, link.column).with_help(help)
}

/// The term a fragment most likely meant: one whose initials it is (`#VM`
/// for `Virtual Machine`), else the one whose id, name or alias is within a
/// few typing slips of it.
fn closest_term<'a>(glossary: &'a Glossary, fragment: &str) -> Option<&'a Term> {
    let wanted = fragment.replace(['-', '_'], " ").to_lowercase();
    let initials = |name: &str| -> String {
        name.split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let Some(t) = glossary.terms.iter().find(|t| initials(&t.name) == wanted) {
        return Some(t);
    }
    let mut names: Vec<(String, usize)> = Vec::new();
    for (i, t) in glossary.terms.iter().enumerate() {
        names.push((t.anchor.replace('-', " "), i));
        names.push((t.name.to_lowercase(), i));
        names.extend(t.aliases.iter().map(|a| (a.to_lowercase(), i)));
    }
    let slips = wanted.chars().count() / 4;
    let best = diagnostics::closest_within(&wanted, names.iter().map(|(n, _)| n.as_str()), slips)?;
    let (_, i) = names.iter().find(|(n, _)| n == best)?;
    Some(&glossary.terms[*i])
}

/// A warning at each term that no page links to, automatically or by hand.
pub fn unused_terms(
    course: &Course,
    rendered: &[RenderedPage],
    glossary: &Glossary,
) -> Vec<Diagnostic> {
    let mut used: HashSet<usize> = rendered
        .iter()
        .flat_map(|r| r.glossary_uses.iter().copied())
        .collect();
    for (from, r) in rendered.iter().enumerate() {
        for link in r
            .links
            .iter()
            .filter(|l| l.target == Some(glossary.page) && from != glossary.page)
        {
            let fragment = link.fragment.as_deref().unwrap_or_default();
            used.extend(glossary.terms.iter().position(|t| t.anchor == fragment));
        }
    }
    let file = &course.pages[glossary.page].file;
    glossary
        .terms
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, t)| {
            Diagnostic::warning(Code::UnusedGlossaryTerm, file, format!("glossary term `{}` is never used: no page mentions it", t.name))
                .at(t.line, 1)
                .with_help("use the term on a page, or give it the name the pages use (as its heading, an abbreviation in brackets or an `Also:` line)")
        })
        .collect()
}
