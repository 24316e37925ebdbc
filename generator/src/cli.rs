//! Command-line parsing and dispatch for `atlas`.

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
  import SOURCE.txt                            print a TOML skeleton of a measure's text";

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
    let mut o = Options {
        content: "content".into(),
        theme: "themes/default".into(),
        out: "site".into(),
        as_of: None,
    };
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
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    Ok(o)
}

/// Loads and validates; prints every finding to stderr. `None` when there are errors.
pub fn load_checked(o: &Options) -> Option<crate::content::Corpus> {
    let (corpus, mut report) = crate::content::load(&o.content);
    if !report.has_errors() {
        crate::validate::check(&corpus, &mut report);
    }
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

/// Check, model, render and write; the previous output survives any failure.
pub fn run_build(o: &Options) -> Result<usize, String> {
    let as_of = as_of(o)?;
    let corpus = load_checked(o).ok_or_else(|| "content has errors".to_string())?;
    let mut report = crate::diagnostics::Report::default();
    let catalogue = crate::render::i18n::load(&o.theme, &mut report);
    for d in &report.items {
        eprintln!("{d}");
    }
    let catalogue = match catalogue {
        Some(c) if !report.has_errors() => c,
        _ => return Err("the theme's UI catalogue has errors".into()),
    };
    let site = crate::model::build(&corpus, as_of);
    let files = crate::render::render_site(&site, &o.theme, &catalogue, &corpus.sources)
        .map_err(|e| e.to_string())?;
    crate::output::write_site(&o.out, &files)?;
    Ok(files.len())
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
