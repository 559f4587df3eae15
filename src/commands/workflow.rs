//! The GitHub Actions workflow `syllabus init` writes to a course repository:
//! build with syllabus, upload the prebuilt folder to Azure Static Web Apps
//! (no Oryx build), a preview per pull request, the close job, and a
//! `syllabus check` job that annotates pull requests.
//!
//! syllabus itself comes from its release on PyPI (the wheel carries the
//! prebuilt binary: seconds, no Rust), pinned to the version that ran `init`;
//! `SYLLABUS_INSTALL: "source"` in the workflow compiles it instead.

/// Where `init` writes the workflow.
pub const PATH: &str = ".github/workflows/azure-static-web-apps.yml";

/// The Python package whose wheels carry the released binary.
pub const PYPI_PACKAGE: &str = "syllabus-ssg";

/// How the workflow gets syllabus (`SYLLABUS_INSTALL` in the workflow).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Install {
    /// The released binary, from the wheel on PyPI.
    #[default]
    Release,
    /// Compiled with `cargo install` from crates.io: minutes on a cache miss,
    /// for a runner no release has a binary for.
    Source,
}

impl Install {
    /// The value of `SYLLABUS_INSTALL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Install::Release => "release",
            Install::Source => "source",
        }
    }
}

/// Where `init` writes the workflow linter's policy.
pub const ZIZMOR_PATH: &str = ".github/zizmor.yml";

/// Policy for the zizmor workflow linter: GitHub's and Azure's own actions are
/// pinned by their release tag, as their documentation does; anything else
/// added later must be pinned by commit hash.
pub const ZIZMOR_POLICY: &str =
    "# Policy for the zizmor GitHub Actions linter (`zizmor .github/workflows/`).
# GitHub's and Azure's own actions are pinned by release tag, as their
# documentation does; any other action must be pinned by commit hash.
rules:
  unpinned-uses:
    config:
      policies:
        actions/*: ref-pin
        Azure/static-web-apps-deploy: ref-pin
        \"*\": hash-pin
";

/// The repository secret holding the Static Web App's deployment token.
pub const TOKEN_SECRET: &str = "AZURE_STATIC_WEB_APPS_API_TOKEN";

/// The steps both jobs install syllabus with (written once, so that they stay the same).
const INSTALL: &str = r#"      # The released syllabus: its wheel on PyPI carries the prebuilt binary
      # (no compiling; a PyPI release's files can never be replaced).
      - name: Install syllabus
        if: env.SYLLABUS_INSTALL != 'source'
        run: pipx install --pip-args='--only-binary=:all:' "@PACKAGE@==${SYLLABUS_VERSION}"
      # SYLLABUS_INSTALL: "source" compiles it instead (minutes), once per
      # version: the binary is kept between runs.
      - name: Restore syllabus compiled from source
        if: env.SYLLABUS_INSTALL == 'source'
        id: syllabus-bin
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/syllabus
          key: syllabus-bin-${{ runner.os }}-${{ env.SYLLABUS_VERSION }}
      - name: Compile syllabus from source
        if: env.SYLLABUS_INSTALL == 'source' && steps.syllabus-bin.outputs.cache-hit != 'true'
        run: cargo install --locked --version "${SYLLABUS_VERSION}" syllabus
      - name: Show the syllabus build
        run: syllabus --version"#;

const TEMPLATE: &str = r#"# Publishes this course on Azure Static Web Apps.
#
# - A push to main builds the site with syllabus and deploys it.
# - Each pull request gets its own preview site (the deploy action comments its
#   URL on the pull request), updated on every push and removed on close.
# - Pull requests from forks are built and checked but not deployed: GitHub
#   gives them no secrets.
# - `syllabus check` annotates broken links on the lines of a pull request.
# - syllabus is installed from its release (the wheel on PyPI carries the
#   binary), at the version pinned below.
# - The cache of highlighted code (and a syllabus compiled from source) is
#   kept between runs (actions/cache). GitHub scopes a cache written by a pull
#   request to that pull request, so no pull request, even from a fork, can
#   change the binary or the highlighted HTML that main's builds restore.
#
# Setup: create a Static Web App in the Azure portal with deployment source
# "Other", copy its deployment token, and add it to this repository as the
# Actions secret @TOKEN@.
name: Azure Static Web Apps

on:
  push:
    branches: [main]
  pull_request:
    types: [opened, synchronize, reopened, closed]
    branches: [main]

permissions:
  contents: read

concurrency:
  group: azure-static-web-apps-${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

env:
  # The syllabus release that builds this course; raise it to upgrade.
  SYLLABUS_VERSION: "@VERSION@"
  # "release": install its prebuilt binary (seconds). "source": compile it
  # with cargo (minutes, then cached), for runners without a release binary.
  SYLLABUS_INSTALL: "@INSTALL_FROM@"

jobs:
  check:
    name: Check links and content
    if: github.event.action != 'closed'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
@INSTALL@
      - name: Check
        run: syllabus check
        env:
          GITHUB_ACTIONS: "true"

  build_and_deploy:
    name: Build and deploy
    if: github.event.action != 'closed'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write # the deploy action comments the preview URL
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
@INSTALL@
      # Highlighting code is slow, and syllabus reuses blocks it highlighted
      # before. The cache is content-addressed, so stale entries are harmless:
      # when pages changed, the newest earlier cache is restored.
      - name: Restore the cache of highlighted code
        uses: actions/cache@v4
        with:
          path: .syllabus-cache
          key: syllabus-highlight-${{ env.SYLLABUS_VERSION }}-${{ hashFiles('**/*.md') }}
          restore-keys: syllabus-highlight-${{ env.SYLLABUS_VERSION }}-
      - name: Build
        run: syllabus build
      - name: Deploy
        # Pull requests from forks get no secrets: built above, not deployed.
        if: github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository
        uses: Azure/static-web-apps-deploy@v1
        with:
          azure_static_web_apps_api_token: ${{ secrets.@TOKEN@ }}
          repo_token: ${{ secrets.GITHUB_TOKEN }}
          action: upload
          app_location: @OUTPUT@
          output_location: ""
          api_location: ""
          skip_app_build: true
          skip_api_build: true

  close:
    name: Remove the preview
    if: github.event_name == 'pull_request' && github.event.action == 'closed' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - name: Close the pull request's environment
        uses: Azure/static-web-apps-deploy@v1
        with:
          azure_static_web_apps_api_token: ${{ secrets.@TOKEN@ }}
          action: close
"#;

/// The workflow text for a course whose site is built into `output` (relative
/// to the repository root), installing syllabus as `install` says.
pub fn course_workflow(output: &str, install: Install) -> String {
    TEMPLATE
        .replace("@INSTALL@", INSTALL)
        .replace("@TOKEN@", TOKEN_SECRET)
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@INSTALL_FROM@", install.as_str())
        .replace("@PACKAGE@", PYPI_PACKAGE)
        .replace("@OUTPUT@", &yaml_string(output))
}

/// A YAML scalar for a folder name: plain when safe, double-quoted otherwise.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./".contains(&b))
        && !s.starts_with(['-', '.']);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "public".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_placeholder() {
        let text = course_workflow("public", Install::Release);
        for placeholder in [
            "@INSTALL@",
            "@TOKEN@",
            "@VERSION@",
            "@INSTALL_FROM@",
            "@PACKAGE@",
            "@OUTPUT@",
        ] {
            assert!(
                !text.contains(placeholder),
                "{placeholder} left in:\n{text}"
            );
        }
        assert!(text.contains("app_location: public\n"));
        assert!(text.contains(&format!(
            "SYLLABUS_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(text.contains("SYLLABUS_INSTALL: \"release\"\n"));
        let source = course_workflow("site out", Install::Source);
        assert!(source.contains("app_location: \"site out\"\n"));
        assert!(source.contains("SYLLABUS_INSTALL: \"source\"\n"));
    }
}
