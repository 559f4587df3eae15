//! What is known about a formula before pulldown-latex reads it: its shape
//! (nesting depth, number of commands, whether it defines macros), for the
//! limits of [`super::to_mathml`], and the input that would make
//! pulldown-latex panic, which is read differently or refused.

use std::borrow::Cow;

/// Expansions pulldown-latex allows per formula (its `MAX_EXPANSION_DEPTH`).
const MAX_EXPANSIONS: usize = 64;
/// Commands that define macros, whose expansion can multiply a formula's commands.
const DEFINITIONS: &[&str] = &[
    "def",
    "gdef",
    "edef",
    "xdef",
    "let",
    "futurelet",
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareMathOperator",
];

/// What [`super::to_mathml`] needs to know before running pulldown-latex.
#[derive(Debug, Default, PartialEq)]
pub struct Shape {
    /// Deepest nesting of groups.
    pub depth: usize,
    /// Control sequences and comments: each may be one level of pulldown-latex's recursion.
    pub commands: usize,
    /// Whether the formula defines macros.
    pub defines: bool,
}

impl Shape {
    /// An upper bound on pulldown-latex's recursion depth: one level per
    /// command, and each of the at most [`MAX_EXPANSIONS`] macro expansions
    /// may bring all of them again.
    pub fn levels(&self) -> usize {
        if self.defines {
            self.commands.saturating_mul(MAX_EXPANSIONS + 1)
        } else {
            self.commands
        }
    }
}

/// Measures a formula in one pass, without parsing it.
pub fn shape(tex: &str) -> Shape {
    let b = tex.as_bytes();
    let (mut shape, mut depth, mut i) = (Shape::default(), 0usize, 0);
    while i < b.len() {
        match b[i] {
            b'\\' => {
                shape.commands += 1;
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                let name = &tex[i + 1..i + 1 + len];
                match name {
                    "left" | "begin" => depth += 1,
                    "right" | "end" => depth = depth.saturating_sub(1),
                    _ if DEFINITIONS.contains(&name) => shape.defines = true,
                    _ => {}
                }
                // `\{`, `\}` and `\\` are one symbol each, not a group.
                i += 1 + len.max(1);
            }
            b'%' => {
                shape.commands += 1;
                i += 1;
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
        shape.depth = shape.depth.max(depth);
    }
    shape
}

/// Unicode white space (no-break space, ideographic space …) as an ASCII
/// space: pulldown-latex skips one byte of a space after a number or a
/// length, which panics inside a wider character. Math ignores spaces.
pub fn wide_spaces_as_spaces(tex: &str) -> Cow<'_, str> {
    if tex.is_ascii() {
        return Cow::Borrowed(tex);
    }
    let wide = |c: char| !c.is_ascii() && c.is_whitespace();
    if !tex.contains(wide) {
        return Cow::Borrowed(tex);
    }
    Cow::Owned(tex.chars().map(|c| if wide(c) { ' ' } else { c }).collect())
}

/// Whether pulldown-latex would panic reading the number of `\char` or of an
/// `alignat` environment: a character that is not ASCII where the number
/// starts (it slices one byte past it), or more than 8 digits (its sum
/// overflows). Through macros the number cannot be seen, so a formula that
/// defines macros and uses either may not have such characters anywhere.
pub fn unreadable_number(tex: &str, shape: &Shape) -> bool {
    let bad_start = |after: &str| {
        let after = after.trim_start();
        let digits = after
            .trim_start_matches(['\'', '"'])
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        after.chars().next().is_some_and(|c| !c.is_ascii()) || digits > 8
    };
    let chars = tex.match_indices("\\char").any(|(at, _)| {
        let after = &tex[at + 5..];
        !after.starts_with(|c: char| c.is_ascii_alphabetic()) && bad_start(after)
    });
    let pairs = ["{alignat}", "{alignat*}", "{alignedat}"]
        .iter()
        .any(|env| {
            tex.match_indices(env).any(|(at, _)| {
                let after = tex[at + env.len()..].trim_start();
                tex[..at].trim_end().ends_with("\\begin")
                    && after
                        .strip_prefix('{')
                        .is_some_and(|arg| bad_start(arg.split('}').next().unwrap_or("")))
            })
        });
    let hidden = shape.defines
        && (tex.contains("\\char") || tex.contains("alignat") || tex.contains("alignedat"))
        && (!tex.is_ascii()
            || tex
                .split(|c: char| !c.is_ascii_digit())
                .any(|d| d.len() > 8));
    chars || pairs || hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = shape("\\frac{a}{\\sqrt{b}} \\{ \\} \\\\ x % c");
        assert_eq!((s.depth, s.commands, s.defines), (2, 6, false));
        let s = shape("\\left( \\begin{matrix} a \\end{matrix} \\right)");
        assert_eq!(s.depth, 3);
        let s = shape("}}}{\\newcommand\\x{y}");
        assert_eq!((s.depth, s.defines), (2, true));
        assert_eq!(s.levels(), 2 * 65);
        let s = shape("\\é\\");
        assert_eq!(s.commands, 2);
    }
}
