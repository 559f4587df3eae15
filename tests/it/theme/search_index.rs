//! The search index `build` writes, read back as `search.js` reads it: which
//! pages and words it holds (every published page, its whole text, code when
//! asked, drafts never), stems, and the title and heading marks of a score.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::Value;

use crate::support::Site;

/// The index of a built site: word → its stem's entry, and each page's URL.
struct Index {
    entries: BTreeMap<String, Value>,
    urls: Vec<String>,
    meta: Value,
}

fn gunzip(bytes: &[u8]) -> Value {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip file");
    serde_json::from_str(&text).expect("JSON")
}

impl Index {
    fn read(site: &Site) -> Index {
        let dir = site.path().join("public/search");
        let meta: Value =
            serde_json::from_str(&site.read("public/search/index.json")).expect("JSON");
        assert_eq!(meta["v"], 2);
        let mut entries = BTreeMap::new();
        let shards = meta["terms"].as_array().expect("terms").len();
        for i in 0..shards {
            let shard = gunzip(&std::fs::read(dir.join(format!("t{i}.bin"))).expect("term shard"));
            for e in shard.as_array().expect("entries") {
                entries.insert(e[0].as_str().expect("key").to_string(), e.clone());
            }
        }
        let mut urls = Vec::new();
        let pages = meta["pages"].as_u64().expect("pages") as usize;
        let per = meta["pageShard"].as_u64().expect("pageShard") as usize;
        for i in 0..pages.div_ceil(per) {
            let shard = gunzip(&std::fs::read(dir.join(format!("p{i}.bin"))).expect("page shard"));
            for row in shard.as_array().expect("rows") {
                urls.push(row[0].as_str().expect("url").to_string());
            }
        }
        Index {
            entries,
            urls,
            meta,
        }
    }

    /// The stem entry a word leads to.
    fn stem(&self, word: &str) -> Option<&Value> {
        let e = self.entries.get(word)?;
        match e[1].as_str() {
            Some(stem) => self.entries.get(stem),
            None => Some(e),
        }
    }

    /// (URL, score) of each page that has the word.
    fn pages(&self, word: &str) -> Vec<(String, u64)> {
        let Some(e) = self.stem(word) else {
            return Vec::new();
        };
        let postings = e[2].as_array().expect("postings");
        let mut doc = 0;
        postings
            .chunks(2)
            .map(|p| {
                doc += p[0].as_u64().expect("page");
                (
                    self.urls[doc as usize].clone(),
                    p[1].as_u64().expect("score"),
                )
            })
            .collect()
    }

    fn urls_of(&self, word: &str) -> Vec<String> {
        self.pages(word).into_iter().map(|p| p.0).collect()
    }
}

/// A course with a `nav` that leaves a page out, a draft, a long page and code.
fn course(code: bool) -> Site {
    let site = Site::new();
    let filler: String = (0..400).map(|i| format!("filler{i} ")).collect();
    site.file(
        "syllabus.toml",
        &format!(
            "title = \"Test course\"\nnav = [\"index.md\", \"s1/index.md\", \"s1/long.md\"]\n[search]\ncode = {code}\n"
        ),
    )
    .file("content/index.md", "# Home\n\nWelcome.\n")
    .file("content/s1/index.md", "# Session one\n\nAbout containers.\n")
    .file(
        "content/s1/long.md",
        &format!(
            "# Containers in depth\n\n{filler}\n\n## Building a container\n\nText.\n\n```sh\napptainer exec image.sif\n```\n\nThe very last paragraph mentions zebrafish.\n"
        ),
    )
    .file("content/s1/outside.md", "# Outside\n\nA page outside the nav about walrus.\n")
    .file("content/s1/secret.md", "+++\ndraft = true\n+++\n# Secret\n\nNarwhal plans.\n");
    site.build_ok();
    site
}

#[test]
fn every_published_page_and_its_whole_text() {
    let site = course(false);
    let index = Index::read(&site);
    assert_eq!(index.meta["code"], false);
    assert_eq!(index.urls.len(), 4, "{:?}", index.urls);
    assert_eq!(
        index.urls[..3],
        ["/", "/s1/", "/s1/long/"],
        "course order first"
    );
    assert_eq!(
        index.urls_of("walrus"),
        ["/s1/outside/"],
        "a page outside the nav"
    );
    assert_eq!(
        index.urls_of("zebrafish"),
        ["/s1/long/"],
        "the last paragraph"
    );
    assert_eq!(index.urls_of("filler399"), ["/s1/long/"]);
    assert!(index.stem("narwhal").is_none(), "drafts are not searchable");
    assert!(
        index.stem("apptainer").is_none(),
        "code is not indexed unless asked"
    );
    assert!(!site.exists("public/search-index.json"));
}

#[test]
fn words_lead_to_their_stem_with_title_and_heading_marks() {
    let site = course(false);
    let index = Index::read(&site);
    assert_eq!(index.entries["containers"][1], "contain");
    assert_eq!(index.entries["container"][1], "contain");
    let pages: BTreeMap<String, u64> = index.pages("container").into_iter().collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    // "Containers in depth" (title) and "Building a container" (heading).
    assert_eq!(pages["/s1/long/"] & 96, 96, "{pages:?}");
    assert!(pages["/s1/long/"] & 31 >= 2, "{pages:?}");
    assert_eq!(pages["/s1/"] & 96, 0, "{pages:?}");
}

#[test]
fn code_blocks_when_the_course_asks() {
    let site = course(true);
    let index = Index::read(&site);
    assert_eq!(index.meta["code"], true);
    assert_eq!(index.urls_of("apptainer"), ["/s1/long/"]);
}
