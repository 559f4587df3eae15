//! Course order: weight first, then file name in natural order (`session_2` before `session_10`).

use std::cmp::Ordering;

use crate::model::{Course, PageId, SectionId};

/// Natural order of names: digit runs compare as numbers, letters case-insensitively.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (n, rest_x) = split_digits(x);
                let (m, rest_y) = split_digits(y);
                let (n_trim, m_trim) = (trim_zeros(n), trim_zeros(m));
                let ord = n_trim
                    .len()
                    .cmp(&m_trim.len())
                    .then_with(|| n_trim.cmp(m_trim));
                if ord != Ordering::Equal {
                    return ord;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                let ord = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s.split_at(n)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| **c == b'0').count();
    &s[n.min(s.len().saturating_sub(1))..]
}

/// Weighted items first by weight, then unweighted ones; ties by natural name order.
fn by_weight_then_name(a: (Option<i64>, &str), b: (Option<i64>, &str)) -> Ordering {
    let key = |w: Option<i64>| (w.is_none(), w.unwrap_or(0));
    key(a.0).cmp(&key(b.0)).then_with(|| natural_cmp(a.1, b.1))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Sorts every section's pages and subsections, then lists all pages in reading order.
pub(super) fn sort_course(course: &mut Course) {
    for id in 0..course.sections.len() {
        let mut pages = std::mem::take(&mut course.sections[id].pages);
        pages.sort_by(|&a, &b| {
            let (pa, pb) = (&course.pages[a], &course.pages[b]);
            by_weight_then_name(
                (pa.front.weight, file_name(&pa.source)),
                (pb.front.weight, file_name(&pb.source)),
            )
        });
        course.sections[id].pages = pages;
        let mut subs = std::mem::take(&mut course.sections[id].subsections);
        subs.sort_by(|&a, &b| {
            by_weight_then_name(
                (course.section_weight(a), file_name(&course.sections[a].dir)),
                (course.section_weight(b), file_name(&course.sections[b].dir)),
            )
        });
        course.sections[id].subsections = subs;
    }
    let mut order = Vec::with_capacity(course.pages.len());
    walk(course, 0, &mut order);
    course.order = order;
}

fn walk(course: &Course, id: SectionId, order: &mut Vec<PageId>) {
    let s = &course.sections[id];
    order.extend(s.index);
    order.extend(&s.pages);
    for &sub in &s.subsections {
        walk(course, sub, order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec![
            "session_10",
            "session_2",
            "Session_1",
            "intro",
            "session_02b",
            "a10b",
            "a9c",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "a9c",
                "a10b",
                "intro",
                "Session_1",
                "session_2",
                "session_02b",
                "session_10"
            ]
        );
    }

    #[test]
    fn weighted_before_unweighted() {
        let mut items = vec![
            (None, "a"),
            (Some(20), "b"),
            (Some(10), "c"),
            (Some(10), "a2"),
            (None, "0"),
        ];
        items.sort_by(|x, y| by_weight_then_name(*x, *y));
        assert_eq!(
            items,
            [
                (Some(10), "a2"),
                (Some(10), "c"),
                (Some(20), "b"),
                (None, "0"),
                (None, "a")
            ]
        );
    }
}
