//! Faults in the middle of a build: a build killed at a random moment, and a full disk. Either
//! way the previous site stays byte-for-byte as it was (or, for a kill after the final rename,
//! is the complete new site), no leftover directory breaks the next build, and a full disk is
//! reported with its cause and the file.
//!
//! The `atlas` command runs as a child process: this test binary re-runs itself with
//! `ATLAS_FAULTS_CHILD` set, and [`child_entry`] then runs `atlas build` (the library's
//! [`atlas::site::build`], as the binary does) with the arguments from that variable, so the
//! child is a real build in its own process and can be killed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD: &str = "ATLAS_FAULTS_CHILD";

/// Not a test of its own: the entry point of the child process.
#[test]
fn child_entry() {
    let Ok(args) = std::env::var(CHILD) else {
        return;
    };
    let args: Vec<String> = serde_json::from_str(&args).expect("child args");
    // `build --content C --out O --as-of D`, as `atlas build` takes them.
    let mut o = atlas::site::Options::default();
    for pair in args[1..].chunks(2) {
        match pair {
            [k, v] if k == "--content" => o.content = v.into(),
            [k, v] if k == "--out" => o.out = v.into(),
            [k, v] if k == "--as-of" => o.as_of = Some(v.clone()),
            other => panic!("child: unexpected arguments {other:?}"),
        }
    }
    assert_eq!(args[0], "build");
    let mut report = atlas::diagnostics::Report::default();
    let code = match atlas::site::build(&o, &mut report) {
        Ok(_) => 0,
        Err(e) => {
            eprintln!("atlas build: error: {e}; nothing was written");
            1
        }
    };
    std::process::exit(code);
}

fn atlas(args: &[&str]) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "child_entry", "--nocapture", "--test-threads=1"])
        .env(CHILD, serde_json::to_string(args).unwrap())
        .current_dir(atlas_tests::repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(args: &[&str]) -> (bool, String) {
    let o = atlas(args).output().expect("spawn");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Names beside the site other than the site itself.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site."))
        .collect()
}

/// A small deterministic generator for the kill delays (seeded from the clock, printed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn a_killed_build_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let out_s = out.to_str().unwrap();
    let content = atlas_tests::repo().join("content");
    let content_s = content.to_str().unwrap();
    // The previous site (as of one date) and, elsewhere, the complete new one (another date).
    let (ok, err) = run(&[
        "build",
        "--content",
        content_s,
        "--out",
        out_s,
        "--as-of",
        "2026-11-21",
    ]);
    assert!(ok, "{err}");
    let before = tree(&out);
    let other = dir.path().join("other/site");
    let t = Instant::now();
    let (ok, err) = run(&[
        "build",
        "--content",
        content_s,
        "--out",
        other.to_str().unwrap(),
        "--as-of",
        "2027-01-05",
    ]);
    assert!(ok, "{err}");
    let full = t.elapsed();
    let after = tree(&other);
    assert_ne!(before, after, "the two dates give different sites");

    let seed = std::env::var("ATLAS_FAULTS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let mut rng = Lcg(seed);
    let kills: u64 = std::env::var("ATLAS_FAULTS_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let span = full.as_millis().max(20) as u64 * 11 / 10;
    let mut delays = Vec::new();
    let mut replaced = 0;
    for _ in 0..kills {
        let delay = Duration::from_millis(rng.next() % span);
        delays.push(delay.as_millis());
        let mut child = atlas(&[
            "build",
            "--content",
            content_s,
            "--out",
            out_s,
            "--as-of",
            "2027-01-05",
        ])
        .spawn()
        .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no cleanup runs
        let _ = child.wait();
        let now = tree(&out);
        if now == after {
            replaced += 1;
        } else {
            assert!(
                now == before,
                "after a kill at {delay:?} (seed {seed}) the site is neither the previous nor the new one"
            );
        }
        // Put the previous site back for the next round if the build got through.
        if now == after {
            let (ok, err) = run(&[
                "build",
                "--content",
                content_s,
                "--out",
                out_s,
                "--as-of",
                "2026-11-21",
            ]);
            assert!(ok, "{err}");
        }
    }
    eprintln!(
        "killed {kills} builds at {delays:?} ms (full build {} ms, seed {seed}); {replaced} had finished",
        full.as_millis()
    );
    // The next build succeeds and cleans up what the killed ones left.
    let (ok, err) = run(&[
        "build",
        "--content",
        content_s,
        "--out",
        out_s,
        "--as-of",
        "2027-01-05",
    ]);
    assert!(ok, "{err}");
    assert!(tree(&out) == after, "the build after the kills is complete");
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "temporary directories left"
    );
}

/// A build killed between moving the previous site aside and moving the new one in: the next
/// run puts the previous site back before anything else, so even a failing build leaves it.
#[test]
fn a_build_killed_between_the_renames_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let mut files = atlas::render::Files::new();
    files.insert(PathBuf::from("index.html"), b"previous".to_vec());
    atlas::output::write_site(&out, &files).unwrap();
    let before = tree(&out);
    // What a build of a process that no longer exists left: its new site half written, the
    // previous site moved aside. (pid 0x7ffffffe is never a running process here.)
    let dead = 0x7fff_fffe_u32;
    assert!(!Path::new(&format!("/proc/{dead}")).exists());
    std::fs::rename(&out, dir.path().join(format!(".site.old-{dead}"))).unwrap();
    std::fs::create_dir_all(dir.path().join(format!(".site.tmp-{dead}/measures"))).unwrap();
    // A failing write (a path outside the site) still restores the previous site first.
    let mut bad = files.clone();
    bad.insert(PathBuf::from("../x.html"), Vec::new());
    assert!(atlas::output::write_site(&out, &bad).is_err());
    assert!(tree(&out) == before, "the previous site is back");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// Mounts a 2 MB tmpfs; `None` (with the reason printed) where that is impossible.
struct Mount(PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn small_disk(at: &Path) -> Option<Mount> {
    std::fs::create_dir_all(at).unwrap();
    let r = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(at)
        .output();
    match r {
        Ok(o) if o.status.success() => Some(Mount(at.to_path_buf())),
        Ok(o) => {
            eprintln!(
                "SKIPPED full-disk test: cannot mount a tmpfs (needs root and CAP_SYS_ADMIN): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(e) => {
            eprintln!("SKIPPED full-disk test: cannot run mount: {e}");
            None
        }
    }
}

#[test]
fn a_full_disk_is_reported_and_the_previous_site_stays() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let Some(_mount) = small_disk(&disk) else {
        return;
    };
    let out = disk.join("site");
    let out_s = out.to_str().unwrap();
    // The hostile fixture makes a site of under 1 MB: it fits, the real one (5 MB) does not.
    let small = atlas_tests::repo().join("tests/fixtures/hostile");
    let (ok, err) = run(&[
        "build",
        "--content",
        small.to_str().unwrap(),
        "--out",
        out_s,
        "--as-of",
        "2026-11-21",
    ]);
    assert!(ok, "the small site fits on the 2 MB disk: {err}");
    let before = tree(&out);
    let content = atlas_tests::repo().join("content");
    let (ok, err) = run(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out_s,
        "--as-of",
        "2026-11-21",
    ]);
    assert!(!ok, "a 5 MB site cannot fit on a 2 MB disk");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains(out_s), "the message names the path: {err}");
    assert!(err.contains("previous site"), "{err}");
    assert!(tree(&out) == before, "the previous site is intact");
    let left: Vec<String> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["site".to_string()],
        "the partial build is removed"
    );
    eprintln!("full disk: {}", err.lines().last().unwrap_or_default());
}
