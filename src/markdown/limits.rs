//! How much markup one page may have: a bound on what rendering it costs.
//!
//! Rendering keeps pulldown-cmark's parse tree and the list of events every
//! pass reads, about 100 bytes for each Markdown element (a table cell, an
//! emphasis, a link, a line) and several copies of the list while passes run.
//! A page of dense markup took 290 bytes of memory per byte of text: a 6 MB
//! one-line table took 1.7 GB. Elements come from markup characters and line
//! breaks, so counting those before parsing bounds a page's cost whatever its
//! shape, at a cost of one pass over its bytes. Course pages have a few
//! thousand; a 20 MB page of prose about 400,000.

/// Markup characters and lines a page may have.
pub const MAX_MARKUP: usize = 1_000_000;

/// Bytes that can start or end a Markdown element: line breaks, table pipes,
/// emphasis, code, links and images, HTML and entities, escapes, math,
/// attribute lists, the markers of quotes and lists (which nest many deep on
/// one line: `> > > x`, `- - - x`, `1. 1) x`), and the `:`, `/`, `@` and `.`
/// of bare URLs and addresses, which become links.
const MARKUP: &[u8] = b"\n|*_~`[]!<>&\\${:@./-+)";

/// At most how many events pulldown-cmark makes of `text` (four for each
/// markup character or line: `- - x` opens and closes a list and an item per
/// `-`), to reserve room for them once. Reserved memory that is never written
/// costs no physical memory.
pub fn events_at_most(text: &str) -> usize {
    let table = table();
    let markup = text.bytes().filter(|&b| table[b as usize]).count();
    4 * markup + 16
}

fn table() -> [bool; 256] {
    let mut is_markup = [false; 256];
    for &b in MARKUP {
        is_markup[b as usize] = true;
    }
    is_markup
}

/// The offset in `text` where its markup passes `max`, if it does.
pub fn over(text: &str, max: usize) -> Option<usize> {
    let is_markup = table();
    let mut count = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if is_markup[b as usize] {
            count += 1;
            if count > max {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_markup_not_text() {
        assert_eq!(over("plain words, and more words", 0), None);
        assert_eq!(over("a|b|c", 1), Some(3));
        assert_eq!(over("*a*\n", 3), None);
        assert_eq!(over("*a*\n", 2), Some(3));
        assert_eq!(over("é|日|", 1), Some(6));
        assert_eq!(over(&"| a ".repeat(10), 9), Some(36));
        assert_eq!(over("> > - 1. x", 3), Some(7));
    }
}
