use std::collections::HashMap;

use super::encode::{SHARD_BYTES, term_shards};
use super::*;

fn posting(doc: u32, count: u16, flags: u8) -> Posting {
    Posting { doc, count, flags }
}

fn words(list: &[(&str, &[Posting])]) -> HashMap<String, Vec<Posting>> {
    list.iter()
        .map(|(w, p)| (w.to_string(), p.to_vec()))
        .collect()
}

#[test]
fn postings_of_one_stem_merge_by_page() {
    let merged = merge(vec![
        vec![posting(0, 2, 0), posting(3, 1, 0)],
        vec![
            posting(1, 1, words::IN_TITLE),
            posting(3, 4, words::IN_HEADING),
        ],
    ]);
    assert_eq!(
        merged,
        [
            posting(0, 2, 0),
            posting(1, 1, words::IN_TITLE),
            posting(3, 5, words::IN_HEADING)
        ]
    );
}

#[test]
fn english_words_point_to_their_stem() {
    let entries = entries(
        words(&[
            ("containers", &[posting(0, 3, 0)]),
            ("container", &[posting(1, 1, 0), posting(2, 1, 0)]),
            ("docker", &[posting(2, 1, words::IN_TITLE)]),
        ]),
        "en-GB",
    );
    assert_eq!(
        entries.get("contain"),
        Some(&Entry::Stem {
            forms: vec!["container".into(), "containers".into()],
            postings: vec![posting(0, 3, 0), posting(1, 1, 0), posting(2, 1, 0)],
        })
    );
    for word in ["containers", "container"] {
        assert_eq!(
            entries.get(word),
            Some(&Entry::Word {
                stem: "contain".into()
            }),
            "{word}"
        );
    }
    assert!(matches!(entries.get("docker"), Some(Entry::Stem { .. })));
    assert_eq!(entries.len(), 4);
}

/// Snowball is not idempotent: "meaningful" stems to "meaning", which stems to
/// "mean". The entry "meaning" must still find the pages that say "meaning".
#[test]
fn a_word_that_is_another_words_stem_finds_its_own_pages() {
    let entries = entries(
        words(&[
            ("meaning", &[posting(0, 1, 0)]),
            ("meaningful", &[posting(1, 1, 0)]),
            ("mean", &[posting(2, 1, 0)]),
        ]),
        "en",
    );
    let docs = |key: &str| match entries.get(key) {
        Some(Entry::Stem { postings, .. }) => postings.iter().map(|p| p.doc).collect::<Vec<_>>(),
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(docs("meaning"), [0, 1]);
    assert_eq!(docs("mean"), [0, 2]);
}

#[test]
fn other_languages_are_not_stemmed() {
    let entries = entries(words(&[("containers", &[posting(0, 1, 0)])]), "de");
    assert!(matches!(
        entries.get("containers"),
        Some(Entry::Stem { .. })
    ));
    assert_eq!(entries.len(), 1);
}

#[test]
fn shards_stay_small_and_keep_key_order() {
    let mut all = BTreeMap::new();
    for i in 0..3000u32 {
        let postings = (0..(i % 7 + 1)).map(|d| posting(d * 3, 1, 0)).collect();
        all.insert(
            format!("w{i:05}"),
            Entry::Stem {
                forms: vec![format!("w{i:05}")],
                postings,
            },
        );
    }
    // One stem on every page of a large course: a shard of its own.
    all.insert(
        "w01500a".into(),
        Entry::Stem {
            forms: vec![],
            postings: (0..20_000).map(|d| posting(d, 2, 0)).collect(),
        },
    );
    let (firsts, shards) = term_shards(&all);
    assert!(shards.len() > 3, "{} shards", shards.len());
    assert_eq!(firsts.len(), shards.len());
    assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    let mut keys = Vec::new();
    for shard in &shards {
        let parsed: Vec<serde_json::Value> = serde_json::from_str(shard).expect("JSON");
        assert!(shard.len() <= SHARD_BYTES || parsed.len() == 1);
        keys.extend(
            parsed
                .iter()
                .map(|e| e[0].as_str().unwrap_or("").to_string()),
        );
    }
    assert_eq!(keys, all.keys().cloned().collect::<Vec<_>>());
    let big = shards
        .iter()
        .find(|s| s.starts_with("[[\"w01500a\""))
        .expect("own shard");
    assert!(big.len() > SHARD_BYTES);
}

#[test]
fn entries_as_json_with_relative_pages_and_scores() {
    let mut all = BTreeMap::new();
    all.insert(
        "contain".to_string(),
        Entry::Stem {
            forms: vec!["containers".into(), "container".into()],
            postings: vec![
                posting(2, 40, words::IN_TITLE | words::IN_HEADING),
                posting(5, 1, 0),
            ],
        },
    );
    all.insert(
        "containers".to_string(),
        Entry::Word {
            stem: "contain".into(),
        },
    );
    let (firsts, shards) = term_shards(&all);
    assert_eq!(firsts, ["contain"]);
    assert_eq!(
        shards,
        [r#"[["contain",["containers","container"],[2,127,3,1]],["containers","contain"]]"#]
    );
}
