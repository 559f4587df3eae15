//! `syllabus import carpentries`: small lessons written here in both formats
//! (a Workbench lesson with `config.yaml`, and one in the older Jekyll
//! "styles" format), imported and built with no hand edits; and the errors
//! a broken `config.yaml` gives.

use std::process::Command;

use crate::support::Site;

/// A Workbench lesson: episodes listed out of name order, one in R Markdown,
/// a figure in `episodes/fig`, `links.md`, and the repository's own files.
fn workbench() -> Site {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    site.file(
        "config.yaml",
        "carpentry: 'swc'\ntitle: 'Plotting Things' # FIXME\ncreated: '2024-03-01'\nlife_cycle: 'beta'\nsource: 'https://github.com/example/plotting-things/'\nbranch: 'main'\ncontact: 'team@example.org'\nlang: en\nepisodes:\n- 02-plots.md\n- 01-data.Rmd\nlearners:\n- setup.md\ninstructors:\nprofiles:\n",
    )
    .file(
        "index.md",
        "---\nsite: sandpaper::sandpaper_site\n---\n\nThis lesson plots things.\n",
    )
    .file("README.md", "# plotting-things\n\nThe repository of the lesson.\n")
    .file("CONTRIBUTING.md", "# Contributing\n")
    .file("LICENSE.md", "---\ntitle: License\n---\n\nCC-BY.\n")
    .file("site/README.md", "Built by the Workbench; not content.\n")
    .file("links.md", "[plots-guide]: https://example.org/plots\n[setup]: ../learners/setup.md\n")
    .file(
        "episodes/02-plots.md",
        "---\ntitle: \"Plots\"\nteaching: 10\nexercises: 5\n---\n\n::::: questions\n- How do I plot?\n:::::\n\nRead [the guide][plots-guide] after the [setup].\n\n![A bar chart](fig/bars.svg)\n\n::::: challenge\n## Draw one\n\n::: solution\nLike this.\n:::\n:::::\n",
    )
    .file(
        "episodes/01-data.Rmd",
        "---\ntitle: \"Data\"\nteaching: 5\nexercises: 0\n---\n\n```{r setup, include=FALSE}\nlibrary(ggplot2)\n```\n\nLoad it:\n\n```{r load-data}\ndata <- read.csv(\"data/things.csv\")\n```\n",
    )
    .file("episodes/fig/bars.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
    .file("learners/setup.md", "---\ntitle: Setup\n---\n\nInstall R.\n")
    .file("learners/reference.md", "---\ntitle: 'Reference'\n---\n\n## Glossary\n")
    .file(
        "instructors/instructor-notes.md",
        "---\ntitle: 'Instructor Notes'\n---\n\nGo slowly.\n",
    )
    .file(
        "profiles/learner-profiles.md",
        "---\ntitle: Learner Profiles\n---\n\nAda.\n",
    );
    site
}

/// The titles of the sidebar's links on a built page, in order.
fn sidebar_titles(html: &str) -> Vec<String> {
    let start = html.find("<nav").expect("a <nav>");
    let end = start + html[start..].find("</nav>").expect("</nav>");
    html[start..end]
        .split("<a ")
        .skip(1)
        .filter_map(|a| {
            let text = &a[a.find('>')? + 1..a.find("</a>")?];
            let text = text.trim();
            (!text.is_empty() && !text.contains('<')).then(|| text.to_string())
        })
        .collect()
}

#[test]
fn a_workbench_lesson_imports_and_builds_in_its_order() {
    let site = workbench();
    let run = site.run_in_root(&["import", "carpentries"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout.contains(
            "R Markdown: episodes/01-data.Rmd is shown with its code chunks as code; nothing is run"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Not lesson pages (`exclude`): CONTRIBUTING.md, README.md, config.yaml, learners/reference.md, links.md, site"),
        "{}",
        run.stdout
    );
    let build = site.build_ok();
    assert_eq!(build.stderr, "", "no warnings expected");
    assert!(
        build.stdout.starts_with("Built 7 pages and 1 assets"),
        "{}",
        build.stdout
    );
    // The nav follows config.yaml: 02-plots before 01-data; then the other lists.
    let titles = sidebar_titles(&site.read("public/index.html"));
    let order: Vec<&str> = [
        "Plots",
        "Data",
        "Setup",
        "Instructor Notes",
        "Learner Profiles",
        "License",
    ]
    .into_iter()
    .filter(|t| titles.iter().any(|s| s == t))
    .collect();
    assert_eq!(order.len(), 6, "sidebar: {titles:?}");
    let positions: Vec<usize> = order
        .iter()
        .map(|t| titles.iter().position(|s| s == t).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "sidebar: {titles:?}"
    );
    // A learners' page config.yaml does not list is not published, as in the Workbench.
    assert!(!site.exists("public/learners/reference/index.html"));
    let plots = site.content_of("public/episodes/02-plots/index.html");
    // The figure of episodes/fig is shown and copied.
    assert!(plots.contains("src=\"/episodes/fig/bars.svg\""), "{plots}");
    assert!(site.exists("public/episodes/fig/bars.svg"));
    // links.md's definitions resolve on every page, relative to the page.
    assert!(
        plots.contains("href=\"https://example.org/plots\""),
        "{plots}"
    );
    assert!(plots.contains("href=\"/learners/setup/\""), "{plots}");
    // The R Markdown episode: its chunks are R code blocks, not run.
    let data = site.content_of("public/episodes/01-data/index.html");
    assert!(data.contains("read.csv"), "{data}");
    assert!(!data.contains("{r"), "chunk header left: {data}");
    assert!(data.contains("language-r"), "{data}");
    // The repository's README is no page (it would compete with index.md).
    assert!(!site.exists("public/README/index.html"));
    assert!(!site.exists("public/site/README/index.html"));
    // The output lies inside the lesson folder: a second build does not read it back.
    let again = site.build_ok();
    assert!(
        again.stdout.starts_with("Built 7 pages and 1 assets"),
        "{}",
        again.stdout
    );
    assert!(!site.exists("public/public"));
}

#[test]
fn the_written_config_carries_the_lesson_settings() {
    let site = workbench();
    assert_eq!(site.run_in_root(&["import", "carpentries"]).code, Some(0));
    let config = syllabus::model::config::Config::parse(&site.read("syllabus.toml")).unwrap();
    assert_eq!(config.title, "Plotting Things");
    assert_eq!(
        config.repo_url.as_deref(),
        Some("https://github.com/example/plotting-things")
    );
    assert_eq!(config.content_dir, std::path::Path::new("."));
    assert!(config.markdown.r_markdown);
    // Pandoc's attribute lists, for the glossary's `[pipe]{#pipe}` anchors.
    assert!(config.markdown.attributes);
    assert_eq!(config.extra["carpentry"].as_str(), Some("swc"));
    assert_eq!(config.extra["life_cycle"].as_str(), Some("beta"));
    assert!(site.read(".gitignore").contains("/public/"));
    // A second import keeps the file unless asked.
    let before = site.read("syllabus.toml");
    let again = site.run_in_root(&["import", "carpentries"]);
    assert!(again.fails().contains("already exists"), "{}", again.all());
    assert_eq!(site.read("syllabus.toml"), before);
}

/// A broken lesson: what `import carpentries` prints, and that nothing is written.
fn import_fails(config: &str) -> String {
    let site = workbench();
    site.file("config.yaml", config);
    let run = site.run_in_root(&["import", "carpentries"]);
    run.fails();
    assert!(!site.exists("syllabus.toml"), "written anyway");
    assert!(!site.exists(".gitignore"), "written anyway");
    site.transcript(&run)
}

#[test]
fn config_yaml_errors_are_positioned_and_write_nothing() {
    let absent = import_fails(
        "title: 'Plots'\nepisodes:\n- 02-plots.md\n- 01-dat.Rmd\n- 03-maps.md\nlearners: [setup.md, glossary.md]\n",
    );
    insta::assert_snapshot!("episode_listed_but_absent", absent);
    let invalid = import_fails("title: 'Plots\nepisodes:\n- 02-plots.md\n");
    insta::assert_snapshot!("invalid_yaml", invalid);
    let not_a_list = import_fails("title: Plots\nepisodes: 02-plots.md\n");
    insta::assert_snapshot!("episodes_not_a_list", not_a_list);
    let empty = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = empty.run_in_root(&["import", "carpentries"]);
    run.fails();
    insta::assert_snapshot!("no_lesson", empty.transcript(&run));
}

#[test]
fn missing_link_definitions_file_is_an_error_at_the_setting() {
    let site = Site::new();
    site.file(
        "syllabus.toml",
        "title = \"T\"\n\n[markdown]\nlink_definitions = \"links.md\"\n",
    )
    .file("content/index.md", "# Home\n");
    let out = site.build().fails();
    assert!(
        out.contains("error[E004]: cannot read the link definitions `links.md`")
            && out.contains("syllabus.toml:4:1"),
        "{out}"
    );
}

/// A lesson in the Jekyll "styles" format, committed to Git.
fn styles() -> Site {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    site.file(
        "_config.yml",
        "carpentry: \"dc\"\ntitle: \"Counting Things\"\nlife_cycle: \"stable\"\nemail: \"team@example.org\"\n",
    )
    .file(
        "index.md",
        "---\nlayout: lesson\nroot: .\n---\n\nCounting, for beginners.\n\n> ## Prerequisites\n>\n> Know numbers.\n{: .prereq}\n\n{% include links.md %}\n",
    )
    .file("README.md", "# counting-things\n")
    .file(
        "_episodes/01-count.md",
        "---\ntitle: \"Counting\"\nteaching: 5\nexercises: 5\nquestions:\n- \"How do I count?\"\nobjectives:\n- \"Count to three.\"\nkeypoints:\n- \"Counting is adding one.\"\n---\n\nSee the [docs][count-docs] and the figure:\n\n![Three dots]({{ page.root }}/fig/dots.svg)\n\n~~~\nfor i in range(3):\n    print(i)\n~~~\n{: .language-python}\n\n~~~\n0\n~~~\n{: .output}\n\n> ## Count to two\n>\n> Write the loop.\n>\n> > ## Solution\n> >\n> > ~~~\n> > for i in range(2): print(i)\n> > ~~~\n> > {: .language-python}\n> {: .solution}\n{: .challenge}\n\n{% include links.md %}\n",
    )
    .file("_episodes/02-more.md", "---\ntitle: \"More\"\n---\n\nMore counting.\n")
    .file("_extras/guide.md", "---\ntitle: \"Instructor Notes\"\n---\n\nGo slowly.\n")
    .file("_includes/links.md", "[count-docs]: https://example.org/count\n")
    .file("_layouts/page.html", "<html>{{ content }}</html>\n")
    .file("setup.md", "---\ntitle: Setup\n---\n\nInstall Python.\n")
    .file("fig/dots.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    git(&site, &["init", "-q"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "lesson"]);
    site
}

fn git(site: &Site, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(site.path())
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_jekyll_lesson_is_converted_reported_and_builds() {
    let site = styles();
    let run = site.run_in_root(&["import", "carpentries"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    insta::assert_snapshot!("styles_report", site.transcript(&run));
    let episode = site.read("_episodes/01-count.md");
    let want = "---\ntitle: \"Counting\"\nteaching: 5\nexercises: 5\nquestions:\n- \"How do I count?\"\nobjectives:\n- \"Count to three.\"\nkeypoints:\n- \"Counting is adding one.\"\n---\n:::::: questions\n\n- How do I count?\n\n::::::\n\n:::::: objectives\n\n- Count to three.\n\n::::::\n\n\nSee the [docs][count-docs] and the figure:\n\n![Three dots](../fig/dots.svg)\n\n```python\nfor i in range(3):\n    print(i)\n```\n\n```output\n0\n```\n\n:::::::::::: challenge\n## Count to two\n\nWrite the loop.\n\n:::::: solution\n## Solution\n\n```python\nfor i in range(2): print(i)\n```\n::::::\n::::::::::::\n\n\n:::::: keypoints\n\n- Counting is adding one.\n\n::::::\n";
    assert_eq!(episode, want);
    let build = site.build_ok();
    // An `output` block is what the code printed: plain text, and no warning.
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let page = site.content_of("public/_episodes/01-count/index.html");
    assert!(page.contains("<code class=\"language-output\">"), "{page}");
    assert!(
        page.contains("href=\"https://example.org/count\""),
        "{page}"
    );
    assert!(page.contains("src=\"/fig/dots.svg\""), "{page}");
    assert!(site.exists("public/fig/dots.svg"));
    assert!(!page.contains("{: ."), "{page}");
    assert!(!site.exists("public/_layouts/page.html"));
    let titles = sidebar_titles(&site.read("public/index.html"));
    let want = ["Counting", "More", "Setup", "Instructor Notes"];
    let got: Vec<&String> = titles
        .iter()
        .filter(|t| want.contains(&t.as_str()))
        .collect();
    assert_eq!(got, want, "sidebar: {titles:?}");
}

#[test]
fn a_jekyll_lesson_with_uncommitted_pages_is_left_alone() {
    let site = styles();
    site.file(
        "setup.md",
        "---\ntitle: Setup\n---\n\n~~~\npip install\n~~~\n{: .language-bash}\n",
    );
    let before = site.read("_episodes/01-count.md");
    let run = site.run_in_root(&["import", "carpentries"]);
    let out = run.fails();
    assert!(out.contains("setup.md") && out.contains("--force"), "{out}");
    assert_eq!(site.read("_episodes/01-count.md"), before);
    assert!(!site.exists("syllabus.toml"));
    // --force converts them anyway.
    assert_eq!(
        site.run_in_root(&["import", "carpentries", "--force"]).code,
        Some(0)
    );
    assert!(site.read("setup.md").contains("```bash\npip install\n```"));
}
