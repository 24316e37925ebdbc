//! A collection outside this repository (issue 27): `atlas init` in an empty folder, with the
//! binary copied there and no repository beside it, writes a collection that checks and builds
//! with the theme inside the binary; a local theme file overrides its namesake only; `atlas
//! theme eject` writes the theme out; `atlas synth` writes a corpus that builds in its folder.

use std::path::Path;
use std::process::{Command, Output};

mod common;
#[path = "../../tests/fixtures/completed.rs"]
mod completed;
#[path = "../../tests/browser/find.rs"]
mod find;
use common::repo;

/// Runs `atlas` (the copy at `bin`) in `dir`.
fn atlas(bin: &Path, dir: &Path, args: &[&str]) -> Output {
    let mut tries = 0;
    loop {
        match Command::new(bin)
            .args(args)
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
        {
            Ok(o) => return o,
            // ETXTBSY: another test's thread was copying its binary when this one forked, and
            // the child held the copy open for writing a moment; try again.
            Err(e) if e.raw_os_error() == Some(26) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{}: {e}", bin.display()),
        }
    }
}

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {:?}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An empty folder holding only a copy of the binary.
fn alone() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("atlas");
    if std::fs::hard_link(env!("CARGO_BIN_EXE_atlas"), &bin).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_atlas"), &bin).unwrap();
    }
    (dir, bin)
}

#[test]
fn init_writes_a_collection_that_builds_with_no_repository_beside_it() {
    let (dir, bin) = alone();
    ok(&atlas(&bin, dir.path(), &["init", "my-atlas"]), "init");
    let root = dir.path().join("my-atlas");
    assert!(root.join("README.md").is_file());
    assert!(
        !root.join("themes").exists(),
        "the theme stays in the binary"
    );
    // Editor support comes with it: the schemas and the taplo rules naming them.
    let taplo = std::fs::read_to_string(root.join(".taplo.toml")).unwrap();
    for name in ["measure", "topics", "glossary", "calculators"] {
        let schema = format!("schemas/{name}.schema.json");
        assert!(root.join(&schema).is_file(), "{schema}");
        assert!(
            taplo.contains(&format!("\"./{schema}\"")),
            "{schema} in .taplo.toml"
        );
    }
    ok(&atlas(&bin, &root, &["check"]), "check");
    ok(
        &atlas(&bin, &root, &["build", "--as-of", "2026-11-21"]),
        "build",
    );
    let page = std::fs::read_to_string(root.join("site/measures/sample-bases-2024.html")).unwrap();
    assert!(page.contains("示例市国际科技合作基地管理办法"));
    // The built-in theme's files, byte for byte.
    assert_eq!(
        std::fs::read(root.join("site/assets/style.css")).unwrap(),
        std::fs::read(repo().join("themes/default/static/style.css")).unwrap()
    );
    assert!(root.join("site/en/index.html").is_file());
    // A second init into the same, now full, folder is refused and changes nothing.
    let readme = std::fs::read(root.join("README.md")).unwrap();
    let again = atlas(&bin, dir.path(), &["init", "my-atlas"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    assert_eq!(std::fs::read(root.join("README.md")).unwrap(), readme);
}

#[test]
fn a_local_theme_file_overrides_only_its_namesake() {
    let (dir, bin) = alone();
    ok(&atlas(&bin, dir.path(), &["init", "c"]), "init");
    let root = dir.path().join("c");
    std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
    std::fs::write(
        root.join("themes/default/static/style.css"),
        "body{color:red}",
    )
    .unwrap();
    ok(
        &atlas(&bin, &root, &["build", "--as-of", "2026-11-21"]),
        "build",
    );
    assert_eq!(
        std::fs::read_to_string(root.join("site/assets/style.css")).unwrap(),
        "body{color:red}"
    );
    assert_eq!(
        std::fs::read(root.join("site/assets/atlas.js")).unwrap(),
        std::fs::read(repo().join("themes/default/static/atlas.js")).unwrap()
    );

    // Ejected, every file is there; an edit of one template shows on the pages.
    ok(
        &atlas(&bin, &root, &["theme", "eject", "--out", "mine"]),
        "eject",
    );
    let base = root.join("mine/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        text.replace("<main id=\"main\">", "<main id=\"main\" data-mine=\"1\">"),
    )
    .unwrap();
    ok(
        &atlas(
            &bin,
            &root,
            &["build", "--theme", "mine", "--as-of", "2026-11-21"],
        ),
        "build with an ejected theme",
    );
    assert!(std::fs::read_to_string(root.join("site/index.html"))
        .unwrap()
        .contains("data-mine=\"1\""));
    // Ejecting again would overwrite: refused.
    let again = atlas(&bin, &root, &["theme", "eject", "--out", "mine"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&base)
            .unwrap()
            .matches("data-mine")
            .count(),
        1
    );

    // A --theme folder that does not exist is an error, not the built-in theme in silence.
    let missing = atlas(&bin, &root, &["build", "--theme", "nosuch"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nosuch"));
}

#[test]
fn a_synthetic_corpus_builds_in_its_own_folder() {
    let (dir, bin) = alone();
    let real = repo().join("content");
    ok(
        &atlas(
            &bin,
            dir.path(),
            &[
                "synth",
                "--measures",
                "3",
                "--out",
                "big",
                "--content",
                real.to_str().unwrap(),
            ],
        ),
        "synth",
    );
    let big = dir.path().join("big");
    ok(
        &atlas(&bin, &big, &["build", "--as-of", "2026-11-21"]),
        "build in big/",
    );
    assert!(big.join("site/index.html").is_file());
}

/// Adding a measure to a new collection, as the authoring guide says: `atlas import` writes a
/// skeleton whose unfinished keys `atlas check` reports at their lines (and refuses to build
/// while the id is empty); completed, the collection checks and builds with the new measure's
/// page, its entry into force and its repeals as the text states them; the built site, opened
/// from disk in Chromium, finds it by its words. The binary alone, in an empty folder.
#[test]
fn an_imported_measure_is_reported_until_completed_then_builds() {
    let (dir, bin) = alone();
    ok(&atlas(&bin, dir.path(), &["init", "c"]), "init");
    let root = dir.path().join("c");
    let source = "000_2e852e097c09fd9b.txt";
    std::fs::copy(
        repo().join("content/sources").join(source),
        root.join("content/sources").join(source),
    )
    .unwrap();
    let out = atlas(
        &bin,
        &root,
        &["import", &format!("content/sources/{source}")],
    );
    ok(&out, "import");
    let skeleton = String::from_utf8(out.stdout).unwrap();
    // 第三十条 names two repealed measures with their document numbers.
    assert!(
        skeleton.contains("title = \"云南省国际科技合作基地管理办法\"\ndoc_number = \"云南省科学技术厅公告第23号\""),
        "{skeleton}"
    );
    let file = root.join("content/measures/yunnan-ijl-2025.toml");
    std::fs::write(&file, &skeleton).unwrap();
    let check = atlas(&bin, &root, &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{err}");
    // Each TODO at its line and column: line 3 is `id = ""  # TODO: the file stem…`.
    let line3 = skeleton.lines().nth(2).unwrap();
    assert!(line3.starts_with("id = \"\""), "{line3}");
    let col = line3.find('#').unwrap() + 1;
    assert!(
        err.contains(&format!(
            "content/measures/yunnan-ijl-2025.toml:3:{col}: warning: unfinished: # TODO: the file stem"
        )),
        "{err}"
    );
    let todos = skeleton.lines().filter(|l| l.contains("# TODO")).count();
    assert_eq!(err.matches("unfinished: # TODO").count(), todos, "{err}");

    // Completed: the keys filled, the comments gone.
    let done = completed::complete(&skeleton, &completed::YUNNAN_FILLED);
    std::fs::write(&file, done).unwrap();
    let check = atlas(&bin, &root, &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    ok(&check, "check after completing");
    assert!(!err.contains("unfinished"), "{err}");
    ok(
        &atlas(&bin, &root, &["build", "--as-of", "2026-11-21"]),
        "build",
    );
    let page = std::fs::read_to_string(root.join("site/measures/yunnan-ijl-2025.html")).unwrap();
    assert!(page.contains("云南省国际联合实验室管理办法"));
    assert!(
        page.contains("云科规〔2022〕2号"),
        "the repeal is on the page"
    );

    // Opened from disk in Chromium, as a reader would: the site's own search (run by the page's
    // script) finds the new measure's 第二十条 by its words, and links to it.
    let search = shown(
        &root.join("site/search.html"),
        "?q=%E5%B9%B4%E5%BA%A6%E6%89%A7%E8%A1%8C%E6%83%85%E5%86%B5%E6%8A%A5%E5%91%8A", // 年度执行情况报告
    );
    assert!(
        search.contains("class=\"search-hit\"")
            && search.contains("href=\"measures/yunnan-ijl-2025.html?hl=")
            && search.contains("#art-20\""),
        "the search page finds 第二十条: {search}"
    );
}

/// The page at `file` (with `query`) as headless Chromium shows it once its scripts have run:
/// the serialised DOM.
fn shown(file: &Path, query: &str) -> String {
    let chromium = find::chromium_path().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("file://{}{query}", file.display());
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("chromium: {e}"));
    assert!(out.status.success(), "chromium {url}: {:?}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

/// A collection's own catalogue need hold only the words it changes: the rest come from the
/// built-in one, key by key (the site's name here; the navigation stays as built in).
#[test]
fn a_local_catalogue_overrides_only_its_keys() {
    let (dir, bin) = alone();
    ok(&atlas(&bin, dir.path(), &["init", "c"]), "init");
    let root = dir.path().join("c");
    std::fs::create_dir_all(root.join("themes/default")).unwrap();
    std::fs::write(
        root.join("themes/default/i18n.toml"),
        "[zh]\nsite_name = \"示例市政策图谱\"\n\n[en]\nsite_name = \"Sample City Atlas\"\n",
    )
    .unwrap();
    ok(
        &atlas(&bin, &root, &["build", "--as-of", "2026-11-21"]),
        "build",
    );
    let zh = std::fs::read_to_string(root.join("site/index.html")).unwrap();
    assert!(zh.contains("示例市政策图谱"), "the collection's name");
    assert!(
        !zh.contains("国际联合实验室政策图谱"),
        "not the built-in name"
    );
    assert!(zh.contains("跳到正文"), "the built-in words for the rest");
    let en = std::fs::read_to_string(root.join("site/en/index.html")).unwrap();
    assert!(en.contains("Sample City Atlas"));
}

/// A theme's own `engine.toml` changes the calculators' words: only the words it changes
/// travel to the calculator pages, in the bundle the engine runs.
#[test]
fn a_local_engine_catalogue_reaches_the_calculator_pages() {
    let (dir, bin) = alone();
    let theme = dir.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("engine.toml"),
        "[en]\nstatus_cannot_tell = \"not decidable\"\n",
    )
    .unwrap();
    let out = dir.path().join("site");
    let (theme_arg, out_arg) = (theme.to_string_lossy(), out.to_string_lossy());
    ok(
        &atlas(
            &bin,
            &repo(),
            &[
                "build",
                "--as-of",
                "2026-11-21",
                "--theme",
                &theme_arg,
                "--out",
                &out_arg,
            ],
        ),
        "build",
    );
    // Each calculator's bundle is a script of its own.
    let pages: Vec<String> = walkdir::WalkDir::new(out.join("assets/calc"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "js"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(!pages.is_empty(), "the content has calculators");
    for p in &pages {
        assert!(
            // A JSON string in the script: its quotes escaped.
            p.contains(r#"\"words\":{\"en\":{\"status_cannot_tell\":\"not decidable\"}}"#),
            "the override, and only it, is in the bundle"
        );
    }
}
