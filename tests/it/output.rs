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

#[test]
fn folders_beside_the_output_that_syllabus_did_not_make_are_kept() {
    for leftover in [".public.staging", ".public.previous"] {
        let site = course();
        site.file(&format!("{leftover}/thesis.tex"), "months of work");
        let err = site.build().fails();
        assert!(
            err.contains(&format!(
                "refusing to remove `{}",
                site.path().join(leftover).display()
            )),
            "{err}"
        );
        assert!(err.contains("was not made by syllabus"), "{err}");
        assert_eq!(
            site.read(&format!("{leftover}/thesis.tex")),
            "months of work"
        );
        assert!(!site.exists("public"), "{leftover}: a site was published");
    }
    // A symbolic link in their place is not followed, nor removed.
    let site = course();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path().join(".public.staging")).unwrap();
    let err = site.build().fails();
    assert!(err.contains("it is a symbolic link"), "{err}");
    assert!(elsewhere.path().join("keep.txt").is_file());
    // Left by syllabus (marked, or empty): cleared, and the build goes on.
    let site = course();
    site.file(".public.staging/.syllabus-output", "")
        .file(".public.staging/half.html", "x");
    std::fs::create_dir(site.path().join(".public.previous")).unwrap();
    site.build_ok();
    assert!(!site.exists(".public.staging") && !site.exists(".public.previous"));
}

#[test]
fn a_folder_beside_an_output_elsewhere_is_kept() {
    let site = course();
    let home = tempfile::tempdir().unwrap();
    let previous = home.path().join(".site.previous");
    std::fs::create_dir(&previous).unwrap();
    std::fs::write(previous.join("notes.txt"), "mine").unwrap();
    let output = home.path().join("site");
    let err = site
        .run(&["build", "--output", output.to_str().unwrap()])
        .fails();
    assert!(err.contains("refusing to remove"), "{err}");
    assert_eq!(
        std::fs::read_to_string(previous.join("notes.txt")).unwrap(),
        "mine"
    );
}

/// A course whose build takes long enough (a second or more) for another process to start meanwhile.
fn large_course() -> Site {
    let site = Site::new();
    site.file("content/index.md", "# Home\n");
    for s in 0..6 {
        site.file(
            &format!("content/s{s}/index.md"),
            &format!("# Session {s}\n"),
        );
        for p in 0..80 {
            site.file(
                &format!("content/s{s}/p{p}.md"),
                &format!("# Page {p}\n\nSome *text* and a [link](index.md).\n\n## Part\n\n```python\nprint({p})\n```\n"),
            );
        }
    }
    site
}

fn spawn_build(site: &Site) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(["build", "--no-cache", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every page of [`large_course`] is in the published site.
fn assert_complete(site: &Site) {
    assert!(site.exists("public/index.html"), "no home page");
    for s in 0..6 {
        assert!(
            site.exists(&format!("public/s{s}/index.html")),
            "no session {s}"
        );
        for p in 0..80 {
            assert!(
                site.exists(&format!("public/s{s}/p{p}/index.html")),
                "no s{s}/p{p}"
            );
        }
    }
    assert!(!site.exists(".public.staging") && !site.exists(".public.previous"));
}

#[test]
fn two_builds_at_once_publish_a_complete_site() {
    let site = large_course();
    site.build_ok();
    for round in 0..2 {
        let builds = [spawn_build(&site), spawn_build(&site)];
        for b in builds {
            let out = b.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "round {round}: {text}");
        }
        assert_complete(&site);
    }
}

/// Waits until the build `child` holds the output lock (its process id is in the lock file).
fn wait_for_lock(site: &Site, child: &std::process::Child, holder: &str) {
    let wanted = format!("{} {holder}", child.id());
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        let text = std::fs::read_to_string(site.path().join(".public.lock")).unwrap_or_default();
        if text.trim() == wanted {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the lock file never named {wanted}");
}

#[test]
fn a_build_killed_while_holding_the_lock_does_not_block_the_next() {
    let site = large_course();
    site.build_ok();
    let mut first = spawn_build(&site);
    wait_for_lock(&site, &first, "build");
    first.kill().unwrap(); // SIGKILL: no clean-up runs
    first.wait().unwrap();
    let mut next = spawn_build(&site);
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = next.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(120) {
            next.kill().unwrap();
            panic!("the build after a killed one never finished (a stale lock?)");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success());
    assert_complete(&site);
}

#[test]
fn a_build_never_writes_the_output_a_serve_session_writes() {
    let site = course();
    let mut serve = std::process::Command::new(assert_cmd::cargo::cargo_bin("syllabus"))
        .args(["serve", "--watch", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for_lock(&site, &serve, "serve");
    let start = std::time::Instant::now();
    while !site.exists("public/a/index.html") && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let before = site.read("public/a/index.html");
    let err = site.build().fails();
    let after = site.read("public/a/index.html");
    let _ = serve.kill();
    serve.wait().unwrap();
    assert!(
        err.contains(&format!(
            "`syllabus serve` (process {}) is writing the site to `{}`",
            serve.id(),
            site.path().join("public").canonicalize().unwrap().display()
        )),
        "{err}"
    );
    assert_eq!(before, after);
    assert!(!site.exists(".public.staging"));
    // Once serve has stopped, a build goes ahead.
    site.build_ok();
}
