//! The site in memory: the results of stages 1–4, and the rendering of each
//! document from them. `build` renders everything once; `serve` keeps a
//! [`Site`] and a [`RenderCache`] between rebuilds and re-renders only the
//! pages whose [`Site::page_fingerprint`] changed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{BuildOptions, load_config};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::links::{LinkGraph, build_graph, unused_terms};
use crate::load::{self, LoadOptions};
use crate::markdown::{self, Highlighter, MarkdownInput, RenderContext};
use crate::model::config::{BrokenLinks, Config, InvalidFrontMatter};
use crate::model::{Course, Glossary, Page, PageId, PageKind, Redirect, RenderedPage, UrlIndex};
use crate::outputs::site_files;
use crate::theme::{self, PageInput, Theme};

/// Everything known about the site before templates run.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub theme: Theme,
    pub course: Course,
    pub index: UrlIndex,
    /// `rendered[i]` is the Markdown of `course.pages[i]`.
    pub rendered: Vec<RenderedPage>,
    pub graph: LinkGraph,
    pub redirects: Vec<Redirect>,
    /// The navigation tree every page shows.
    pub nav: Vec<theme::NavItem>,
    /// The course overview any template may show (`overview`).
    pub overview: theme::Overview,
    /// Whether sessions get an all-in-one page for printing: the course has
    /// teaching blocks and the theme a `session_print.html`.
    pub print_pages: bool,
    /// The course's `timezone`, when set: session times are read in it.
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// The sessions' own pages, in course order (from the overview).
    pub sessions: Vec<PageId>,
    /// The links to `calendar.ics` and the schedule page every page shows,
    /// when the course has a dated session.
    pub calendar: Option<crate::outputs::calendar::Links>,
    nav_trails: HashMap<String, Vec<String>>,
    highlighter: Arc<Highlighter>,
    /// With a [`RenderCache`]: a hash of what each page's Markdown was rendered
    /// from (same hash, same HTML), cheaper to fingerprint than the HTML. Else empty.
    markdown_sources: Vec<u64>,
    /// The course's glossary, whose definitions are one generated file.
    glossary: Option<Glossary>,
}

/// Rendered Markdown kept between rebuilds, valid while the URL index and options stay the same,
/// and the highlighter, kept while the highlight settings stay the same (its syntaxes compile once).
///
/// A load moves the pages it can reuse out of the cache into the [`Site`], so
/// that no page is copied; give the site back with [`RenderCache::keep`] when
/// done with it. (A load that fails puts them back itself.)
#[derive(Default)]
pub struct RenderCache {
    key: u64,
    /// Page source → (what its Markdown was rendered from, the result).
    pages: HashMap<String, (u64, RenderedPage)>,
    highlighter: Option<(u64, Arc<Highlighter>)>,
}

impl RenderCache {
    /// Takes back the rendered Markdown of a site loaded with this cache, for the next load.
    pub fn keep(&mut self, site: Site) {
        self.store(site.course.pages, site.rendered, site.markdown_sources);
    }

    fn store(&mut self, pages: Vec<Page>, rendered: Vec<RenderedPage>, sources: Vec<u64>) {
        if sources.len() != rendered.len() {
            return;
        }
        for ((page, rendered), source) in pages.into_iter().zip(rendered).zip(sources) {
            self.pages.insert(page.source, (source, rendered));
        }
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Site {
    /// Runs stages 1–4. `Err` holds every problem when any is an error; `Ok` the site and its warnings.
    pub fn load(
        options: &BuildOptions,
        cache: Option<&mut RenderCache>,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut cache = cache;
        let config = load_config(options)?;
        let content_name = config.content_dir.to_string_lossy().replace('\\', "/");
        let load_options = LoadOptions {
            include_drafts: options.drafts,
            project_root: Some(options.root.clone()),
            invalid_front_matter: match config.markdown.invalid_front_matter {
                InvalidFrontMatter::Error => Severity::Error,
                InvalidFrontMatter::Warn => Severity::Warning,
            },
            exclude: load::excluded(&config),
            r_markdown: config.markdown.r_markdown,
            link_definitions: load::link_definitions(&options.root, &config)?,
        };
        // Git runs while the content is read.
        let content_dir = options.root.join(&config.content_dir);
        let git_dates =
            std::thread::spawn(move || load::git_dates::last_commit_dates(&content_dir));
        let (mut course, mut diags) = load::load(
            &options.root.join(&config.content_dir),
            &content_name,
            &load_options,
        );
        if !config.markdown.unsafe_html {
            diags.extend(load::active::check(&course));
        }
        let dates = git_dates.join().unwrap_or_default();
        for page in &mut course.pages {
            page.updated = dates.get(&page.source).cloned();
        }
        let config_text =
            std::fs::read_to_string(options.root.join(crate::model::config::FILE_NAME))
                .unwrap_or_default();
        if let Some(entries) = &config.nav {
            diags.extend(load::nav::apply(&mut course, entries, &config_text));
        }
        let (schedule, schedule_diags) = load::schedule::read(&config, &config_text);
        diags.extend(schedule_diags);
        let mut theme = match Theme::load(&options.root, &config) {
            Ok(t) => t,
            Err(d) => return Err(diags.into_iter().chain(d).collect()),
        };
        // Errors so far (front matter, clashing files) do not stop here: every
        // page that could be read is rendered, so that one run reports them all.
        let index = UrlIndex::new(
            &course,
            &config.base_path(),
            theme.static_files.keys().cloned().collect(),
        );
        let block_cache = (!options.no_cache).then(|| options.root.join(super::CACHE_FILE));
        let highlighter = if options.validate_only {
            Arc::new(Highlighter::validating(&config.highlight))
        } else {
            highlighter_for(&config, block_cache, cache.as_deref_mut())
        };
        let severity = match config.links.broken {
            BrokenLinks::Error => Severity::Error,
            BrokenLinks::Warn => Severity::Warning,
        };
        let (glossary, glossary_diags) =
            markdown::glossary::read(&course, &index, markdown::parser_options(&config.markdown));
        diags.extend(glossary_diags);
        let glossary = glossary.map(markdown::GlossaryLinks::new);
        let ctx = RenderContext {
            index: &index,
            highlighter: &highlighter,
            options: &config.markdown,
            broken: severity,
            relative_to: config.links.relative_to,
            glossary: glossary.as_ref(),
        };
        let (rendered, markdown_sources) = render_markdown(&course, &ctx, cache.as_deref_mut());
        // Everything later reads the rendered pages; the sources would only hold
        // memory (a tenth of a 10,000-page build's peak).
        for page in &mut course.pages {
            page.body = String::new();
        }
        diags.extend(unknown_language_warnings(&course, &rendered));
        for r in &rendered {
            diags.extend(r.diagnostics.iter().cloned());
        }
        let glossary = glossary.map(|g| g.glossary);
        let (graph, link_diags) = build_graph(&course, &rendered, severity, glossary.as_ref());
        diags.extend(link_diags);
        if let Some(g) = &glossary {
            diags.extend(unused_terms(&course, &rendered, g));
        }
        let (redirects, alias_diags) =
            site_files::aliases_and_clashes(&course, &index, &rendered, &content_name);
        diags.extend(alias_diags);
        diags.extend(super::teaching::instructor_clashes(&course, &rendered));
        if diags.iter().any(Diagnostic::is_error) {
            if let Some(cache) = cache {
                cache.store(course.pages, rendered, markdown_sources);
            }
            return Err(diags);
        }
        let nav = theme::nav_tree(&course, &index);
        let nav_trails = theme::nav_trails(&nav);
        let overview = theme::overview(&course, &index);
        let sessions: Vec<Option<PageId>> = overview.sessions.iter().map(|s| s.page).collect();
        diags.extend(load::schedule::apply(&mut course, &sessions, &schedule));
        let calendar = sessions
            .iter()
            .flatten()
            .any(|&p| course.pages[p].front.date.is_some())
            .then(|| {
                let own = course.pages.iter().any(|p| p.url_path == "schedule/")
                    || theme
                        .static_files
                        .contains_key(crate::outputs::calendar::SCHEDULE_FILE);
                crate::outputs::calendar::links(
                    &config,
                    theme.has_template("schedule.html") && !own,
                )
            });
        theme.set_globals(globals(&config, &nav, &overview, calendar.as_ref()));
        let print_pages =
            theme.has_template("session_print.html") && rendered.iter().any(|r| r.has_teaching);
        let site = Site {
            print_pages,
            nav,
            overview,
            nav_trails,
            root: options.root.clone(),
            config,
            theme,
            course,
            index,
            rendered,
            markdown_sources,
            glossary,
            graph,
            redirects,
            highlighter,
            time_zone: schedule.time_zone,
            sessions: sessions.into_iter().flatten().collect(),
            calendar,
        };
        Ok((site, diags))
    }

    pub fn page_input(&self) -> PageInput<'_> {
        PageInput {
            config: &self.config,
            course: &self.course,
            index: &self.index,
            rendered: &self.rendered,
            graph: &self.graph,
            nav_trails: &self.nav_trails,
            print_pages: self.print_pages,
            time_zone: self.time_zone.as_ref(),
            sessions: &self.sessions,
        }
    }

    /// The template a page is rendered with.
    pub fn template_for(&self, id: PageId) -> &str {
        let page = &self.course.pages[id];
        match &page.front.template {
            Some(t) => t,
            None if page.kind == PageKind::SlideDeck && self.theme.has_template("slides.html") => {
                "slides.html"
            }
            None if page.is_index && page.section == 0 => "index.html",
            None if page.is_index => "section.html",
            None => "page.html",
        }
    }

    /// Where a page's document goes, relative to the output root.
    pub fn page_path(&self, id: PageId) -> String {
        format!("{}index.html", self.course.pages[id].url_path)
    }

    /// One page through its template.
    pub fn render_page(&self, id: PageId) -> Result<String, Diagnostic> {
        if self.course.pages[id].kind == PageKind::HtmlDocument {
            return Ok(self.rendered[id].html.clone());
        }
        let context = theme::page_context(&self.page_input(), id);
        self.theme.render(
            self.template_for(id),
            &context,
            Some(&self.course.pages[id].file),
        )
    }

    /// The schedule page: the sessions by week (`schedule.html`).
    fn render_schedule(&self) -> Result<String, String> {
        let view = theme::schedule_view(
            &self.course,
            &self.index,
            &self.sessions,
            self.time_zone.as_ref(),
        );
        let mut context = tera::Context::new();
        context.insert("schedule", &view);
        self.theme
            .render("schedule.html", &context, None)
            .map_err(|d| d.to_string())
    }

    /// What all pages load from other sites, for the Content-Security-Policy.
    pub fn embeds(&self) -> crate::model::rendered::Embeds {
        crate::outputs::azure::site_embeds(self.rendered.iter().map(|r| &r.embeds))
    }

    pub fn render_not_found(&self) -> Result<String, Diagnostic> {
        self.theme.render("404.html", &tera::Context::new(), None)
    }

    /// Generated files besides pages: redirects, the highlight stylesheet, the
    /// glossary's definitions, the search index, sitemap, feed, robots.txt and `staticwebapp.config.json`.
    /// A static file at the same path is copied after them, and wins.
    pub fn generated_files(&self) -> Result<Vec<(String, Vec<u8>)>, String> {
        let mut files = Vec::new();
        for r in &self.redirects {
            files.push((
                site_files::redirect_file(&r.path),
                site_files::redirect_html(&r.to).into_bytes(),
            ));
        }
        if self.rendered.iter().any(|r| r.has_code) {
            let css = Highlighter::stylesheet(&self.config.highlight).map_err(|e| {
                format!(
                    "{e}\n  help: set `[highlight] light_theme` and `dark_theme` in syllabus.toml"
                )
            })?;
            files.push(("assets/highlight.css".into(), css.into_bytes()));
        }
        if let Some(json) = (self.glossary.as_ref())
            .and_then(|g| crate::outputs::glossary::definitions(g, &self.rendered))
        {
            files.push((crate::outputs::glossary::FILE.into(), json.into_bytes()));
        }
        if self.config.search.enabled {
            files.extend(crate::outputs::search::files(
                &crate::outputs::search::Input {
                    course: &self.course,
                    rendered: &self.rendered,
                    index: &self.index,
                    config: &self.config,
                },
            ));
        }
        files.push((
            crate::outputs::azure::CONFIG_FILE.into(),
            crate::outputs::azure::config_json(&self.config, &self.redirects, &self.embeds())
                .into_bytes(),
        ));
        let origin = self.config.site_origin_url();
        let calendar = crate::outputs::calendar::calendar(&crate::outputs::calendar::Input {
            course: &self.course,
            index: &self.index,
            config: &self.config,
            sessions: &self.sessions,
            time_zone: self.time_zone.as_ref(),
        });
        if let Some(ics) = calendar {
            files.push((crate::outputs::calendar::FILE.into(), ics.into_bytes()));
        }
        if self.calendar.as_ref().is_some_and(|c| c.schedule.is_some()) {
            files.push((
                crate::outputs::calendar::SCHEDULE_FILE.into(),
                self.render_schedule()?.into_bytes(),
            ));
        }
        files.push((
            "sitemap.xml".into(),
            site_files::sitemap(&self.course, &self.index, &origin).into_bytes(),
        ));
        files.push((
            "atom.xml".into(),
            site_files::feed(&self.course, &self.index, &self.config).into_bytes(),
        ));
        // A robots.txt of the course's static/ or theme wins.
        if !self.theme.static_files.contains_key("robots.txt") {
            files.push((
                "robots.txt".into(),
                site_files::robots(&origin).into_bytes(),
            ));
        }
        debug_assert!(
            files[self.redirects.len()..]
                .iter()
                .all(|(path, _)| site_files::FIXED_FILES.contains(&path.as_str())
                    || path.starts_with(crate::outputs::search::DIR)
                    || path == crate::outputs::calendar::SCHEDULE_FILE),
            "a generated file is missing from FIXED_FILES, which aliases must not replace"
        );
        Ok(files)
    }

    /// A hash of what a page's document shows besides the site-wide values:
    /// its own content and metadata, its neighbours, backlinks and breadcrumbs.
    pub fn page_fingerprint(&self, id: PageId) -> u64 {
        let c = &self.course;
        let page = &c.pages[id];
        let title = |p: Option<PageId>| p.map(|p| (&c.pages[p].title, &self.index.urls[p]));
        let mut h = DefaultHasher::new();
        match self.markdown_sources.get(id) {
            Some(source) => source.hash(&mut h),
            None => self.rendered[id].html.hash(&mut h),
        }
        (
            &page.title,
            &page.file,
            &page.front.description,
            &page.front.date,
            (&page.front.end, &page.front.duration),
            (&page.front.location, &page.front.online),
            &page.front.template,
            &page.front.weight,
            page.front.draft,
            page.front.overview,
            (page.front.teaching, page.front.exercises),
            std::mem::discriminant(&page.kind),
        )
            .hash(&mut h);
        serde_json::to_string(&page.front.extra)
            .unwrap_or_default()
            .hash(&mut h);
        (title(self.graph.prev[id]), title(self.graph.next[id])).hash(&mut h);
        for b in &self.graph.backlinks[id] {
            title(Some(b.from)).hash(&mut h);
        }
        let summary = |p: PageId| {
            let front = &c.pages[p].front;
            (
                title(Some(p)),
                &front.description,
                &front.date,
                (front.teaching, front.exercises),
            )
        };
        let mut section = Some(page.section);
        while let Some(s) = section {
            title(c.sections[s].index).hash(&mut h);
            if page.is_index {
                for &p in &c.sections[s].pages {
                    summary(p).hash(&mut h);
                }
                for &sub in &c.sections[s].subsections {
                    c.section_title(sub).hash(&mut h);
                    c.sections[sub].index.map(summary).hash(&mut h);
                    for &p in &c.sections[sub].pages {
                        summary(p).hash(&mut h);
                    }
                }
            }
            section = c.sections[s].parent;
        }
        h.finish()
    }

    /// A hash of the values every page shows: the navigation tree, the config
    /// and the calendar links (the first dated session adds them to every page).
    pub fn site_fingerprint(&self) -> u64 {
        hash_of((
            serde_json::to_string(&self.calendar).unwrap_or_default(),
            serde_json::to_string(&self.nav).unwrap_or_default(),
            serde_json::to_string(&self.overview).unwrap_or_default(),
            toml::to_string(&self.config).unwrap_or_default(),
            self.print_pages,
        ))
    }

    /// The highlighter, shared with incremental re-renders.
    pub fn highlighter(&self) -> &Highlighter {
        &self.highlighter
    }
}

/// A new highlighter, or the cached one when the settings are the same.
fn highlighter_for(
    config: &Config,
    block_cache: Option<PathBuf>,
    cache: Option<&mut RenderCache>,
) -> Arc<Highlighter> {
    let Some(cache) = cache else {
        return Arc::new(Highlighter::new(&config.highlight, block_cache));
    };
    let key = hash_of((
        serde_json::to_string(&config.highlight).unwrap_or_default(),
        &block_cache,
    ));
    match &cache.highlighter {
        Some((k, h)) if *k == key => h.clone(),
        _ => {
            let h = Arc::new(Highlighter::new(&config.highlight, block_cache));
            cache.highlighter = Some((key, h.clone()));
            h
        }
    }
}

fn render_markdown(
    course: &Course,
    ctx: &RenderContext,
    cache: Option<&mut RenderCache>,
) -> (Vec<RenderedPage>, Vec<u64>) {
    let Some(cache) = cache else {
        let rendered = course
            .pages
            .par_iter()
            .map(|p| markdown::render(p, ctx))
            .collect();
        return (rendered, Vec::new());
    };
    let key = ctx.fingerprint();
    if key != cache.key {
        cache.pages.clear();
        cache.key = key;
    }
    // Keyed on everything the renderer reads of a page, which is what `Input` holds.
    let sources: Vec<u64> = course
        .pages
        .par_iter()
        .map(|p| hash_of((key, MarkdownInput::of(p))))
        .collect();
    // Reused pages move out of the cache (copying every page would cost more
    // than rendering one); the site gives them back through `RenderCache::keep`.
    let reused: Vec<Option<RenderedPage>> = course
        .pages
        .iter()
        .zip(&sources)
        .map(|(p, source)| match cache.pages.remove(&p.source) {
            Some((h, r)) if h == *source => Some(r),
            _ => None,
        })
        .collect();
    // A new map, not `clear()`: that keeps the room of the largest site seen.
    cache.pages = HashMap::new();
    let rendered = reused
        .into_par_iter()
        .zip(course.pages.par_iter())
        .map(|(r, p)| r.unwrap_or_else(|| markdown::render(p, ctx)))
        .collect();
    (rendered, sources)
}

/// Site-wide template values, serialised once for all pages.
fn globals(
    config: &Config,
    nav: &[theme::NavItem],
    overview: &theme::Overview,
    calendar: Option<&crate::outputs::calendar::Links>,
) -> tera::Context {
    #[derive(serde::Serialize)]
    struct ConfigView<'a> {
        title: &'a str,
        description: &'a str,
        base_url: String,
        base_path: String,
        repo_url: Option<&'a str>,
        branch: &'a str,
        language: &'a str,
        extra: &'a toml::Table,
        search: bool,
    }
    let mut ctx = tera::Context::new();
    ctx.insert(
        "config",
        &ConfigView {
            title: &config.title,
            description: &config.description,
            base_url: config.site_origin_url(),
            base_path: config.base_path(),
            repo_url: config.repo_url.as_deref(),
            branch: &config.branch,
            language: &config.language,
            extra: &config.extra,
            search: config.search.enabled,
        },
    );
    if let Some(calendar) = calendar {
        ctx.insert("calendar", calendar);
    }
    ctx.insert("nav_size", &theme::nav_size(nav));
    ctx.insert("nav", nav);
    ctx.insert("overview", overview);
    ctx.insert(
        "generator",
        &format!("syllabus {}", env!("CARGO_PKG_VERSION")),
    );
    ctx
}

/// One warning per unknown code language, at its first use.
fn unknown_language_warnings(course: &Course, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, (usize, &str)> = HashMap::new();
    for &p in &course.order {
        for lang in &rendered[p].unknown_languages {
            seen.entry(lang).or_insert((0, &course.pages[p].file)).0 += 1;
        }
    }
    let mut out: Vec<Diagnostic> = seen
        .into_iter()
        .map(|(lang, (count, file))| {
            Diagnostic::warning(Code::UnknownLanguage, file, format!("no syntax highlighting for language `{lang}` ({count} block(s)); shown as plain text"))
                .with_help("check the spelling after the opening ```, or leave it empty for plain text")
        })
        .collect();
    out.sort_by(|a, b| a.message.cmp(&b.message));
    out
}
