//! `docs/authoring.md` stays true: each TOML example is an excerpt of the real file named
//! above it (`<!-- from: path -->`), word for word; every calculator primitive the content uses
//! has its section and every section names a primitive the content uses; every erratum kind
//! of the vocabulary is described.

use std::collections::BTreeSet;

fn guide() -> String {
    std::fs::read_to_string(atlas_tests::repo().join("docs/authoring.md")).unwrap()
}

#[test]
fn every_toml_example_is_an_excerpt_of_the_file_it_names() {
    let repo = atlas_tests::repo();
    let text = guide();
    let lines: Vec<&str> = text.lines().collect();
    let mut n = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "```toml" {
            let from = i
                .checked_sub(1)
                .and_then(|j| lines[j].strip_prefix("<!-- from: "))
                .and_then(|l| l.strip_suffix(" -->"))
                .unwrap_or_else(|| panic!("line {}: a TOML example without its source", i + 1));
            let end = i + 1 + lines[i + 1..].iter().position(|l| *l == "```").unwrap();
            let excerpt = lines[i + 1..end].join("\n");
            let file = std::fs::read_to_string(repo.join(from))
                .unwrap_or_else(|e| panic!("line {}: {from}: {e}", i + 1));
            assert!(
                file.contains(&excerpt),
                "line {}: the example is no longer in {from}:\n{excerpt}",
                i + 1
            );
            n += 1;
            i = end;
        }
        i += 1;
    }
    assert!(n >= 12, "{n} examples");
}

#[test]
fn every_primitive_and_erratum_kind_is_described() {
    let repo = atlas_tests::repo();
    let text = guide();
    let described: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
        .map(String::from)
        .collect();
    let mut used = BTreeSet::new();
    for dir in ["content", "tests/fixtures/fictitious"] {
        for e in walkdir::WalkDir::new(repo.join(dir)).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                let t = std::fs::read_to_string(e.path()).unwrap();
                for l in t.lines() {
                    if let Some(p) = l.strip_prefix("primitive = \"") {
                        used.insert(p.trim_end_matches('"').to_string());
                    }
                }
            }
        }
    }
    assert_eq!(described, used, "sections vs primitives in use");
    for kind in atlas::content::vocab::ErratumKind::ALL {
        assert!(
            text.contains(&format!("- `{}` —", kind.code())),
            "erratum kind {kind} is not described"
        );
    }
}
