//! The stable code of every kind of problem (`E051`, `W060`).
//!
//! A code names the kind of problem, not its wording: users search for it,
//! CI logs and scripts match on it, and `docs/diagnostics.md` explains each
//! one. So a code is never renumbered or reused, even when its problem is
//! no longer reported. `E` codes are problems reported as errors by default,
//! `W` codes as warnings; a problem whose severity is configurable keeps its
//! one code at either severity.
//!
//! Codes are numbered in blocks by the stage that finds the problem (below);
//! a new code takes the next free number of its block, or, when the block is
//! full, the next free number from 100 up.

use serde::Serialize;

/// Declares [`Code`], its ids and [`Code::ALL`] from one list, so a new code is one line.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $id:literal,)*) => {
        /// The kind of a [`super::Diagnostic`], shown as its id (`E051`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in the order of the list.
            pub const ALL: &[Code] = &[$(Code::$name,)*];

            /// The id users see: `E` or `W` and three digits.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$name => $id,)*
                }
            }
        }
    };
}

codes! {
    // 001–009: configuration (syllabus.toml, nav, theme choice).
    /// No `syllabus.toml` in the project folder.
    ConfigMissing = "E001",
    /// `syllabus.toml` is not valid TOML.
    InvalidToml = "E002",
    /// A key of `syllabus.toml` that syllabus does not know.
    UnknownConfigKey = "E003",
    /// A known key of `syllabus.toml` with a value syllabus cannot use.
    InvalidConfigValue = "E004",
    /// `nav` lists a page that is not in the build.
    NavMissingPage = "E005",
    /// `theme` names no folder of `themes/`.
    ThemeNotFound = "E006",
    /// `[highlight]` names a colour theme that does not exist.
    UnknownHighlightTheme = "E007",
    /// `timezone` names no IANA time zone.
    UnknownTimeZone = "E008",
    /// A `[schedule]` rule that cannot date the sessions.
    InvalidSchedule = "E009",

    // 010–019: files of the project (content folder, templates, static files).
    /// A file or folder cannot be read.
    UnreadableFile = "E010",
    /// A file's text is not UTF-8.
    NotUtf8 = "E011",
    /// The content folder is missing or not a folder.
    ContentFolderMissing = "E012",
    /// The content folder has no pages.
    NoPages = "E013",
    /// A symbolic link leads outside the project.
    LinkOutsideProject = "E014",
    /// A file name no URL can reach.
    InvalidFileName = "E015",
    /// Two pages would be published at the same URL.
    PageClash = "E016",
    /// Two index pages in one folder.
    TwoIndexPages = "E017",
    /// Safe mode refuses a file a browser would run.
    UnsafeFile = "E018",
    /// A page without content.
    EmptyPage = "W010",

    // 020–029: front matter.
    /// Front matter that is opened and never closed.
    UnclosedFrontMatter = "E020",
    /// Front matter that is not valid YAML or TOML.
    InvalidFrontMatter = "E021",
    /// A YAML value holding an unquoted `: `.
    UnquotedColon = "E022",
    /// A front matter key with a value of the wrong type.
    FrontMatterType = "E023",
    /// A front matter `date` or `end` that is not a date.
    InvalidDate = "E024",
    /// A session with both `end` and `duration`.
    EndAndDuration = "E025",
    /// A front matter `duration` that is no length of time.
    InvalidDuration = "E026",
    /// A front matter `online` that is no web address.
    InvalidOnlineUrl = "E027",
    /// A front matter key that syllabus does not know.
    UnknownFrontMatterKey = "W020",
    /// A session's `end` that is left out: before its start, or a day for a timed session.
    SessionEndIgnored = "W021",

    // 030–039: Jupyter notebooks.
    /// A notebook (or one of its cells or outputs) that is not valid.
    InvalidNotebook = "E030",
    /// A notebook of a format other than nbformat 4.
    UnsupportedNotebookFormat = "E031",
    /// A cell or output of a type that is not known.
    UnknownNotebookType = "W030",
    /// An image output left out.
    NotebookImageDropped = "W031",
    /// A link to a cell attachment that the cell does not have.
    MissingAttachment = "W032",

    // 040–059: Markdown.
    /// A page with more markup than one page may have.
    TooMuchMarkup = "E040",
    /// A teaching block (`::: challenge`) that is never closed.
    UnclosedTeachingBlock = "E041",
    /// A closing `:::` line with no open teaching block.
    StrayClosingFence = "E042",
    /// An attribute list with attributes syllabus does not set.
    UnsupportedAttribute = "W040",
    /// A code fence whose options cannot be read.
    InvalidFenceInfo = "W041",
    /// Elements nested too deep.
    NestingTooDeep = "W042",
    /// A Material for MkDocs icon shortcode.
    MaterialIcon = "W043",
    /// A formula or LaTeX output that cannot be rendered.
    MathNotRendered = "W044",
    /// A tag that is no HTML element.
    UnknownHtmlElement = "W045",
    /// Safe mode removed a link with a harmful scheme.
    UnsafeLinkRemoved = "W046",
    /// A pymdownx.snippets include.
    SnippetInclude = "W047",
    /// A code block in a language that cannot be highlighted.
    UnknownLanguage = "W048",
    /// A second page that says it is the glossary.
    SecondGlossary = "W049",
    /// A fenced div whose class is no class of teaching block.
    UnknownTeachingClass = "W050",

    // 060–069: links.
    /// A link to a page or file that is not in the build.
    BrokenLink = "E060",
    /// A link to an anchor that its page does not have.
    MissingAnchor = "E061",
    /// A link into the glossary to a term it does not define.
    MissingGlossaryTerm = "E062",
    /// A page that no link and no `nav` entry leads to.
    OrphanPage = "W060",
    /// A relative link that GitHub and MkDocs read differently.
    AmbiguousLink = "W061",
    /// A link with an empty target.
    EmptyLink = "W062",
    /// A glossary term that no page uses.
    UnusedGlossaryTerm = "W063",

    // 070–079: templates.
    /// A template that does not exist.
    MissingTemplate = "E070",
    /// A template that cannot be read or rendered.
    TemplateError = "E071",

    // 080–099: generated files and Azure Static Web Apps.
    /// An alias that is no usable URL path.
    InvalidAlias = "E080",
    /// Two outputs that need the same place in the site.
    OutputClash = "E081",
    /// An `[azure.mime_types]` entry that is not valid.
    InvalidMimeType = "E082",
    /// An `[azure] routes` rule that Azure would refuse.
    InvalidRoute = "E083",
    /// An `[azure]` header that is not valid.
    InvalidHeader = "E084",
    /// An `[azure.csp]` entry that is not valid.
    InvalidCsp = "E085",
    /// `staticwebapp.config.json` over Azure's 20 KB.
    AzureConfigTooLarge = "E086",
    /// `staticwebapp.config.json` near Azure's 20 KB.
    AzureConfigNearLimit = "W080",
    /// The site over a quota of its Azure plan.
    QuotaExceeded = "W081",
    /// The site near a quota of its Azure plan.
    QuotaNear = "W082",
    /// A page whose scripts, handlers, styles or embeds the site's Content-Security-Policy blocks.
    CspBlocksPage = "W083",
    /// The highlight cache cannot be saved.
    CacheNotSaved = "W090",

    // 100–109: importing lessons (`import carpentries`). Importing has no
    // block of its own above, so it takes the first numbers from 100 up.
    /// No Carpentries lesson in the folder given to `import carpentries`.
    NoLesson = "E100",
    /// A lesson's `config.yaml` or `_config.yml` that is not valid YAML.
    InvalidLessonYaml = "E101",
    /// A lesson's `config.yaml` that is no mapping, or a setting in it of the wrong type.
    LessonConfigType = "E102",
    /// A page that a lesson's `config.yaml` lists and that does not exist.
    LessonPageMissing = "E103",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let id = code.id();
            let (letter, digits) = id.split_at(1);
            assert!(matches!(letter, "E" | "W"), "{code:?}: `{id}`");
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{code:?}: `{id}`"
            );
            assert!(seen.insert(id), "{code:?}: `{id}` is used twice");
        }
    }

    #[test]
    fn ids_are_in_order_within_each_letter() {
        for letter in ["E", "W"] {
            let ids: Vec<&str> = Code::ALL
                .iter()
                .map(|c| c.id())
                .filter(|id| id.starts_with(letter))
                .collect();
            assert!(ids.is_sorted(), "{letter} codes out of order: {ids:?}");
        }
    }

    /// docs/diagnostics.md has one row per code, and no row for a code that does not exist.
    #[test]
    fn the_docs_table_lists_every_code_once() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let text = std::fs::read_to_string(path).expect("docs/diagnostics.md");
        let rows: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
            .filter(|id| {
                let mut chars = id.chars();
                matches!(chars.next(), Some('E' | 'W'))
                    && chars.next().is_some_and(|c| c.is_ascii_digit())
            })
            .collect();
        for code in Code::ALL {
            let n = rows.iter().filter(|id| **id == code.id()).count();
            assert_eq!(n, 1, "{code:?} (`{}`) has {n} rows in the table", code.id());
        }
        let known: HashSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let unknown: Vec<_> = rows.iter().filter(|id| !known.contains(**id)).collect();
        assert!(unknown.is_empty(), "rows for no code: {unknown:?}");
    }
}
