//! Azure Static Web Apps: `staticwebapp.config.json` from `[azure]` and the
//! alias redirects, the checks its schema does not make, the quotas of a
//! deployment, and the GitHub Actions workflow `syllabus init` writes.
//!
//! In: [`Config`] and the redirects from `site_files::aliases`; out: the
//! file's text and [`Diagnostic`]s. Only [`check_quota`] reads the disk.

pub mod checks;
pub mod config_file;
pub mod csp;
pub mod quota;

use std::path::Path;

pub use config_file::FILE_NAME as CONFIG_FILE;

use crate::diagnostics::Diagnostic;
use crate::model::Redirect;
use crate::model::azure::AzureConfig;
use crate::model::config::Config;
use crate::model::rendered::Embeds;

/// The text of `staticwebapp.config.json` for this site, whose pages embed `embeds`.
pub fn config_json(config: &Config, redirects: &[Redirect], embeds: &Embeds) -> String {
    config_file::render(&config.azure, redirects, embeds)
}

/// Problems with `[azure]` and with the file it makes (run by `build` and `check`).
pub fn check(config: &Config, redirects: &[Redirect], embeds: &Embeds) -> Vec<Diagnostic> {
    let mut out = checks::settings(&config.azure);
    let bytes = config_json(config, redirects, embeds).len();
    out.extend(checks::size(bytes, redirects.len(), &config.azure));
    out
}

/// What all the pages embed together.
pub fn site_embeds<'a>(pages: impl IntoIterator<Item = &'a Embeds>) -> Embeds {
    let mut all = Embeds::default();
    for page in pages {
        all.add(page);
    }
    all
}

/// A warning for each page whose images, media, frames, `style` attributes,
/// scripts or `<style>` elements the published Content-Security-Policy
/// blocks. When syllabus fits the policy to the pages, only scripts and
/// `<style>` elements can be left blocked. `pages` are (file, embeds).
pub fn check_pages<'a>(
    config: &Config,
    pages: impl IntoIterator<Item = (&'a str, &'a Embeds)>,
) -> Vec<Diagnostic> {
    let pages: Vec<(&str, &Embeds)> = pages.into_iter().collect();
    let site = site_embeds(pages.iter().map(|(_, e)| *e));
    let headers = config_file::global_headers(&config.azure, &site);
    let Some(policy) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Security-Policy"))
        .map(|(_, v)| csp::Policy::parse(v))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (file, embeds) in pages {
        let blocked = csp::blocked(&policy, embeds);
        if blocked.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::warning(
                crate::diagnostics::Code::CspBlocksPage,
                file,
                format!(
                    "on Azure, the site's Content-Security-Policy blocks this page's {}",
                    blocked.join("; ")
                ),
            )
            .with_help(if config_file::fits_policy_to_pages(&config.azure) {
                "syllabus never allows scripts or `<style>` elements by itself: move inline code \
                 into files under `static/`, or, if you trust them, add sources to `[azure.csp]` \
                 (such as `script-src = [\"https://cdn.example.org\"]`)"
            } else {
                "add the origins to `[azure.csp]` (such as `img-src = [\"https://img.example.org\"]`), \
                 or let syllabus add what pages embed: `[azure] csp_from_pages = true` and no \
                 `Content-Security-Policy` in `[azure.headers]`"
            }),
        );
    }
    out
}

/// Quota problems of the site written in `dir` (files and bytes of one deployment).
pub fn check_quota(azure: &AzureConfig, dir: &Path) -> Vec<Diagnostic> {
    quota::check(azure, &quota::measure(dir))
}
