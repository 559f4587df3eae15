//! Safe mode and co-located files: scripts, HTML and script-bearing SVG or XML
//! under `content/` are refused with an error naming each file, and nothing
//! is written; plain drawings, data and trusted builds are unaffected.

use crate::support::Site;

const SAFE: &str = "title = \"Files\"\n[markdown]\nunsafe_html = false\nmath = true\n";

/// A course with one file of each active kind, and plain ones beside them.
fn course(config: &str) -> Site {
    let site = Site::new();
    site.file("syllabus.toml", config);
    site.file(
        "content/index.md",
        "# Home\n\n![plan](s1/plan.svg) [data](s1/data.csv)\n\n$\\operatorname{<script src=/x.js></script>}$\n",
    );
    site.file("content/x.js", "alert(document.domain)\n");
    site.file("content/s1/index.md", "# Session\n");
    site.file("content/s1/evil.html", "<script src=\"/x.js\"></script>\n");
    site.file("content/s1/module.MJS", "alert(1)\n");
    site.file(
        "content/s1/drawing.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"1\"/>\n  <script href=\"/x.js\"/>\n</svg>\n",
    );
    site.file(
        "content/s1/feed.xml",
        "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>\n<feed/>\n",
    );
    site.file(
        "content/s1/plan.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 2 2\"><style>rect { fill: red }</style><rect width=\"1\" height=\"1\"/><a href=\"https://example.org/\"><text>link</text></a></svg>\n",
    );
    site.file("content/s1/data.csv", "a,b\n1,2\n");
    site.file(
        "content/s1/notes.xml",
        "<notes><n>javascript: is text here</n></notes>\n",
    );
    site
}

#[test]
fn safe_mode_refuses_active_files_by_name() {
    let site = course(SAFE);
    let out = site.build().fails();
    for (file, what) in [
        ("content/x.js", "a `.js` file"),
        ("content/s1/evil.html", "a `.html` file"),
        ("content/s1/module.MJS", "a `.mjs` file"),
        ("content/s1/drawing.svg:3:3", "a <script> element"),
        (
            "content/s1/feed.xml:2:1",
            "a stylesheet processing instruction",
        ),
    ] {
        let line = out
            .lines()
            .position(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no error at {file}:\n{out}"));
        let around = out
            .lines()
            .skip(line.saturating_sub(2))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(around.contains(what), "{file}: {what}\n{around}");
    }
    assert!(
        out.contains("help: remove the file from the pull request"),
        "{out}"
    );
    assert!(
        out.contains("help: remove the script, event handlers"),
        "{out}"
    );
    for plain in ["plan.svg", "data.csv", "notes.xml"] {
        assert!(!out.contains(plain), "{plain} was refused:\n{out}");
    }
    assert!(!site.exists("public"), "nothing is written");
    let check = site.run(&["check"]).fails();
    assert!(check.contains("content/x.js"), "{check}");
}

#[test]
fn the_safe_flag_refuses_them_too() {
    let site = course("title = \"Files\"\n[markdown]\nunsafe_html = true\nmath = true\n");
    let out = site.run(&["build", "--safe"]).fails();
    assert!(
        out.contains("safe mode does not publish `content/x.js`"),
        "{out}"
    );
}

#[test]
fn plain_files_are_published_in_safe_mode() {
    let site = course(SAFE);
    for active in [
        "x.js",
        "s1/evil.html",
        "s1/module.MJS",
        "s1/drawing.svg",
        "s1/feed.xml",
    ] {
        std::fs::remove_file(site.path().join("content").join(active)).expect("remove");
    }
    site.build_ok();
    for plain in ["plan.svg", "data.csv", "notes.xml"] {
        assert!(site.exists(&format!("public/s1/{plain}")), "{plain}");
    }
}

#[test]
fn trusted_builds_publish_every_file() {
    let site = course("title = \"Files\"\n[markdown]\nunsafe_html = true\nmath = true\n");
    site.build_ok();
    for file in [
        "x.js",
        "s1/evil.html",
        "s1/module.MJS",
        "s1/drawing.svg",
        "s1/feed.xml",
    ] {
        assert!(site.exists(&format!("public/{file}")), "{file}");
    }
}

#[test]
fn the_demo_course_builds_in_safe_mode() {
    let site = Site::demo();
    let run = site.run(&["build", "--safe"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(site.exists("public/session_serverless/flow.svg"));
}
