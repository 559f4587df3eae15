//! The course: pages, sections, their front matter and the explicit
//! navigation, as loading makes them. Plain data, read by every later stage.

use std::path::PathBuf;

use serde_json::Value;

use super::date::PageDate;

/// Index of a page in [`Course::pages`].
pub type PageId = usize;
/// Index of a section in [`Course::sections`]; 0 is the root.
pub type SectionId = usize;

/// The whole course, before rendering.
#[derive(Debug, Default)]
pub struct Course {
    /// Absolute path of the content folder.
    pub content_dir: PathBuf,
    /// The content folder as the user names it (`content`), for messages.
    pub content_name: String,
    pub pages: Vec<Page>,
    /// Sections; `sections[0]` is the root (the home page's folder).
    pub sections: Vec<Section>,
    /// Source paths (relative to content) of drafts left out of this build.
    pub drafts: Vec<String>,
    /// Non-Markdown files, relative to content, copied next to their pages.
    pub assets: Vec<String>,
    /// Every page in reading order: home, then each section's page, its pages, its
    /// subsections; with an explicit `nav`, the pages it lists in its order.
    pub order: Vec<PageId>,
    /// The explicit navigation from syllabus.toml, when there is one.
    pub nav: Option<Vec<NavNode>>,
}

/// One page: a Markdown file or a Jupyter notebook.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, with `/` separators (`session_x/reading.md`).
    pub source: String,
    /// Path shown to the user (`content/session_x/reading.md`).
    pub file: String,
    /// URL path under the base path, decoded, `""` for home or `session_x/reading/`.
    pub url_path: String,
    pub title: String,
    pub front: FrontMatter,
    pub body: String,
    /// Lines of the file before the body (front matter), to report file lines.
    pub body_line_offset: usize,
    /// The section the page belongs to; for a section's own page, that section.
    pub section: SectionId,
    /// Whether this is its folder's own page (`index.md`, `README.md`, `_index.md`).
    pub is_index: bool,
    pub kind: PageKind,
    /// Date of the file's last Git commit (`YYYY-MM-DD`), when known.
    pub updated: Option<String>,
}

/// What a page's file really holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Markdown,
    /// A whole HTML document saved as `.md`: published as it is, not wrapped in the theme.
    HtmlDocument,
    /// A Marp deck (`marp: true`): one slide per `---`, published as a slide deck.
    SlideDeck,
    /// A Jupyter notebook (`.ipynb`, nbformat 4): `body` is its JSON text; its
    /// cells and saved outputs are shown, nothing is run.
    Notebook,
}

/// A folder of pages.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Folder relative to content (`""` for the root).
    pub dir: String,
    /// The folder's name made readable (`moving_data` → "Moving data"): its
    /// title when it has no page of its own.
    pub label: String,
    /// Its own page, if the folder has one.
    pub index: Option<PageId>,
    /// Its other pages, in course order.
    pub pages: Vec<PageId>,
    /// Its subfolders that hold pages, in course order.
    pub subsections: Vec<SectionId>,
    pub parent: Option<SectionId>,
}

impl Course {
    /// The title of a section: its page's title, or its folder's name made readable.
    pub fn section_title(&self, id: SectionId) -> &str {
        let s = &self.sections[id];
        match s.index {
            Some(p) => &self.pages[p].title,
            None => &s.label,
        }
    }

    /// Whether a section's folder holds a Markdown page itself (not only in
    /// its subfolders): a folder without one is never a session.
    pub fn has_own_pages(&self, id: SectionId) -> bool {
        let s = &self.sections[id];
        s.index.is_some() || !s.pages.is_empty()
    }

    /// The sort weight of a section (its page's weight).
    pub fn section_weight(&self, id: SectionId) -> Option<i64> {
        self.sections[id]
            .index
            .and_then(|p| self.pages[p].front.weight)
    }
}

/// Front matter keys a page may set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    /// A checked date (`2025-01-31`, or with a time of day). On a session's
    /// page, when the session takes place (set from `[schedule]` if not written).
    pub date: Option<PageDate>,
    /// A session's end: a day (the last day of a multi-day session) or a time.
    pub end: Option<PageDate>,
    /// The file line of `end`, for a problem found once `[schedule]` gives the
    /// session its date (0: not written).
    pub end_line: usize,
    /// A session's length, when `end` is not given (`90m`, `2h`, `1h 30m`).
    pub duration: Option<jiff::SignedDuration>,
    /// Where a session takes place (a room, an address).
    pub location: Option<String>,
    /// The URL of a session's online meeting.
    pub online: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    /// `marp: true` marks a Marp slide deck.
    pub marp: bool,
    /// `overview = true` on the home page: the theme shows the course
    /// overview (sessions in course order) above the page's content.
    pub overview: bool,
    /// Minutes of teaching and of exercises (Carpentries' `teaching` and `exercises`).
    pub teaching: Option<u32>,
    pub exercises: Option<u32>,
    /// `glossary = true` marks the glossary page; `glossary = false` keeps a
    /// page out of glossary links (and from being the glossary by its name).
    pub glossary: Option<bool>,
    pub extra: serde_json::Map<String, Value>,
}

/// The longest a session may last, in days: a later `end` is left out of the
/// page and the calendar (and warned about when the front matter is read). A
/// far end would only make `calendar.ics` list every time-zone change up to it.
pub const MAX_SESSION_DAYS: i64 = 366;

impl FrontMatter {
    /// When a timed session that starts at `start` ends: its `end`, or
    /// `start` plus its `duration`; `None` without either, or for an end
    /// that is not after the start or more than [`MAX_SESSION_DAYS`] later.
    pub fn session_end(
        &self,
        start: &jiff::ZonedDateTime,
        tz: &jiff::tz::TimeZone,
    ) -> Option<jiff::ZonedDateTime> {
        let end = match (self.end, self.duration) {
            (Some(end), _) => end.zoned(tz),
            (None, Some(d)) => start.checked_add(d).ok(),
            (None, None) => None,
        };
        let latest = latest_day(start.date());
        end.filter(|e| e.timestamp() > start.timestamp() && e.date() <= latest)
    }

    /// The last day of a session of whole days that starts on `first`: its
    /// `end`, when that is a later day at most [`MAX_SESSION_DAYS`] later.
    pub fn session_last_day(&self, first: jiff::civil::Date) -> Option<jiff::civil::Date> {
        let latest = latest_day(first);
        self.end
            .and_then(|d| d.civil_date())
            .filter(|last| *last > first && *last <= latest)
    }
}

/// The last day a session starting on `first` may end on.
fn latest_day(first: jiff::civil::Date) -> jiff::civil::Date {
    first
        .checked_add(jiff::Span::new().days(MAX_SESSION_DAYS))
        .unwrap_or(first)
}

/// One entry of the explicit navigation.
#[derive(Debug, Clone, PartialEq)]
pub struct NavNode {
    pub title: String,
    pub target: NavTarget,
    pub children: Vec<NavNode>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NavTarget {
    Page(PageId),
    Url(String),
    /// A group of entries without a page of its own.
    Group,
}
