//! The `atlas` binary on bad input: every case gives a positioned message, a non-zero exit, and
//! leaves a previously built site untouched.

use std::path::PathBuf;
use std::process::{Command, Output};

mod common;
use common::{copy_dir, repo};

/// A scratch project: a copy of the real content and theme in a temp dir.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "themes"] {
            copy_dir(&repo().join(sub), &dir.path().join(sub));
        }
        Project { dir }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    fn atlas(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_atlas"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap()
    }
    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.path(rel);
        let s = std::fs::read_to_string(&p).unwrap();
        let t = f(s.clone());
        assert_ne!(s, t, "edit of {rel} changed nothing");
        std::fs::write(p, t).unwrap();
    }
    /// Builds once and returns a snapshot of index.html to compare after a failed build.
    fn good_build(&self) -> Vec<u8> {
        let out = self.atlas(&["build", "--as-of", "2026-11-21"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(self.path("site/index.html")).unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds, applies `breakage`, then checks the failing build's message and that the site survived.
fn fails_and_keeps_site(breakage: impl FnOnce(&Project), expect: &[&str]) -> String {
    let p = Project::new();
    let before = p.good_build();
    breakage(&p);
    return_after(&p, &before, expect)
}

fn return_after(p: &Project, before: &[u8], expect: &[&str]) -> String {
    let out = p.atlas(&["build", "--as-of", "2026-11-21"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1, got {:?}: {err}",
        out.status.code()
    );
    for e in expect {
        assert!(err.contains(e), "stderr lacks «{e}»:\n{err}");
    }
    assert!(err.contains("hint:"), "no hint in:\n{err}");
    assert_eq!(
        std::fs::read(p.path("site/index.html")).unwrap(),
        before,
        "previous site was changed"
    );
    let check = p.atlas(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    err
}

const YUNNAN: &str = "content/measures/yunnan-ijl-2025.toml";

#[test]
fn real_content_checks_clean() {
    let p = Project::new();
    let out = p.atlas(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn toml_syntax_error_is_positioned() {
    let p = Project::new();
    let before = p.good_build();
    p.edit(YUNNAN, |s| {
        s.replacen("short_title = ", "short_title = = ", 1)
    });
    let line = std::fs::read_to_string(p.path(YUNNAN))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("short_title = ="))
        .unwrap()
        + 1;
    let err = return_after(&p, &before, &[&format!("yunnan-ijl-2025.toml:{line}:")]);
    assert!(err.contains("invalid") || err.contains("expected"), "{err}");
}

/// A value outside a fixed vocabulary (level, erratum kind, fact type, force, unit, relation
/// kind) is refused where it stands, naming the allowed values.
#[test]
fn unknown_vocabulary_values_are_positioned_and_list_the_allowed_ones() {
    let p = Project::new();
    let before = p.good_build();
    for (from, to, allowed) in [
        (
            "level = \"provincial\"",
            "level = \"county\"",
            "one of `national`, `ministerial`, `provincial`, `municipal`",
        ),
        (
            "kind = \"artefact\"",
            "kind = \"smudge\"",
            "one of `numbering-gap`, `typo`",
        ),
        (
            "type = \"minimum\"",
            "type = \"minimal\"",
            "one of `minimum`, `maximum`",
        ),
        ("force = \"hard\"", "force = \"firm\"", "`hard` or `soft`"),
        (
            "unit = \"person\"",
            "unit = \"people\"",
            "one of `person`, `yuan`",
        ),
    ] {
        let original = std::fs::read_to_string(p.path(YUNNAN)).unwrap();
        p.edit(YUNNAN, |s| s.replacen(from, to, 1));
        let text = std::fs::read_to_string(p.path(YUNNAN)).unwrap();
        let at = text.find(to).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let col =
            text[..at].rsplit('\n').next().unwrap().chars().count() + to.find('"').unwrap() + 1;
        return_after(
            &p,
            &before,
            &[
                &format!("yunnan-ijl-2025.toml:{line}:{col}: error: unknown variant"),
                "use one of the values listed above",
                &format!("expected {allowed}"),
            ],
        );
        std::fs::write(p.path(YUNNAN), original).unwrap();
    }
}

#[test]
fn unknown_key_is_named() {
    fails_and_keeps_site(
        |p| {
            p.edit(YUNNAN, |s| {
                s.replacen("short_title = ", "shorttitle = \"x\"\nshort_title = ", 1)
            })
        },
        &["unknown field `shorttitle`", "yunnan-ijl-2025.toml:"],
    );
}

#[test]
fn article_text_differing_from_source_is_caught() {
    // 第七条（四）: 不少于20人 → 不少于30人
    let err = fails_and_keeps_site(
        |p| {
            p.edit(YUNNAN, |s| {
                s.replacen("专职科技人员应不少于20人", "专职科技人员应不少于30人", 1)
            })
        },
        &[
            "differs from the source copy",
            "000_2e852e097c09fd9b.txt line",
        ],
    );
    assert!(err.contains("art-7-4"), "{err}");
}

#[test]
fn dropped_or_added_sentence_is_caught() {
    fails_and_keeps_site(
        |p| {
            p.edit(YUNNAN, |s| {
                s.replacen(
                    "text = \"有关评估验收工作实施细则另行制定。\"",
                    "text = \"\"",
                    1,
                )
            })
        },
        &["differs from the source copy"],
    );
    fails_and_keeps_site(
        |p| {
            p.edit(YUNNAN, |s| {
                s.replacen(
                    "有关评估验收工作实施细则另行制定。",
                    "有关评估验收工作实施细则另行制定。细则由省科技厅发布。",
                    1,
                )
            })
        },
        &["differs from the source copy"],
    );
}

#[test]
fn duplicated_article_anchor_is_caught() {
    // Article 22 claims to be 21 as well.
    fails_and_keeps_site(
        |p| {
            p.edit(YUNNAN, |s| {
                s.replacen(
                    "number = 22\nlabel = \"第二十二条\"",
                    "number = 21\nlabel = \"第二十一条\"",
                    1,
                )
            })
        },
        &["duplicated anchor 'art-21'"],
    );
}

#[test]
fn reference_to_missing_article_is_caught() {
    let p = Project::new();
    // Add a sentence referring to 第四十条 in a 30-article measure (both the copy and the transcription,
    // so only the reference rule can object).
    let src = "content/sources/000_2e852e097c09fd9b.txt";
    p.edit(src, |s| {
        s.replacen(
            "有关评估验收工作实施细则另行制定。",
            "有关评估验收工作实施细则另行制定，依照第四十条执行。",
            1,
        )
    });
    p.edit(YUNNAN, |s| {
        s.replacen(
            "有关评估验收工作实施细则另行制定。",
            "有关评估验收工作实施细则另行制定，依照第四十条执行。",
            1,
        )
    });
    let sha = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(std::fs::read(p.path(src)).unwrap());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    p.edit(YUNNAN, |s| {
        s.replace(
            "171419cd271d44d073527ce680ad080725409bdcaa294643406ef0bd55ec6fd7",
            &sha,
        )
    });
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("第四十条 (article 40)") && err.contains("up to 30"),
        "{err}"
    );
    assert_eq!(
        err.matches(": error:").count(),
        1,
        "only the reference should be wrong:\n{err}"
    );
}

#[test]
fn changed_source_copy_fails_checksum() {
    fails_and_keeps_site(
        |p| {
            p.edit("content/sources/001_3a036f1c194d19e4.txt", |s| {
                s.replacen("前提提交", "前提交", 1)
            })
        },
        &["SHA-256 of content/sources/001_3a036f1c194d19e4.txt"],
    );
}

#[test]
fn numbering_gap_needs_an_erratum() {
    let drop_gap_erratum = |s: String| {
        let start = s
            .find("[[erratum]]\ntarget = \"art-19\"")
            .expect("Kunming gap erratum");
        let end = s[start + 10..]
            .find("[[")
            .map_or(s.len(), |i| start + 10 + i);
        format!("{}{}", &s[..start], &s[end..])
    };
    fails_and_keeps_site(
        |p| p.edit("content/measures/kunming-bases-2020.toml", drop_gap_erratum),
        &["numbers jump from 17 to 19: 18 missing"],
    );
}

/// The files beside the measures that the content needs: missing, a directory or a link (a
/// loop among them) is an error naming the file, and check fails (without topics.toml it
/// passed, the build wrote 90 files of 188 and accepted a fact on a topic that does not exist).
#[test]
fn required_content_files_missing_or_of_the_wrong_kind_are_errors() {
    for name in ["topics.toml", "glossary.toml"] {
        let p = Project::new();
        let path = p.path(&format!("content/{name}"));
        std::fs::remove_file(&path).unwrap();
        let out = p.atlas(&["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("content/{name}: error: {name} not found: "))
                && err.contains("hint:"),
            "{err}"
        );
        std::fs::create_dir(&path).unwrap();
        let err = stderr(&p.atlas(&["check"]));
        assert!(
            err.contains(&format!(
                "content/{name}: error: {name} is a directory, not a file"
            )),
            "{err}"
        );
        #[cfg(unix)]
        {
            std::fs::remove_dir(&path).unwrap();
            // A link to itself: a loop.
            std::os::unix::fs::symlink(&path, &path).unwrap();
            let out = p.atlas(&["check"]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(
                err.contains(&format!("content/{name}: error: {name} is a symbolic link")),
                "{err}"
            );
        }
    }
    // calculators.toml is optional; its absence is said, and the check passes.
    let p = Project::new();
    std::fs::remove_file(p.path("content/calculators.toml")).unwrap();
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/calculators.toml: warning: calculators.toml not found"),
        "{err}"
    );
}

/// A measure or source copy turned into a symbolic link is named, not skipped; a file in
/// content/sources/ that no measure refers to, or in a directory below it, is named and never
/// published.
#[cfg(unix)]
#[test]
fn links_and_unreferenced_sources_are_reported_and_never_published() {
    let p = Project::new();
    let measure = p.path("content/measures/kunming-bases-2020.toml");
    let moved = p.path("kunming.toml");
    std::fs::rename(&measure, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &measure).unwrap();
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/measures/kunming-bases-2020.toml: error: is a symbolic link"),
        "{err}"
    );
    std::fs::remove_file(&measure).unwrap();
    std::fs::rename(&moved, &measure).unwrap();

    std::fs::write(p.path("content/sources/private-notes.txt"), "不公开").unwrap();
    std::fs::create_dir(p.path("content/sources/sub")).unwrap();
    std::fs::write(p.path("content/sources/sub/deep.txt"), "不公开").unwrap();
    let out = p.atlas(&["build", "--as-of", "2026-11-21"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/sources/private-notes.txt: warning: no measure refers to this source copy: it is not published"),
        "{err}"
    );
    assert!(
        err.contains("content/sources/sub: warning: is a directory inside"),
        "{err}"
    );
    let published: Vec<String> = std::fs::read_dir(p.path("site/sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!published.is_empty(), "the referenced copies are published");
    assert!(
        !published
            .iter()
            .any(|n| n == "private-notes.txt" || n == "sub" || n == "deep.txt"),
        "{published:?}"
    );
    let sources_page = std::fs::read_to_string(p.path("site/sources.html")).unwrap();
    assert!(!sources_page.contains("private-notes"));

    // A source copy that is a link is an error too.
    let src = std::fs::read_dir(p.path("content/sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "txt") && !p.ends_with("private-notes.txt"))
        .unwrap();
    let aside = p.path("aside.txt");
    std::fs::rename(&src, &aside).unwrap();
    std::os::unix::fs::symlink(&aside, &src).unwrap();
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}: error: is a symbolic link",
            src.file_name().unwrap().to_string_lossy()
        )),
        "{err}"
    );
}

/// A TOML key or a file name carrying terminal control codes (a title change, a bell, a screen
/// clear, a newline) is printed escaped, the file name quoted: one finding, its own lines.
#[cfg(unix)]
#[test]
fn control_codes_in_findings_are_printed_escaped() {
    let p = Project::new();
    let name = "evil\n\u{1b}]0;owned\u{7}.toml";
    std::fs::write(
        p.path("content/measures").join(name),
        "\"\\u001b[2J\\u0007\" = 1\n",
    )
    .unwrap();
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "raw control codes in: {err:?}"
    );
    let line = err
        .lines()
        .find(|l| l.contains("evil"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.starts_with("\"content/measures/evil\\u{a}\\u{1b}]0;owned\\u{7}.toml\":1:1: error: ")
            && line.contains("\\u{1b}[2J\\u{7}"),
        "{line}"
    );
}

/// A note nested 100,000 deep (26 s of build at 30,000 before) is refused by check, at the
/// note. (How fast is a matter for the benches; the nesting bound is what keeps it linear.)
#[test]
fn a_deeply_nested_note_is_refused_at_its_position() {
    let p = Project::new();
    let deep = format!("{}深", "- ".repeat(100_000));
    p.edit("content/measures/kunming-bases-2020.toml", |s| {
        s.replacen(
            "note = \"原文此处因分页（空行）断开一句，此处接续为一句。\"",
            &format!("note = \"{deep}\""),
            1,
        )
    });
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("kunming-bases-2020.toml:506:8: error: note of [[erratum]] 1 nests deeper than 32 levels (at byte 64 of the note)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn unwritable_output_keeps_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new();
    let before = p.good_build();
    // The site is replaced by renames in its parent; make the parent read-only.
    let parent = p.path("out");
    std::fs::create_dir(&parent).unwrap();
    let out = p.atlas(&["build", "--as-of", "2026-11-21", "--out", "out/site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = parent.join("probe");
    let writable = std::fs::write(&probe, b"x").is_ok(); // root ignores permissions
    let _ = std::fs::remove_file(&probe);
    let second = p.atlas(&["build", "--as-of", "2026-11-22", "--out", "out/site"]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    if writable {
        // Running as root: simulate with an output path whose parent is a file instead.
        std::fs::write(p.path("blocker"), b"").unwrap();
        let third = p.atlas(&["build", "--out", "blocker/site"]);
        assert_eq!(third.status.code(), Some(1));
        assert!(stderr(&third).contains("cannot"), "{}", stderr(&third));
    } else {
        assert_eq!(second.status.code(), Some(1));
        assert!(
            stderr(&second).contains("the previous site (if any) is untouched"),
            "{}",
            stderr(&second)
        );
        let html = std::fs::read_to_string(parent.join("site/index.html")).unwrap();
        assert!(html.contains("2026-11-21"));
    }
    assert_eq!(std::fs::read(p.path("site/index.html")).unwrap(), before);
}

#[test]
fn refuses_to_overwrite_a_foreign_directory() {
    let p = Project::new();
    std::fs::create_dir(p.path("docs")).unwrap();
    std::fs::write(p.path("docs/notes.txt"), b"mine").unwrap();
    let out = p.atlas(&["build", "--out", "docs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("was not written by atlas"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(p.path("docs/notes.txt")).unwrap(), b"mine");
}

#[test]
fn bad_as_of_date_is_explained() {
    let p = Project::new();
    let out = p.atlas(&["build", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
}

/// Appends a fact to the Yunnan measure and returns the check's stderr.
fn check_with_fact(fact: &str) -> String {
    let p = Project::new();
    p.edit(YUNNAN, |s| format!("{s}\n{fact}\n"));
    let out = p.atlas(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail:\n{}",
        stderr(&out)
    );
    stderr(&out)
}

const FACT: &str = r#"[[fact]]
id = "test-staff-min"
topic = "TOPIC"
type = "minimum"
force = "hard"
label = "专职科技人员"
label_en = "Full-time staff"
cite = "CITE"
quote = "QUOTE"
value = 20
unit = "person""#;

fn fact(topic: &str, cite: &str, quote: &str) -> String {
    FACT.replace("TOPIC", topic)
        .replace("CITE", cite)
        .replace("QUOTE", quote)
}

#[test]
fn fact_quote_must_be_in_the_cited_unit() {
    // The words are in 第七条（四）, not in 第七条（一）.
    let err = check_with_fact(&fact(
        "staffing-minimums",
        "art-7-1",
        "专职科技人员应不少于20人",
    ));
    assert!(
        err.contains("quote «专职科技人员应不少于20人» is not in the text of art-7-1"),
        "{err}"
    );
    // A quote that is not verbatim (20 → 二十) is refused too.
    let err = check_with_fact(&fact(
        "staffing-minimums",
        "art-7-4",
        "专职科技人员应不少于二十人",
    ));
    assert!(err.contains("is not in the text of art-7-4"), "{err}");
}

#[test]
fn fact_on_unknown_topic_is_refused() {
    let err = check_with_fact(&fact(
        "staff-minimum-typo",
        "art-7-4",
        "专职科技人员应不少于20人",
    ));
    assert!(err.contains("unknown topic 'staff-minimum-typo'"), "{err}");
    assert!(err.contains("content/topics.toml"), "{err}");
}

#[test]
fn fact_citing_a_missing_clause_is_refused() {
    // 第七条 has four clauses.
    let err = check_with_fact(&fact(
        "staffing-minimums",
        "art-7-9",
        "专职科技人员应不少于20人",
    ));
    assert!(err.contains("cited unit 'art-7-9' does not exist"), "{err}");
    assert!(
        err.contains("art-7-4"),
        "hint lists the existing clauses:\n{err}"
    );
}

#[test]
fn fact_values_must_be_exact() {
    let err = check_with_fact(
        &fact("staffing-minimums", "art-7-4", "专职科技人员应不少于20人")
            .replace("value = 20", "value = 20.5"),
    );
    assert!(err.contains("is a float"), "{err}");
}

#[test]
fn periods_and_yearly_dates_say_how_they_count() {
    // 云南 第十八条（一）: a period must say whether it is a time to act (art. 203 moves its last
    // day) or a term that runs out; nothing is assumed.
    let period = r#"[[fact]]
id = "test-plan-due"
topic = "rectification-periods"
type = "period"
force = "hard"
label = "整改方案"
label_en = "Rectification plan"
cite = "art-18-1"
quote = "自通报之日起15日内提交整改方案"
value = 15
unit = "day""#;
    let err = check_with_fact(period);
    assert!(
        err.contains("yunnan-ijl-2025.toml:") && err.contains("a period fact needs period_kind"),
        "{err}"
    );
    assert!(err.contains("\"deadline\" when someone must act"), "{err}");
    // 自通报之日起: the English edition needs the event in English too, not its machine name.
    let err = check_with_fact(&format!(
        "{period}\nperiod_kind = \"deadline\"\nfrom = \"通报之日\"\nevent = \"notified\""
    ));
    assert!(
        err.contains("yunnan-ijl-2025.toml:")
            && err.contains("only in Chinese")
            && err.contains("from_en"),
        "{err}"
    );
    let err = check_with_fact(&format!("{period}\nperiod_kind = \"expiry\""));
    assert!(
        err.contains("unknown variant `expiry`, expected `deadline` or `term`"),
        "{err}"
    );
    // 第二十条 “每年11月30日前”: whether the day named is itself on time must be stated.
    let err = check_with_fact(
        r#"[[fact]]
id = "test-report"
topic = "annual-reporting"
type = "annual-date"
force = "hard"
label = "年度报告"
label_en = "Annual report"
cite = "art-20"
quote = "每年11月30日前"
month = 11
day = 30"#,
    );
    assert!(err.contains("an annual-date fact needs named_day"), "{err}");
}

#[test]
fn a_summary_must_use_the_glossary_rendering() {
    let p = Project::new();
    // The glossary renders 国际联合实验室 as "international joint laboratory" and lists
    // "joint international laboratory" as a rendering to avoid.
    p.edit(YUNNAN, |s| {
        let i = s.find("summary_en = \"").expect("a summary");
        format!(
            "{}summary_en = \"A joint international laboratory of Yunnan. {}",
            &s[..i],
            &s[i + "summary_en = \"".len()..]
        )
    });
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("renders 国际联合实验室 as “joint international laboratory”"),
        "{err}"
    );
    assert!(err.contains("international joint laboratory"), "{err}");
}

/// The glossary's search wordings: a Chinese one that is English, one that repeats its term,
/// and one that belongs to another term are each an error at its own line.
#[test]
fn glossary_search_wordings_are_checked() {
    let p = Project::new();
    p.edit("content/glossary.toml", |s| {
        s.replacen(
            "search_zh = [\"年报\",",
            "search_zh = [\"yearly\", \"年度报告\", \"整改\", \"年报\",",
            1,
        )
    });
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = std::fs::read_to_string(p.path("content/glossary.toml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("\"yearly\""))
        .unwrap()
        + 1;
    for want in [
        format!("glossary.toml:{line}:14: error: search_zh “yearly” of 年度报告 is not Chinese"),
        format!("glossary.toml:{line}:24: error: search wording “年度报告” repeats another wording of 年度报告"),
        format!("glossary.toml:{line}:32: error: search wording “整改” of 年度报告 is also a wording of 整改"),
    ] {
        assert!(err.contains(&want), "{want}\n{err}");
    }
}

#[test]
fn a_missing_summary_is_reported_but_does_not_fail() {
    let p = Project::new();
    p.edit(YUNNAN, |s| {
        let i = s.find("summary_en = \"").expect("a summary");
        let end = s[i..].find('\n').unwrap() + i;
        format!("{}summary_en = \"\"{}", &s[..i], &s[end..])
    });
    let out = p.atlas(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: 第一条 has no English summary"),
        "{err}"
    );
}

fn atlas_stdin(p: &Project, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas"))
        .args(args)
        .current_dir(p.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn calc_list_names_every_calculator_with_its_inputs() {
    let p = Project::new();
    let out = p.atlas(&["calc", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "kunming-disbursement",
        "yunnan-post-evaluation-bonus",
        "yunnan-enterprise-match",
        "yunnan-timeline",
        "zhejiang-committee",
        "zhejiang-timeline",
        "non-duplication",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let kd = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "kunming-disbursement")
        .unwrap();
    let names: Vec<&str> = kd["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["base_type", "recognized_on", "evaluations"]);
}

#[test]
fn calc_run_gives_cited_results_and_names_a_bad_field() {
    let p = Project::new();
    // 云南 第二十三条: self-raised ≥ 3 × provincial for an enterprise host; 1,200,000 → 3,600,000.
    let out = atlas_stdin(
        &p,
        &["calc", "run", "yunnan-enterprise-match", "--input", "-"],
        r#"{"provincial_funding":"1200000"}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"]["min_self_raised"], "3600000.00");
    assert!(
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["citation"]["anchor"] == "art-23"),
        "{v}"
    );
    let bad = atlas_stdin(
        &p,
        &["calc", "run", "yunnan-enterprise-match", "--input", "-"],
        r#"{"provincial_funding":"-5"}"#,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("provincial_funding"),
        "{}",
        stderr(&bad)
    );
    let unknown = p.atlas(&["calc", "run", "no-such-calculator", "--input", "x.json"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// `atlas calc run yunnan-post-evaluation-bonus --csv labs.csv` and `more` arguments.
fn bonus_csv(p: &Project, more: &[&str]) -> Output {
    let mut args = vec![
        "calc",
        "run",
        "yunnan-post-evaluation-bonus",
        "--csv",
        "labs.csv",
    ];
    args.extend_from_slice(more);
    p.atlas(&args)
}

#[test]
fn calc_run_csv_runs_one_row_per_lab() {
    let p = Project::new();
    // 第十九条: excellent → 1/3, good → 1/5 of the provincial funding; 3,000,000 → 1,000,000.00 / 600,000.00.
    std::fs::write(
        p.path("labs.csv"),
        "provincial_funding,grade\n3000000,excellent\n3000000,good\nabc,good\n",
    )
    .unwrap();
    let out = bonus_csv(&p, &["--out", "results.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut rdr = csv::Reader::from_path(p.path("results.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][col("bonus")], "1000000.00");
    assert_eq!(&rows[1][col("bonus")], "600000.00");
    assert!(
        rows[2][col("error")].contains("provincial_funding"),
        "{:?}",
        rows[2]
    );
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in the file"))
        + 1
}

/// Applies `edit` to the Yunnan measure, runs `atlas check`, and returns its stderr and the
/// edited text.
fn check_after(edit: impl FnOnce(String) -> String) -> (String, String) {
    let p = Project::new();
    p.edit(YUNNAN, edit);
    let text = std::fs::read_to_string(p.path(YUNNAN)).unwrap();
    let out = p.atlas(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail:\n{}",
        stderr(&out)
    );
    (stderr(&out), text)
}

/// `file:line:` of an error on the line containing `needle`, with the message and a hint.
fn positioned(err: &str, text: &str, needle: &str, message: &str) {
    let at = format!("{YUNNAN}:{}:", line_of(text, needle));
    assert!(
        err.lines().any(|l| l.contains(&at) && l.contains(message)),
        "no error at {at} saying «{message}»:\n{err}"
    );
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn a_fact_value_must_be_the_number_its_quote_states() {
    // 第七条（四）“专职科技人员应不少于20人”: value = 16 contradicts the quote.
    let (err, text) = check_after(|s| {
        format!(
            "{s}\n{}\n",
            fact("staffing-minimums", "art-7-4", "专职科技人员应不少于20人")
                .replace("value = 20", "value = 16")
        )
    });
    positioned(
        &err,
        &text,
        "value = 16",
        "the value 16 is not a number the quote states",
    );
    // 第十九条（一）“…经费1/3的经费支持”: a share of 1/4 contradicts it.
    let (err, text) = check_after(|s| {
        s.replacen(
            "quote = \"后评估结果为优秀的，一次性给予立项支持省级财政科技经费1/3的经费支持。\"\nshare = \"1/3\"",
            "quote = \"后评估结果为优秀的，一次性给予立项支持省级财政科技经费1/3的经费支持。\"\nshare = \"1/4\"",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "share = \"1/4\"",
        "the share 1/4 is not a share the quote states",
    );
}

#[test]
fn a_date_fact_must_be_the_date_its_quote_states() {
    // 第三十条 “本办法自2026年2月1日起施行”: a date fact of 2026-02-02 contradicts it.
    let (err, text) = check_after(|s| {
        format!(
            "{s}\n[[fact]]\nid = \"test-date\"\ntopic = \"entry-into-force-and-repeal\"\ntype = \"date\"\nforce = \"hard\"\nlabel = \"施行\"\nlabel_en = \"In force\"\ncite = \"art-30\"\nquote = \"本办法自2026年2月1日起施行\"\nvalue = 2026-02-02\n"
        )
    });
    positioned(
        &err,
        &text,
        "value = 2026-02-02",
        "the date 2026-02-02 is not the date the quote states",
    );
}

#[test]
fn a_check_bound_to_a_fact_of_the_wrong_type_is_positioned() {
    // A threshold check bound to a grade scale.
    let (err, text) = check_after(|s| {
        s.replacen(
            "fact = \"yunnan-staff-min\"",
            "fact = \"yunnan-post-eval-grades\"",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "fact = \"yunnan-post-eval-grades\"",
        "a grade-scale fact: a check compares with a minimum, a maximum, a cap or a bar (a period)",
    );
}

#[test]
fn a_money_input_compared_with_a_head_count_is_positioned() {
    // 省级财政经费 (money) against 专职科技人员不少于20人 (persons).
    let (err, text) = check_after(|s| {
        s.replacen(
            "fact = \"yunnan-funding-cap\"",
            "fact = \"yunnan-staff-min\"  # wrong",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "fact = \"yunnan-staff-min\"  # wrong",
        "compares the money input provincial_funding with fact yunnan-staff-min in person",
    );
}

#[test]
fn a_binding_of_the_wrong_type_and_a_missing_option_are_positioned() {
    // The matching ratio bound to the funding cap.
    let (err, text) = check_after(|s| {
        s.replacen(
            "ratio = \"yunnan-enterprise-matching\"",
            "ratio = \"yunnan-funding-cap\"",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "ratio = \"yunnan-funding-cap\"",
        "bind.ratio is fact yunnan-funding-cap, a cap fact",
    );
    // The matching primitive without its min_result option.
    let (err, text) = check_after(|s| s.replacen(" min_result = \"min_self_raised\",", "", 1));
    positioned(
        &err,
        &text,
        "options = { own = \"self_raised\", public = \"provincial_funding\", max_result",
        "the matching primitive needs the option min_result",
    );
}

/// Cells that a spreadsheet would run as formulas are written with a leading `'` (OWASP), the
/// echoed inputs and every other cell alike; numbers stay as they are; taking the `'` off gives
/// back each value exactly.
#[test]
fn calc_csv_neutralises_formulas_and_round_trips_hostile_values() {
    let p = Project::new();
    let hostile = [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "@SUM(A1:A9)",
        "\tleading tab",
        "\rleading return",
        "-2+3",
        "=HYPERLINK(\"https://example.org\",\"x\")",
    ];
    let mut w = csv::Writer::from_path(p.path("labs.csv")).unwrap();
    w.write_record(["provincial_funding", "grade"]).unwrap();
    for h in hostile {
        w.write_record([h, "good"]).unwrap();
        w.write_record(["3000000", h]).unwrap();
    }
    // A negative number is a number: kept (and refused by the calculator).
    w.write_record(["-5", "good"]).unwrap();
    w.flush().unwrap();
    drop(w);
    let out = bonus_csv(&p, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2 * hostile.len() + 1);
    let risky = |c: &str| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    for (i, h) in hostile.iter().enumerate() {
        let (a, b) = (&rows[2 * i], &rows[2 * i + 1]);
        assert_eq!(&a[0], format!("'{h}"), "{a:?}");
        assert_eq!(&b[1], format!("'{h}"), "{b:?}");
        assert_eq!(&a[0][1..], *h, "round trip");
        assert_eq!(&b[1][1..], *h, "round trip");
        for cell in a.iter().chain(b.iter()) {
            assert!(!risky(cell), "{cell:?} would be a formula");
        }
    }
    assert_eq!(&rows[2 * hostile.len()][0], "-5");
}

/// A CSV header naming an input twice is refused, naming it, before anything is written; so
/// is a JSON input giving a key twice (the last one silently won).
#[test]
fn duplicate_csv_columns_and_json_keys_are_refused() {
    let p = Project::new();
    std::fs::write(
        p.path("labs.csv"),
        "provincial_funding,grade,grade\n3000000,excellent,good\n",
    )
    .unwrap();
    let out = bonus_csv(&p, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("CSV column 'grade' appears twice"),
        "{}",
        stderr(&out)
    );
    let out = atlas_stdin(
        &p,
        &[
            "calc",
            "run",
            "yunnan-post-evaluation-bonus",
            "--input",
            "-",
        ],
        r#"{"provincial_funding": "3000000", "grade": "excellent", "grade": "good"}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("field 'grade' is given twice"),
        "{}",
        stderr(&out)
    );
}

/// `calc --csv` streams: its peak memory at 100,000 rows is that at 1,000 (it was 1.17 GB at
/// 100,000: every row was held). Peak resident memory of the child, from wait4(2).
#[cfg(target_os = "linux")]
#[test]
fn calc_csv_memory_stays_flat_with_the_number_of_rows() {
    let p = Project::new();
    let peak = |rows: usize| -> i64 {
        let mut text = String::from("provincial_funding,grade\n");
        for i in 0..rows {
            text.push_str(&format!(
                "{},{}\n",
                3_000_000 + i,
                ["excellent", "good"][i % 2]
            ));
        }
        let file = p.path(&format!("rows-{rows}.csv"));
        std::fs::write(&file, text).unwrap();
        // Reaped by wait4 below, which also gives its peak memory.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(env!("CARGO_BIN_EXE_atlas"))
            .args(["calc", "run", "yunnan-post-evaluation-bonus", "--csv"])
            .arg(&file)
            .current_dir(p.path(""))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut status = 0;
        // SAFETY: rusage is plain data; wait4 fills it for our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = child.id() as libc::pid_t;
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(r, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        usage.ru_maxrss // KiB
    };
    let small = peak(1_000);
    let large = peak(100_000);
    eprintln!("calc --csv peak: 1,000 rows {small} KiB, 100,000 rows {large} KiB");
    assert!(
        large < small + 8 * 1024,
        "100,000 rows peak {large} KiB against {small} KiB at 1,000"
    );
}

#[test]
fn a_calculator_input_must_read_a_declared_profile_field_of_its_type() {
    // yunnan-eligibility's `staff` reads the profile's `staff` (an int): renamed to a field no
    // [[profile]] declares, then to the profile's `start` (a date).
    let (err, text) =
        check_after(|s| s.replacen("profile = \"staff\"", "profile = \"headcount\"", 1));
    positioned(
        &err,
        &text,
        "profile = \"headcount\"",
        "reads profile field 'headcount', which no [[profile]] of calculators.toml declares",
    );
    let (err, text) =
        check_after(|s| s.replacen("profile = \"staff\"", "profile = \"start\" # a date", 1));
    positioned(
        &err,
        &text,
        "profile = \"start\" # a date",
        "input 'staff' is a int but profile field 'start' is a date",
    );
}

#[test]
fn a_dated_profile_read_names_a_choice_of_the_list() {
    // yunnan-timeline's `start` (a date) made to read a date of the recognitions held: of a
    // recognition the list does not offer, then of one it does but of a date it does not ask.
    let (err, text) = check_after(|s| {
        s.replacen(
            "profile = \"start\"",
            "profile = \"held.no-such-lab.since\"",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "profile = \"held.no-such-lab.since\"",
        "input 'start' reads a date of 'no-such-lab', which is not a choice of profile field 'held'",
    );
    let (err, text) = check_after(|s| {
        s.replacen(
            "profile = \"start\"",
            "profile = \"held.national-base.expired\"",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "profile = \"held.national-base.expired\"",
        "reads profile field 'held.national-base.expired', which no [[profile]]",
    );
}

#[test]
fn an_input_left_off_the_planner_must_be_optional() {
    // yunnan-timeline's `start` is required: the planner could never run it without it.
    let (err, text) = check_after(|s| {
        s.replacen(
            "profile = \"start\"",
            "profile = \"start\"\nplanner = false",
            1,
        )
    });
    positioned(
        &err,
        &text,
        "planner = false",
        "input 'start' is required but not asked on the planner page",
    );
}
