//! Command-line parsing and dispatch for `atlas`.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Runs the command line and returns the process exit code.
pub fn main(args: Vec<String>) -> i32 {
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    match cmd.as_str() {
        "import" => import(rest),
        "check" => check(rest),
        "build" => build(rest),
        "calc" => calc(rest),
        "bundle" => bundle(rest),
        "synth" => synth(rest),
        "serve" => serve(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            0
        }
        other => {
            eprintln!("atlas: unknown command '{other}'\n\n{USAGE}");
            2
        }
    }
}

const USAGE: &str = "usage: atlas <command> [options]

commands:
  check  [--content DIR]                       validate all content, report every problem
  build  [--content DIR] [--out DIR] [--as-of YYYY-MM-DD]
                                               check, then render the site (default out: site/)
  import SOURCE.txt                            print a TOML skeleton of a measure's text
  bundle [--out DIR] [--dist DIR] [--as-of D]  build, then write dist/jointlab-atlas-<date>.zip and .html
  serve  [--port N] [--content DIR] [--as-of D] serve on 127.0.0.1 (default port 8000), rebuild and reload on change
  calc list                                    every calculator with its inputs, as JSON
  calc run ID --input FILE|-                   run one calculator on a JSON object of inputs
  calc run ID --csv FILE [--out FILE]          run it once per CSV row (header = input names)
  synth  --measures N --out DIR [--seed S] [--content DIR]
                                               write DIR/content/ with N synthetic measures (benchmarks)";

fn import(args: &[String]) -> i32 {
    let [path] = args else {
        eprintln!("usage: atlas import SOURCE.txt");
        return 2;
    };
    let path = PathBuf::from(path);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            print!("{}", crate::import::skeleton(&text, &name));
            0
        }
        Err(e) => {
            eprintln!(
                "{}: error: cannot read source: {e}\n  hint: give the path of a UTF-8 text file",
                path.display()
            );
            1
        }
    }
}

/// Options shared by check and build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content directory.
    pub content: PathBuf,
    /// The theme directory.
    pub theme: PathBuf,
    /// Output directory (build).
    pub out: PathBuf,
    /// Status date (build), `YYYY-MM-DD`.
    pub as_of: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    parse_options_with(args, &[]).map(|(o, _)| o)
}

/// The shared options plus a command's own value flags (`extra`, e.g. `--dist`), returned by name.
fn parse_options_with(
    args: &[String],
    extra: &[&str],
) -> Result<(Options, BTreeMap<String, String>), String> {
    let mut o = Options {
        content: "content".into(),
        theme: "themes/default".into(),
        out: "site".into(),
        as_of: None,
    };
    let mut own = BTreeMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--content" => o.content = value("--content")?.into(),
            "--theme" => o.theme = value("--theme")?.into(),
            "--out" => o.out = value("--out")?.into(),
            "--as-of" => o.as_of = Some(value("--as-of")?),
            flag if extra.contains(&flag) => {
                own.insert(flag.to_string(), value(flag)?);
            }
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    Ok((o, own))
}

/// Loads and validates; prints every finding to stderr. `None` when there are errors.
pub fn load_checked(o: &Options) -> Option<crate::content::Corpus> {
    let t = Phase::start();
    let (corpus, mut report) = crate::content::load(&o.content);
    t.done("load");
    let t = Phase::start();
    if !report.has_errors() {
        crate::validate::check(&corpus, &mut report);
    }
    t.done("validate");
    report.sort();
    for d in &report.items {
        eprintln!("{d}");
    }
    if report.has_errors() {
        eprintln!(
            "atlas: {} error(s); nothing was written",
            report.error_count()
        );
        None
    } else {
        Some(corpus)
    }
}

fn check(args: &[String]) -> i32 {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas check: {e}\n\n{USAGE}");
            return 2;
        }
    };
    match load_checked(&o) {
        Some(c) => {
            eprintln!("atlas check: {} measure(s), no errors", c.measures.len());
            0
        }
        None => 1,
    }
}

/// The status date: `--as-of`, else `SOURCE_DATE_EPOCH` (reproducible builds), else today (UTC).
pub fn as_of(o: &Options) -> Result<time::Date, String> {
    if let Some(s) = &o.as_of {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        return time::Date::parse(s, &fmt).map_err(|_| {
            format!("--as-of '{s}' is not a date; write YYYY-MM-DD, e.g. 2026-11-21")
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds"))?;
        return time::OffsetDateTime::from_unix_timestamp(secs)
            .map(|t| t.date())
            .map_err(|e| format!("SOURCE_DATE_EPOCH: {e}"));
    }
    Ok(time::OffsetDateTime::now_utc().date())
}

/// Check, model, render and write; the previous output survives any failure. Pages are
/// written as they are rendered, so the site is never held in memory. Returns the number of
/// files written.
pub fn run_build(o: &Options) -> Result<usize, String> {
    // Copied from where they were read: the copies' bytes are not needed past the checks.
    let (site, catalogue, _, source_paths, _) = prepare(o, Keep::Paths)?;
    let t = Phase::start();
    let n = crate::output::write_site_with(&o.out, |sink| {
        let copies = crate::render::Sources::Disk(&source_paths);
        crate::render::render_site(&site, &o.theme, &catalogue, &copies, sink)
            .map_err(|e| e.to_string())
    })?;
    t.done("render+write");
    // Freeing the model takes tens of milliseconds: another thread does it, which the process
    // does not wait for when it exits.
    std::thread::spawn(move || drop(site));
    Ok(n)
}

/// Builds the site, writes it, and also returns the rendered files and the status date (for
/// bundles, which need every file in memory anyway).
pub fn render_and_write(o: &Options) -> Result<(crate::render::Files, time::Date), String> {
    let (site, catalogue, sources, _, as_of) = prepare(o, Keep::Bytes)?;
    let t = Phase::start();
    let files = crate::render::render_to_memory(&site, &o.theme, &catalogue, &sources)
        .map_err(|e| e.to_string())?;
    t.done("render");
    let t = Phase::start();
    crate::output::write_site(&o.out, &files)?;
    t.done("write");
    Ok((files, as_of))
}

/// What rendering needs: the model, the UI catalogue, the source copies and where they were
/// read from, and the status date.
type Prepared = (
    crate::model::Site,
    crate::render::i18n::Catalogue,
    std::collections::BTreeMap<String, Vec<u8>>,
    std::collections::BTreeMap<String, PathBuf>,
    time::Date,
);

/// What of the source copies [`prepare`] keeps for the render.
enum Keep {
    /// Their bytes (and paths).
    Bytes,
    /// Only where they were read: their bytes are let go once the content is checked.
    Paths,
}

/// Loads, checks and models the content and loads the theme's catalogue; prints diagnostics.
fn prepare(o: &Options, keep: Keep) -> Result<Prepared, String> {
    let as_of = as_of(o)?;
    let mut corpus = load_checked(o).ok_or_else(|| "content has errors".to_string())?;
    let mut report = crate::diagnostics::Report::default();
    let catalogue = crate::render::i18n::load(&o.theme, &mut report);
    for d in &report.items {
        eprintln!("{d}");
    }
    let catalogue = match catalogue {
        Some(c) if !report.has_errors() => c,
        _ => return Err("the theme's UI catalogue has errors".into()),
    };
    let sources = match keep {
        Keep::Bytes => std::mem::take(&mut corpus.sources),
        Keep::Paths => {
            corpus.sources.clear();
            BTreeMap::new()
        }
    };
    let source_paths = std::mem::take(&mut corpus.source_paths);
    let t = Phase::start();
    // The model lets go of each measure's text as it is resolved, and of the rest after.
    let site = crate::model::build_owned(corpus, as_of);
    t.done("model");
    Ok((site, catalogue, sources, source_paths, as_of))
}

/// Phase timings on standard error when `ATLAS_TIMINGS` is set (for benchmarks and profiling).
pub struct Phase(Option<std::time::Instant>);

impl Phase {
    /// Starts timing a phase (a no-op unless `ATLAS_TIMINGS` is set).
    pub fn start() -> Phase {
        Phase(std::env::var_os("ATLAS_TIMINGS").map(|_| std::time::Instant::now()))
    }

    /// Reports the phase's duration, and the peak memory so far where the system tells it.
    pub fn done(self, name: &str) {
        if let Some(t) = self.0 {
            // VmRSS and VmHWM: the process's resident and peak resident memory (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |key: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
            };
            let peak = match (field("VmRSS:"), field("VmHWM:")) {
                (Some(now), Some(peak)) => format!("  (peak {peak}, now {now})"),
                _ => String::new(),
            };
            eprintln!(
                "atlas: {name:<9} {:>8.1} ms{peak}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

fn bundle(args: &[String]) -> i32 {
    let (o, own) = match parse_options_with(args, &["--dist"]) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("atlas bundle: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let dist = own
        .get("--dist")
        .map_or_else(|| PathBuf::from("dist"), PathBuf::from);
    let (files, as_of) = match render_and_write(&o) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("atlas bundle: error: {e}; nothing was written");
            return 1;
        }
    };
    match crate::output::bundle::write(&dist, &files, as_of) {
        Ok((z, h)) => {
            eprintln!("atlas bundle: wrote {} and {}", z.display(), h.display());
            0
        }
        Err(e) => {
            eprintln!("atlas bundle: error: {e}");
            1
        }
    }
}

fn build(args: &[String]) -> i32 {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas build: {e}\n\n{USAGE}");
            return 2;
        }
    };
    match run_build(&o) {
        Ok(n) => {
            eprintln!("atlas build: wrote {n} files to {}", o.out.display());
            0
        }
        Err(e) => {
            eprintln!("atlas build: error: {e}; nothing was written");
            1
        }
    }
}

fn calc(args: &[String]) -> i32 {
    let Some((sub, rest)) = args.split_first() else {
        eprintln!("usage: atlas calc list | atlas calc run ID --input FILE|- | atlas calc run ID --csv FILE [--out FILE]");
        return 2;
    };
    // Options of calc itself, then the shared --content.
    let mut input: Option<String> = None;
    let mut csv_in: Option<String> = None;
    let mut out: Option<String> = None;
    let mut id: Option<String> = None;
    let mut shared = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut take = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let r = match a.as_str() {
            "--input" => take("--input").map(|v| input = Some(v)),
            "--csv" => take("--csv").map(|v| csv_in = Some(v)),
            "--out" => take("--out").map(|v| out = Some(v)),
            "--content" => take("--content").map(|v| shared.extend(["--content".to_string(), v])),
            other if !other.starts_with('-') && id.is_none() => {
                id = Some(other.to_string());
                Ok(())
            }
            other => Err(format!("unknown option '{other}'")),
        };
        if let Err(e) = r {
            eprintln!("atlas calc: {e}");
            return 2;
        }
    }
    let o = match parse_options(&shared) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("atlas calc: {e}");
            return 2;
        }
    };
    let Some(corpus) = load_checked(&o) else {
        return 1;
    };
    let mut report = crate::diagnostics::Report::default();
    let Some(calcs) = crate::calc::collect(&corpus, &mut report) else {
        eprintln!("atlas calc: the content defines no calculators");
        return 1;
    };
    match sub.as_str() {
        "list" => {
            let list: Vec<serde_json::Value> = calcs
                .defs
                .iter()
                .map(|d| serde_json::json!({"id": d.def.id, "title": d.def.title, "title_en": d.def.title_en, "measure": d.def.measure, "primitive": d.def.primitive, "inputs": d.def.inputs}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
            0
        }
        "run" => {
            let Some(id) = id else {
                eprintln!("atlas calc run: which calculator? `atlas calc list` shows the ids");
                return 2;
            };
            if calcs.get(&id).is_none() {
                let ids: Vec<&str> = calcs.defs.iter().map(|d| d.def.id.as_str()).collect();
                eprintln!(
                    "atlas calc run: no calculator '{id}'; known: {}",
                    ids.join(", ")
                );
                return 2;
            }
            if let Some(path) = csv_in {
                let bytes = match std::fs::read(&path) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("atlas calc run: cannot read {path}: {e}");
                        return 2;
                    }
                };
                return match crate::calc::csv::run_csv(&calcs, &id, &bytes) {
                    Ok(csv) => match out {
                        Some(p) => match std::fs::write(&p, csv) {
                            Ok(()) => 0,
                            Err(e) => {
                                eprintln!("atlas calc run: cannot write {p}: {e}");
                                1
                            }
                        },
                        None => {
                            use std::io::Write;
                            let _ = std::io::stdout().write_all(&csv);
                            0
                        }
                    },
                    Err(e) => {
                        eprintln!("atlas calc run: {e}");
                        2
                    }
                };
            }
            let text = match input.as_deref() {
                Some("-") => {
                    let mut s = String::new();
                    match std::io::Read::read_to_string(&mut std::io::stdin(), &mut s) {
                        Ok(_) => s,
                        Err(e) => {
                            eprintln!("atlas calc run: cannot read standard input: {e}");
                            return 2;
                        }
                    }
                }
                Some(p) => match std::fs::read_to_string(p) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("atlas calc run: cannot read {p}: {e}");
                        return 2;
                    }
                },
                None => {
                    eprintln!(
                        "atlas calc run: give --input FILE (or - for standard input) or --csv FILE"
                    );
                    return 2;
                }
            };
            match calcs.run(&id, &text) {
                Ok(out) => {
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                    0
                }
                Err(e) => {
                    eprintln!(
                        "atlas calc run: invalid input: field '{}' {} ({})",
                        e.field, e.message, e.message_zh
                    );
                    2
                }
            }
        }
        other => {
            eprintln!("atlas calc: unknown subcommand '{other}' (list, run)");
            2
        }
    }
}

fn serve(args: &[String]) -> i32 {
    let (o, own) = match parse_options_with(args, &["--port"]) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("atlas serve: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let port: u16 = match own.get("--port").map(|p| p.parse()) {
        None => 8000,
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            eprintln!("atlas serve: --port needs a number (0 picks a free port)");
            return 2;
        }
    };
    match crate::serve::serve(&o, port) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("atlas serve: error: {e}");
            1
        }
    }
}

/// `atlas synth --measures N --out DIR [--seed S] [--content DIR]`: a synthetic corpus derived
/// from the real content, for benchmarks and scale tests (see `atlas::synth`).
fn synth(args: &[String]) -> i32 {
    let (mut n, mut out, mut seed, mut content) = (None, None, 1u64, PathBuf::from("content"));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(v) = it.next() else {
            eprintln!("atlas synth: {a} needs a value");
            return 2;
        };
        match a.as_str() {
            "--measures" => match v.parse::<usize>() {
                Ok(x) => n = Some(x),
                Err(_) => {
                    eprintln!("atlas synth: --measures '{v}' is not a number");
                    return 2;
                }
            },
            "--seed" => match v.parse::<u64>() {
                Ok(x) => seed = x,
                Err(_) => {
                    eprintln!("atlas synth: --seed '{v}' is not a number");
                    return 2;
                }
            },
            "--out" => out = Some(PathBuf::from(v)),
            "--content" => content = v.into(),
            other => {
                eprintln!("atlas synth: unknown option '{other}'\n\n{USAGE}");
                return 2;
            }
        }
    }
    let (Some(n), Some(out)) = (n, out) else {
        eprintln!("usage: atlas synth --measures N --out DIR [--seed S] [--content DIR]");
        return 2;
    };
    match crate::synth::run(&content, &out, n, seed) {
        Ok(dir) => {
            eprintln!(
                "atlas synth: wrote {n} synthetic measure(s) to {} (atlas build --content {})",
                dir.display(),
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("atlas synth: error: {e}");
            1
        }
    }
}
