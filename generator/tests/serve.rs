//! `atlas serve`: edit a file and the new content is served; break it and the error is reported
//! (status endpoint, event stream) while the last good site keeps being served.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{copy_dir, repo};

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let repo = repo();
    let dir = tempfile::tempdir().unwrap();
    for sub in ["content", "themes"] {
        copy_dir(&repo.join(sub), &dir.path().join(sub));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_atlas"))
        .args(["serve", "--port", "0", "--as-of", "2026-11-21"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:"),
        "served on loopback only: {line}"
    );
    let root = dir.path().to_path_buf();
    Server {
        child,
        addr,
        _dir: dir,
        root,
    }
}

/// A plain HTTP/1.0 GET on loopback; returns (status line, body).
fn get(addr: &str, path: &str) -> (String, String) {
    common::http_get(addr, path).unwrap_or_else(|| panic!("GET {path} failed"))
}

fn until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
    t.elapsed()
}

const YUNNAN: &str = "content/measures/yunnan-ijl-2025.toml";

#[test]
fn edits_are_served_and_errors_reported_while_the_last_good_site_stays() {
    let s = start();
    let (status, home) = get(&s.addr, "/");
    assert!(status.contains("200"), "{status}");
    assert!(
        home.contains("云南省国际联合实验室管理办法") && home.contains("/__atlas/events"),
        "home page with the reload client"
    );
    let (status, _) = get(&s.addr, "/measures/../../etc/passwd");
    assert!(status.contains("400"), "nothing outside the site: {status}");

    // An editor changes one article's English summary.
    let path = s.root.join(YUNNAN);
    let text = std::fs::read_to_string(&path).unwrap();
    let marker = "Edited while serving";
    let edited = text.replacen("summary_en = \"", &format!("summary_en = \"{marker}. "), 1);
    std::fs::write(&path, &edited).unwrap();
    let took = until("the edit to be served", Duration::from_secs(20), || {
        get(&s.addr, "/en/measures/yunnan-ijl-2025.html")
            .1
            .contains(marker)
    });
    eprintln!("edit visible after {} ms", took.as_millis());

    // Now a mistake: the error is reported, the last good page is still served.
    std::fs::write(
        &path,
        edited.replacen("short_title = ", "short_title = = ", 1),
    )
    .unwrap();
    until("the error to be reported", Duration::from_secs(20), || {
        let (_, body) = get(&s.addr, "/__atlas/status");
        body.contains("\"ok\":false") && body.contains("yunnan-ijl-2025.toml:")
    });
    assert!(
        get(&s.addr, "/en/measures/yunnan-ijl-2025.html")
            .1
            .contains(marker),
        "last good site still served"
    );

    // Fixing it clears the error.
    std::fs::write(&path, &edited).unwrap();
    until("the error to clear", Duration::from_secs(20), || {
        get(&s.addr, "/__atlas/status").1.contains("\"ok\":true")
    });
}

/// The search index and data files follow every edit, after the page; when edits come faster
/// than they are built, what is finally served is the last edit's.
#[test]
fn data_files_follow_the_last_edit() {
    let s = start();
    let path = s.root.join(YUNNAN);
    let text = std::fs::read_to_string(&path).unwrap();
    let title = "title_en = \"Measures for the Administration of Yunnan";
    assert!(text.contains(title));
    let edit = |marker: &str| {
        std::fs::write(
            &path,
            text.replacen(
                title,
                &format!("title_en = \"{marker} Measures for the Administration of Yunnan"),
                1,
            ),
        )
        .unwrap();
    };
    let page = |marker: &str| {
        get(&s.addr, "/en/measures/yunnan-ijl-2025.html")
            .1
            .contains(marker)
    };
    let data = || get(&s.addr, "/data/atlas.json").1;
    edit("First");
    until("the page", Duration::from_secs(20), || page("First"));
    until("the data files", Duration::from_secs(20), || {
        data().contains("First Measures")
    });
    // The next edit is written as soon as the page of the one before is served, while that
    // edit's data files may still be building.
    edit("Second");
    until("the second page", Duration::from_secs(20), || {
        page("Second")
    });
    edit("Third");
    until("the third page", Duration::from_secs(20), || page("Third"));
    until(
        "the last edit's data files",
        Duration::from_secs(20),
        || data().contains("Third Measures"),
    );
    let (_, json) = get(&s.addr, "/data/atlas.json");
    assert!(!json.contains("Second Measures") && !json.contains("First Measures"));
    let (status, _) = get(&s.addr, "/assets/search.js");
    assert!(status.contains("200"), "the search still served: {status}");

    // A good edit, then at once a broken one: starting, the broken build stops the good
    // build's data step, which runs again for the pages still served.
    edit("Fourth");
    until("the fourth page", Duration::from_secs(20), || {
        page("Fourth")
    });
    std::fs::write(
        &path,
        text.replacen("short_title = ", "short_title = = ", 1),
    )
    .unwrap();
    until("the error to be reported", Duration::from_secs(20), || {
        get(&s.addr, "/__atlas/status").1.contains("\"ok\":false")
    });
    until(
        "the last good edit's data files",
        Duration::from_secs(20),
        || data().contains("Fourth Measures"),
    );
    assert!(page("Fourth"), "the last good page is still served");
}

/// Sends `raw` on a new connection and returns the status code of the answer.
fn status_of(addr: &str, raw: &[u8]) -> String {
    use std::io::Read;
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    c.write_all(raw).unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.split(' ').nth(1).unwrap_or("").to_string()
}

/// A client that sends half a request head and waits, one that asks for the largest file ten
/// times on one connection and reads nothing, and twenty that trickle their headers a byte at
/// a time, do not keep anyone else waiting: every page and script is answered at once, many
/// times over, while they hang on (the server gives a head 10 s, a write 10 s).
#[test]
fn slow_clients_do_not_hold_up_others() {
    let s = start();
    let mut slow_head = TcpStream::connect(&s.addr).unwrap();
    slow_head
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\nAccept: ", s.addr).as_bytes())
        .unwrap();
    let mut slow_reader = TcpStream::connect(&s.addr).unwrap();
    let one = format!("GET /data/atlas.json HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr);
    slow_reader.write_all(one.repeat(10).as_bytes()).unwrap();
    let mut tricklers: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    let started = Instant::now();
    let mut answered = 0;
    for round in 0..40 {
        // The tricklers send one more byte of their heads every round.
        let byte = &b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            [round % 40..round % 40 + 1];
        for t in &mut tricklers {
            let _ = t.write_all(byte);
        }
        for path in [
            "/",
            "/assets/calculator.js",
            "/en/measures/yunnan-ijl-2025.html",
        ] {
            let t = Instant::now();
            let (status, body) = get(&s.addr, path);
            assert!(
                status.contains("200") && !body.is_empty(),
                "{path}: {status}"
            );
            // Blocked behind a slow client it would wait for that client's 10 s timeout; the
            // bound only has to tell the two apart on a loaded machine.
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "{path} took {:?} while slow clients wait",
                t.elapsed()
            );
            answered += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(answered, 120);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "all answered before the slow clients timed out"
    );
    // The slow head is answered 408 once its 10 s are up, and closed.
    use std::io::Read;
    slow_head
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut out = Vec::new();
    let _ = slow_head.read_to_end(&mut out);
    assert!(
        String::from_utf8_lossy(&out).starts_with("HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    drop(slow_reader);
}

/// What is not a plain GET or HEAD of this server's pages is refused with the status that says
/// why: an overlong request line (414) or head (431), another Host (421: a rebound DNS name),
/// another method (405), a malformed path (400).
#[test]
fn requests_outside_the_limits_are_refused() {
    let s = start();
    let a = &s.addr;
    let port = a.rsplit(':').next().unwrap();
    let cases: Vec<(String, &str)> = vec![
        (
            format!("GET /{} HTTP/1.1\r\nHost: {a}\r\n\r\n", "a".repeat(9000)),
            "414",
        ),
        (
            format!(
                "GET / HTTP/1.1\r\nHost: {a}\r\nCookie: {}\r\n\r\n",
                "c".repeat(40_000)
            ),
            "431",
        ),
        (
            format!("GET /__atlas/status HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n"),
            "421",
        ),
        (
            format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
            "200",
        ),
        (
            format!("POST / HTTP/1.1\r\nHost: {a}\r\nContent-Length: 0\r\n\r\n"),
            "405",
        ),
        (format!("DELETE / HTTP/1.1\r\nHost: {a}\r\n\r\n"), "405"),
        (format!("TRACE / HTTP/1.1\r\nHost: {a}\r\n\r\n"), "405"),
        (format!("GET /%ff HTTP/1.1\r\nHost: {a}\r\n\r\n"), "400"),
        (
            format!("GET /measures/%2e%2e/index.html HTTP/1.1\r\nHost: {a}\r\n\r\n"),
            "400",
        ),
        (format!("HEAD / HTTP/1.1\r\nHost: {a}\r\n\r\n"), "200"),
    ];
    for (raw, want) in &cases {
        let line = raw.lines().next().unwrap_or("");
        let shown: String = line.chars().take(60).collect();
        assert_eq!(&status_of(a, raw.as_bytes()), want, "{shown}");
    }
    // HEAD: the head only.
    let mut c = TcpStream::connect(a).unwrap();
    write!(c, "HEAD / HTTP/1.1\r\nHost: {a}\r\n\r\n").unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut c, &mut out).unwrap();
    assert!(
        out.ends_with("\r\n\r\n") && out.contains("Content-Length: "),
        "{out}"
    );
}

#[test]
fn open_pages_are_told_to_reload() {
    let s = start();
    let mut es = TcpStream::connect(&s.addr).unwrap();
    es.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        es,
        "GET /__atlas/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        s.addr
    )
    .unwrap();
    let mut reader = BufReader::new(es);
    let mut seen = String::new();
    // The first event says where things stand.
    while !seen.contains("event: ok") {
        let mut l = String::new();
        reader.read_line(&mut l).unwrap();
        seen.push_str(&l);
    }
    let path = s.root.join(YUNNAN);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("summary_en = \"", "summary_en = \"Reload me. ", 1),
    )
    .unwrap();
    while !seen.contains("event: reload") {
        let mut l = String::new();
        assert!(
            reader.read_line(&mut l).unwrap() > 0,
            "stream closed: {seen}"
        );
        seen.push_str(&l);
    }
}

#[test]
fn built_sites_never_contain_the_reload_client() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo();
    let o = atlas::site::Options {
        content: repo.join("content"),
        theme: repo.join("themes/default"),
        out: dir.path().join("site"),
        as_of: Some("2026-11-21".into()),
    };
    atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).unwrap();
    for e in walkdir::WalkDir::new(dir.path().join("site"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(e.path()).unwrap();
            assert!(!html.contains("__atlas/events"), "{}", e.path().display());
            assert!(
                html.contains("connect-src 'none'"),
                "{}",
                e.path().display()
            );
        }
    }
}
