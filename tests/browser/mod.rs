//! A small harness for driving headless Chromium from tests, over the DevTools protocol
//! (chromiumoxide + tokio), against pages opened from `file://` with no server.
//!
//! One [`Chromium`] per test binary, reused by every check: [`Chromium::open`] gives a [`Tab`]
//! that records console errors, uncaught exceptions, log-domain errors (failed loads, CSP) and
//! the URL of every request the page makes. All calls block, so tests stay plain functions.
//!
//! Chromium is taken from `$CHROMIUM`, else `/usr/bin/chromium`, else `chromium` or
//! `chromium-browser` on `PATH`. When none exists, [`Chromium::launch`] panics with a message
//! saying how to install it: a browser test never passes without a browser.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::browser::{
    SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
};
use chromiumoxide::cdp::browser_protocol::emulation::{
    SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
};
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, PrintToPdfParams};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde::de::DeserializeOwned;

/// Flags every launch uses (see shared/notes/wasm-offline-and-browser-tests.md).
pub const FLAGS: [&str; 6] = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// How long a wait for a page condition may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

#[path = "find.rs"]
mod find;
pub use find::chromium_path;

/// What a tab has seen since it was opened.
#[derive(Debug, Default, Clone)]
pub struct Log {
    /// URL of every request, in order.
    pub requests: Vec<String>,
    /// Console errors, uncaught exceptions and log-domain errors.
    pub errors: Vec<String>,
}

/// A running headless Chromium.
pub struct Chromium {
    rt: tokio::runtime::Runtime,
    browser: Option<Browser>,
    handler: Option<tokio::task::JoinHandle<()>>,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Launches Chromium with a fresh profile. Panics (failing the test) if it cannot.
    pub fn launch() -> Chromium {
        let exe = chromium_path().unwrap_or_else(|e| panic!("{e}"));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let profile = tempfile::tempdir().expect("profile dir");
        let config = BrowserConfig::builder()
            .chrome_executable(&exe)
            .no_sandbox()
            .user_data_dir(profile.path())
            .args(FLAGS)
            .request_timeout(WAIT)
            .build()
            .unwrap_or_else(|e| panic!("Chromium config: {e}"));
        let (browser, mut handler) = rt
            .block_on(Browser::launch(config))
            .unwrap_or_else(|e| panic!("could not launch Chromium at {}: {e}", exe.display()));
        let handler = rt.spawn(async move {
            // Keep polling; an error on one message (an event type chromiumoxide does not know)
            // must not stop the connection.
            while let Some(ev) = handler.next().await {
                if let Err(e) = ev {
                    eprintln!("[chromium handler] {e}");
                }
            }
        });
        Chromium {
            rt,
            browser: Some(browser),
            handler: Some(handler),
            _profile: profile,
        }
    }

    fn browser(&self) -> &Browser {
        self.browser.as_ref().expect("browser is open")
    }

    /// Opens `url` in a new tab, recording from before the navigation starts.
    pub fn open(&self, url: &str) -> Tab<'_> {
        let log = Arc::new(Mutex::new(Log::default()));
        let page = self.rt.block_on(async {
            let page = self
                .browser()
                .new_page("about:blank")
                .await
                .expect("new tab");
            let mut req = page
                .event_listener::<EventRequestWillBeSent>()
                .await
                .expect("request events");
            let mut console = page
                .event_listener::<EventConsoleApiCalled>()
                .await
                .expect("console events");
            let mut thrown = page
                .event_listener::<EventExceptionThrown>()
                .await
                .expect("exception events");
            let mut entries = page
                .event_listener::<EventEntryAdded>()
                .await
                .expect("log events");
            let l = log.clone();
            tokio::spawn(async move {
                while let Some(e) = req.next().await {
                    l.lock().unwrap().requests.push(e.request.url.clone());
                }
            });
            let l = log.clone();
            tokio::spawn(async move {
                while let Some(e) = console.next().await {
                    if matches!(
                        e.r#type,
                        ConsoleApiCalledType::Error | ConsoleApiCalledType::Assert
                    ) {
                        let args: Vec<String> = e
                            .args
                            .iter()
                            .map(|a| {
                                a.value
                                    .as_ref()
                                    .map(|v| v.to_string())
                                    .or_else(|| a.description.clone())
                                    .unwrap_or_default()
                            })
                            .collect();
                        l.lock()
                            .unwrap()
                            .errors
                            .push(format!("console.error: {}", args.join(" ")));
                    }
                }
            });
            let l = log.clone();
            tokio::spawn(async move {
                while let Some(e) = thrown.next().await {
                    let d = &e.exception_details;
                    let desc = d
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_default();
                    l.lock().unwrap().errors.push(format!(
                        "uncaught: {} {desc} at {}:{}",
                        d.text,
                        d.url.clone().unwrap_or_default(),
                        d.line_number
                    ));
                }
            });
            let l = log.clone();
            tokio::spawn(async move {
                while let Some(e) = entries.next().await {
                    if matches!(e.entry.level, LogEntryLevel::Error) {
                        l.lock().unwrap().errors.push(format!(
                            "log: {} ({})",
                            e.entry.text,
                            e.entry.url.clone().unwrap_or_default()
                        ));
                    }
                }
            });
            page.goto(url)
                .await
                .unwrap_or_else(|e| panic!("open {url}: {e}"));
            page
        });
        Tab {
            chromium: self,
            page: Some(page),
            log,
        }
    }

    /// Lets pages download files into `dir` (a page's own name for the file is kept).
    pub fn allow_downloads(&self, dir: &Path) {
        let params = SetDownloadBehaviorParams::builder()
            .behavior(SetDownloadBehaviorBehavior::Allow)
            .download_path(dir.to_string_lossy().to_string())
            .build()
            .unwrap_or_else(|e| panic!("download behaviour: {e}"));
        self.rt
            .block_on(self.browser().execute(params))
            .unwrap_or_else(|e| panic!("allow downloads: {e}"));
    }

    /// Closes the browser and waits for it to exit.
    pub fn close(mut self) {
        if let Some(mut b) = self.browser.take() {
            self.rt.block_on(async {
                let _ = b.close().await;
                let _ = tokio::time::timeout(Duration::from_secs(5), b.wait()).await;
            });
        }
        if let Some(h) = self.handler.take() {
            h.abort();
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Some(mut b) = self.browser.take() {
            self.rt.block_on(async {
                let _ = b.kill().await;
            });
        }
    }
}

/// One tab.
pub struct Tab<'a> {
    chromium: &'a Chromium,
    page: Option<Page>,
    log: Arc<Mutex<Log>>,
}

impl Tab<'_> {
    fn page(&self) -> &Page {
        self.page.as_ref().expect("tab is open")
    }

    fn block<F: std::future::Future>(&self, f: F) -> F::Output {
        self.chromium.rt.block_on(f)
    }

    /// Evaluates the body of an async JS function (`return …` gives the value) and decodes the
    /// result. Panics with the JS error if it throws.
    pub fn eval<T: DeserializeOwned>(&self, body: &str) -> T {
        self.try_eval(body)
            .unwrap_or_else(|e| panic!("JS failed: {e}\n--- code ---\n{body}"))
    }

    /// Like [`Tab::eval`], returning the error instead of panicking.
    pub fn try_eval<T: DeserializeOwned>(&self, body: &str) -> Result<T, String> {
        let f = format!("async function() {{ {body} }}");
        let r = self
            .block(self.page().evaluate_function(f))
            .map_err(|e| e.to_string())?;
        let v = r.value().cloned().unwrap_or(serde_json::Value::Null);
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    /// Polls the JS expression `cond` until it is truthy; panics with `what` after [`WAIT`].
    pub fn wait_for(&self, cond: &str, what: &str) {
        let start = Instant::now();
        loop {
            let ok: Result<bool, String> = self.try_eval(&format!("return !!({cond});"));
            if ok == Ok(true) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out waiting for {what} ({cond}); last: {ok:?}; url {}",
                    self.url()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Navigates this tab to `url` and waits for the load.
    pub fn goto(&self, url: &str) {
        self.block(self.page().goto(url))
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    /// Runs `js` at the start of every document this tab loads from now on, before the page's
    /// own scripts (CDP `Page.addScriptToEvaluateOnNewDocument`).
    pub fn add_init_script(&self, js: &str) {
        self.block(self.page().evaluate_on_new_document(js))
            .unwrap_or_else(|e| panic!("init script: {e}"));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.try_eval::<String>("return location.href;")
            .unwrap_or_default()
    }

    /// Focuses the element matching `selector`.
    pub fn focus(&self, selector: &str) {
        self.block(async {
            let el = self
                .page()
                .find_element(selector)
                .await
                .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
            el.focus()
                .await
                .unwrap_or_else(|e| panic!("focus {selector}: {e}"));
        });
    }

    /// Types `text` into the focused element as an input method would (works for Chinese).
    pub fn insert_text(&self, text: &str) {
        self.block(self.page().execute(InsertTextParams::new(text)))
            .unwrap_or_else(|e| panic!("insert text: {e}"));
    }

    /// Presses a key (`"ArrowDown"`, `"Enter"` …) on the element matching `selector`.
    pub fn press(&self, selector: &str, key: &str) {
        self.block(async {
            let el = self
                .page()
                .find_element(selector)
                .await
                .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
            el.press_key(key)
                .await
                .unwrap_or_else(|e| panic!("press {key}: {e}"));
        });
    }

    /// Clicks the element matching `selector` with a real mouse event.
    pub fn click(&self, selector: &str) {
        self.block(async {
            let el = self
                .page()
                .find_element(selector)
                .await
                .unwrap_or_else(|e| panic!("no element {selector}: {e}"));
            el.scroll_into_view().await.ok();
            el.click()
                .await
                .unwrap_or_else(|e| panic!("click {selector}: {e}"));
        });
    }

    /// Gives the tab a viewport of `width` × `height` CSS pixels; `mobile` emulates a phone
    /// (the viewport meta tag applies, scrollbars overlay the page).
    pub fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        let p = SetDeviceMetricsOverrideParams::new(width, height, 1.0, mobile);
        self.block(self.page().execute(p))
            .unwrap_or_else(|e| panic!("viewport {width}×{height}: {e}"));
    }

    /// Lays the page out for `print` or back for the screen (CSS media type), as printing does.
    pub fn emulate_print(&self, print: bool) {
        let media = if print { "print" } else { "" };
        self.block(
            self.page()
                .execute(SetEmulatedMediaParams::builder().media(media).build()),
        )
        .unwrap_or_else(|e| panic!("emulate media {media}: {e}"));
    }

    /// A PNG of what the viewport shows, written to `path` (its folder is created).
    pub fn screenshot(&self, path: &Path) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        let params = ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .build();
        let png = self
            .block(self.page().screenshot(params))
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// The page printed to PDF by Chromium (`Page.printToPDF`) on A4 paper with the page's
    /// own print stylesheet, whose `@page` size (a landscape page) wins over the A4 default.
    pub fn print_to_pdf(&self) -> Vec<u8> {
        let params = PrintToPdfParams::builder()
            .paper_width(8.27)
            .paper_height(11.69)
            .prefer_css_page_size(true)
            .build();
        self.block(self.page().pdf(params))
            .unwrap_or_else(|e| panic!("print to PDF: {e}"))
    }

    /// Everything recorded so far.
    pub fn log(&self) -> Log {
        self.log.lock().unwrap().clone()
    }

    /// Requests whose URL is not `file://` (or an in-page `data:`/`about:` URL).
    pub fn non_file_requests(&self) -> Vec<String> {
        self.log()
            .requests
            .into_iter()
            .filter(|u| !(u.starts_with("file://") || u.starts_with("about:")))
            .collect()
    }

    /// Closes the tab.
    pub fn close(mut self) {
        if let Some(p) = self.page.take() {
            let _ = self.chromium.rt.block_on(p.close());
        }
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.page.take() {
            let _ = self.chromium.rt.block_on(p.close());
        }
    }
}

/// `file://` URL of a path on disk, with `suffix` (query and fragment) appended as given.
pub fn file_url(path: &Path, suffix: &str) -> String {
    let p = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s.push_str(suffix);
    s
}

/// Percent-encodes a query-string value (UTF-8).
pub fn encode(v: &str) -> String {
    let mut s = String::new();
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

/// A tiny test runner for a binary with `harness = false`: runs each named check once,
/// catching panics, prints libtest-style lines and the closing `test result:` line, and exits
/// non-zero when one failed. Arguments that are not flags filter checks by substring.
pub struct Runner {
    filters: Vec<String>,
    passed: usize,
    failed: Vec<String>,
    start: Instant,
}

impl Runner {
    /// Reads the filters from the command line; answers `--list` itself.
    pub fn from_args(names: &[&str]) -> Runner {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.iter().any(|a| a == "--list") {
            for n in names {
                println!("{n}: test");
            }
            std::process::exit(0);
        }
        let filters = args.into_iter().filter(|a| !a.starts_with('-')).collect();
        Runner {
            filters,
            passed: 0,
            failed: Vec::new(),
            start: Instant::now(),
        }
    }

    /// Whether `name` is selected by the filters.
    pub fn wants(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }

    /// Runs one check.
    pub fn run(&mut self, name: &str, f: impl FnOnce()) {
        if !self.wants(name) {
            return;
        }
        let t = Instant::now();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        match r {
            Ok(()) => {
                println!("test {name} ... ok ({:.2}s)", t.elapsed().as_secs_f64());
                self.passed += 1;
            }
            Err(_) => {
                println!("test {name} ... FAILED");
                self.failed.push(name.to_string());
            }
        }
    }

    /// Prints the summary and exits.
    pub fn finish(self) -> ! {
        if !self.failed.is_empty() {
            println!("\nfailures:");
            for f in &self.failed {
                println!("    {f}");
            }
        }
        let ok = self.failed.is_empty();
        println!(
            "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
            if ok { "ok" } else { "FAILED" },
            self.passed,
            self.failed.len(),
            self.start.elapsed().as_secs_f64()
        );
        std::process::exit(if ok { 0 } else { 1 });
    }
}
