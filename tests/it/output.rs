//! Output safety: dangerous folders refused, failed builds leave the last good site.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::Site;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn course() -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n")
        .file("content/a.md", "# A\n")
        .file("static/logo.svg", "<svg/>");
    site
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = course();
    site.file("themes/other/templates/keep.txt", "mine");
    site.file("templates/keep.html", "mine");
    let cases = [
        (".", "is or contains the project folder"),
        ("..", "is or contains the project folder"),
        ("content", "is or contains `content`"),
        ("content/out", "is inside `content`"),
        ("themes", "is or contains `themes`"),
        ("static", "is or contains `static`"),
        ("templates", "is or contains `templates`"),
        ("/", "choose a folder of its own"),
    ];
    let before = snapshot(site.path());
    for (out, why) in cases {
        let run = site.run(&["build", "--output", out]);
        let err = run.fails();
        assert!(err.contains("refusing to write the site"), "{out}: {err}");
        assert!(err.contains(why), "{out}: {err}");
    }
    assert_eq!(
        before,
        snapshot(site.path()),
        "a refused build touched the sources"
    );
}

#[test]
fn home_folder_is_refused() {
    let site = course();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"));
    let out = cmd
        .env("HOME", home.path())
        .args(["build", "--output"])
        .arg(home.path())
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("your home folder"), "{err}");
}

#[test]
fn a_folder_not_made_by_syllabus_is_not_replaced() {
    let site = course();
    site.file("public/thesis.tex", "months of work");
    let err = site.build().fails();
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(err.contains("was not made by syllabus"), "{err}");
    assert_eq!(site.read("public/thesis.tex"), "months of work");
    // An empty folder is fine.
    std::fs::remove_file(site.path().join("public/thesis.tex")).unwrap();
    site.build_ok();
}

#[test]
fn symlinked_output_into_sources_is_refused() {
    let site = course();
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("out")).unwrap();
    let err = site.run(&["build", "--output", "out"]).fails();
    assert!(err.contains("refusing to write the site"), "{err}");
    assert!(site.exists("content/index.md"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let site = course();
    site.build_ok();
    let before = snapshot(&site.path().join("public"));
    assert!(before.contains_key("a/index.html"));
    // A broken link fails the build after everything was discovered and rendered.
    site.file("content/b.md", "# B\n[missing](nowhere.md)\n");
    site.build().fails();
    assert_eq!(before, snapshot(&site.path().join("public")));
    // A template error fails it half-way through writing pages.
    site.file("content/b.md", "# B\n");
    site.file(
        "templates/page.html",
        "{% if page.title == \"B\" %}{{ page.nope.x }}{% endif %}{{ page.title }}",
    );
    site.build().fails();
    assert_eq!(before, snapshot(&site.path().join("public")));
    assert!(
        !site.exists(".public.staging"),
        "staging folder left behind"
    );
    // And the next good build replaces it.
    std::fs::remove_file(site.path().join("templates/page.html")).unwrap();
    site.build_ok();
    assert!(site.exists("public/b/index.html"));
}

#[test]
fn a_site_left_aside_by_a_killed_swap_is_restored() {
    let site = course();
    site.build_ok();
    std::fs::rename(
        site.path().join("public"),
        site.path().join(".public.previous"),
    )
    .unwrap();
    site.file("content/a.md", "# A\n[broken](x.md)\n");
    let _ = site.build();
    assert!(
        site.exists("public/a/index.html"),
        "previous site not restored"
    );
}
