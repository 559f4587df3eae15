//! The GitHub Actions workflow `syllabus init` writes to a course repository:
//! build with syllabus, upload the prebuilt folder to Azure Static Web Apps
//! (no Oryx build), a preview per pull request, the close job, and a
//! `syllabus check` job that annotates pull requests.

/// Where `init` writes the workflow.
pub const PATH: &str = ".github/workflows/azure-static-web-apps.yml";

/// The repository releases of syllabus are installed from (a `v<version>` tag).
pub const SYLLABUS_REPO: &str = "https://github.com/syllabus-ssg/syllabus";

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
const INSTALL: &str = r#"      # Compiling syllabus takes minutes; a release never changes, so its
      # binary is kept between runs and built only when the version is new.
      - name: Restore the syllabus binary
        id: syllabus-bin
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/syllabus
          key: syllabus-bin-${{ runner.os }}-${{ env.SYLLABUS_VERSION }}
      - name: Install syllabus
        if: steps.syllabus-bin.outputs.cache-hit != 'true'
        run: cargo install --locked --git @REPO@ --tag "v${SYLLABUS_VERSION}" syllabus"#;

const TEMPLATE: &str = r#"# Publishes this course on Azure Static Web Apps.
#
# - A push to main builds the site with syllabus and deploys it.
# - Each pull request gets its own preview site (the deploy action comments its
#   URL on the pull request), updated on every push and removed on close.
# - Pull requests from forks are built and checked but not deployed: GitHub
#   gives them no secrets.
# - `syllabus check` annotates broken links on the lines of a pull request.
# - The syllabus binary and its cache of highlighted code are kept between
#   runs (actions/cache). GitHub scopes a cache written by a pull request to
#   that pull request, so no pull request, even from a fork, can change the
#   binary or the highlighted HTML that main's builds restore.
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

/// The workflow text for a course whose site is built into `output` (relative to the repository root).
pub fn course_workflow(output: &str) -> String {
    TEMPLATE
        .replace("@INSTALL@", INSTALL)
        .replace("@TOKEN@", TOKEN_SECRET)
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPO@", SYLLABUS_REPO)
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
        let text = course_workflow("public");
        for placeholder in ["@TOKEN@", "@VERSION@", "@REPO@", "@OUTPUT@"] {
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
        assert!(course_workflow("site out").contains("app_location: \"site out\"\n"));
    }
}
