//! `syllabus init`: a ready course that builds without a warning, and no
//! existing file overwritten unless `--force`.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::Site;

fn syllabus(args: &[&str], dir: &Path) -> Output {
    Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(args)
        .arg(dir)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("run syllabus")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn init_then_build_succeeds_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("stats-101");
    let out = syllabus(&["init"], &course);
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    for expected in [
        "syllabus.toml",
        ".gitignore",
        "content/index.md",
        "content/session_1/index.md",
        "content/session_1/writing_pages.md",
        ".github/workflows/azure-static-web-apps.yml",
        ".github/zizmor.yml",
        "themes/default/",
        "AZURE_STATIC_WEB_APPS_API_TOKEN",
        "Next steps",
    ] {
        assert!(
            printed.contains(expected),
            "`{expected}` not printed:\n{printed}"
        );
    }
    assert!(course.join("themes/default/templates/base.html").is_file());
    assert!(
        course
            .join("themes/default/static/assets/syllabus.css")
            .is_file()
    );
    let config = std::fs::read_to_string(course.join("syllabus.toml")).unwrap();
    assert!(config.contains("title = \"Stats 101\""), "{config}");
    assert!(
        config.contains("unsafe_html = false"),
        "safe mode for new courses:\n{config}"
    );
    let gitignore = std::fs::read_to_string(course.join(".gitignore")).unwrap();
    assert!(
        [
            "/public/",
            "/.public.*/",
            "/.public.lock",
            "/.syllabus-cache/"
        ]
        .iter()
        .all(|i| gitignore.lines().any(|l| l == *i)),
        "{gitignore}"
    );

    let build = syllabus(&["build", "--root"], &course);
    let all = text(&build);
    assert!(build.status.success(), "{all}");
    assert!(!all.contains("warning"), "{all}");
    assert!(all.contains("Built 3 pages"), "{all}");
    assert!(course.join("public/staticwebapp.config.json").is_file());
    // Everything the build wrote is ignored by the .gitignore `init` wrote.
    for entry in std::fs::read_dir(&course).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let written = [
            "syllabus.toml",
            ".gitignore",
            "content",
            "themes",
            ".github",
        ]
        .contains(&name.as_str());
        assert!(
            written || gitignore.lines().any(|l| l.trim_matches('/') == name),
            "`{name}` is not ignored"
        );
    }
    assert!(
        course
            .join("public/session_1/writing_pages/index.html")
            .is_file()
    );
    let check = syllabus(&["check", "--root"], &course);
    assert!(check.status.success());
    assert!(
        text(&check).contains("check: 0 error(s), 0 warning(s)"),
        "{}",
        text(&check)
    );
}

#[test]
fn init_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .arg("init")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.path().join("syllabus.toml").is_file());
    assert!(dir.path().join("content/session_1/index.md").is_file());
}

#[test]
fn init_refuses_existing_files_without_force() {
    let site = Site::new();
    site.file("syllabus.toml", "title = \"Mine\"\n")
        .file("content/index.md", "# My home\n")
        .file("content/notes.md", "# Notes\n");
    let out = syllabus(&["init"], site.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = text(&out);
    assert!(
        err.contains("refusing to overwrite 2 existing file(s)"),
        "{err}"
    );
    assert!(
        err.contains("`syllabus.toml`") && err.contains("`content/index.md`"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(site.read("syllabus.toml"), "title = \"Mine\"\n");
    assert!(
        !site.exists("content/session_1/index.md"),
        "nothing is written when refusing"
    );
    assert!(!site.exists(".github"), "nothing is written when refusing");

    let out = syllabus(&["init", "--force"], site.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("(2 existing file(s) overwritten)"));
    assert!(site.read("syllabus.toml").contains("[azure]"));
    assert_eq!(
        site.read("content/notes.md"),
        "# Notes\n",
        "--force never deletes or touches other files"
    );
    assert!(site.exists("content/session_1/writing_pages.md"));
}

#[test]
fn init_refuses_a_file_as_folder() {
    let site = Site::new();
    let out = syllabus(&["init"], &site.path().join("syllabus.toml"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("it is a file"), "{}", text(&out));
}

#[test]
fn init_writes_a_workflow_that_installs_the_release_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = |course: &Path| {
        std::fs::read_to_string(course.join(".github/workflows/azure-static-web-apps.yml")).unwrap()
    };
    let release = dir.path().join("release");
    let out = syllabus(&["init"], &release);
    assert!(out.status.success(), "{}", text(&out));
    let text_of = workflow(&release);
    assert!(
        text_of.contains("  SYLLABUS_INSTALL: \"release\"\n")
            && text_of.contains("pipx install --pip-args='--only-binary=:all:' \"syllabus-ssg==${SYLLABUS_VERSION}\""),
        "{text_of}"
    );

    let source = dir.path().join("source");
    let out = syllabus(&["init", "--install", "source"], &source);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        workflow(&source),
        text_of.replace(
            "SYLLABUS_INSTALL: \"release\"",
            "SYLLABUS_INSTALL: \"source\""
        ),
        "the same workflow, switched to compiling syllabus"
    );

    let bad = dir.path().join("bad");
    let out = syllabus(&["init", "--install", "cargo"], &bad);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("`cargo` is not `release` or `source`"),
        "{}",
        text(&out)
    );
    assert!(!bad.exists(), "nothing written on a usage error");
}
