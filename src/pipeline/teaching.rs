//! The teaching pages of a [`Site`]: each page's copy in the instructor view,
//! the key points page and the sessions' all-in-one pages for printing, and
//! the check that no page of the course sits where the instructor view goes.

use std::collections::HashSet;

use super::Site;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Course, PageId, PageKind, RenderedPage};
use crate::theme;

impl Site {
    /// Whether the site has an instructor view: some page has an `instructor` block.
    pub fn has_instructor_view(&self) -> bool {
        self.rendered.iter().any(|r| r.instructor.is_some())
    }

    /// Where a page's copy in the instructor view goes, relative to the output root.
    pub fn instructor_page_path(&self, id: PageId) -> String {
        format!(
            "{}{}index.html",
            theme::INSTRUCTOR_DIR,
            self.course.pages[id].url_path
        )
    }

    /// Every page's URL, for [`Site::render_instructor_page`].
    pub fn page_urls(&self) -> HashSet<&str> {
        self.index.urls.iter().map(String::as_str).collect()
    }

    /// A page's copy in the instructor view, through its template (`urls`: [`Site::page_urls`]).
    pub fn render_instructor_page(
        &self,
        id: PageId,
        urls: &HashSet<&str>,
    ) -> Result<String, Diagnostic> {
        let page = &self.course.pages[id];
        let html = if page.kind == PageKind::HtmlDocument {
            self.rendered[id].html.clone()
        } else {
            let context = theme::instructor_page_context(&self.page_input(), id);
            self.theme
                .render(self.template_for(id), &context, Some(&page.file))?
        };
        Ok(theme::to_instructor_links(
            &html,
            &self.index.base_path,
            urls,
        ))
    }

    /// The key points page (path, document), when a page has key points and
    /// the theme has `keypoints.html`.
    pub fn render_keypoints(&self) -> Option<(String, Result<String, Diagnostic>)> {
        if !self.theme.has_template("keypoints.html") {
            return None;
        }
        let context = theme::keypoints_context(&self.course, &self.index, &self.rendered)?;
        let path = format!("{}index.html", theme::KEYPOINTS_PATH);
        Some((path, self.theme.render("keypoints.html", &context, None)))
    }

    /// The sessions' all-in-one pages for printing: (path, document) of each.
    pub fn render_print_pages(&self) -> Vec<(String, Result<String, Diagnostic>)> {
        if !self.print_pages {
            return Vec::new();
        }
        theme::print_contexts(&self.course, &self.index, &self.rendered)
            .into_iter()
            .map(|(path, context)| {
                let html = self.theme.render("session_print.html", &context, None);
                (path, html)
            })
            .collect()
    }
}

/// Pages of the course under `instructor/`, where the instructor view goes (when there is one).
pub(super) fn instructor_clashes(course: &Course, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    if !rendered.iter().any(|r| r.instructor.is_some()) {
        return Vec::new();
    }
    course
        .pages
        .iter()
        .filter(|p| p.url_path.starts_with(theme::INSTRUCTOR_DIR))
        .map(|p| {
            Diagnostic::error(
                Code::OutputClash,
                &p.file,
                format!(
                    "the page's URL is under `/{}`, where the instructor view of the course goes",
                    theme::INSTRUCTOR_DIR
                ),
            )
            .with_help("rename its folder (the course has `instructor` blocks, so syllabus makes an instructor view)")
        })
        .collect()
}
