//! The fast reader against the `toml` crate: wherever it gives a value, the same value with the
//! same spans; and it gives up on what the `toml` crate refuses.

use super::from_str;
use crate::content::glossary::GlossaryFile;
use crate::content::{CalculatorsFile, MeasureFile, TopicsFile};

/// `Some(debug)` when the toml crate reads `text` as `T`.
fn by_toml<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> Option<String> {
    toml::from_str::<T>(text).ok().map(|v| format!("{v:?}"))
}

/// The fast reader must agree with the toml crate whenever it answers.
fn agrees<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> bool {
    match from_str::<T>(text) {
        None => true,
        Some(v) => by_toml::<T>(text).as_deref() == Some(format!("{v:?}").as_str()),
    }
}

fn content() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn measures() -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(content().join("measures")).unwrap() {
        out.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    out.sort();
    out
}

#[test]
fn reads_the_real_content_as_toml_does() {
    for text in measures() {
        let fast = from_str::<MeasureFile>(&text).expect("the real measures are plain TOML");
        assert_eq!(Some(format!("{fast:?}")), by_toml::<MeasureFile>(&text));
    }
    let topics = std::fs::read_to_string(content().join("topics.toml")).unwrap();
    assert!(from_str::<TopicsFile>(&topics).is_some());
    assert!(agrees::<TopicsFile>(&topics));
    let glossary = std::fs::read_to_string(content().join("glossary.toml")).unwrap();
    assert!(from_str::<GlossaryFile>(&glossary).is_some());
    assert!(agrees::<GlossaryFile>(&glossary));
    if let Ok(calcs) = std::fs::read_to_string(content().join("calculators.toml")) {
        assert!(agrees::<CalculatorsFile>(&calcs));
    }
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Any {
    v: Option<toml::Spanned<toml::Value>>,
    w: Option<toml::Value>,
    s: Option<toml::Spanned<String>>,
    t: Option<toml::Table>,
}

#[test]
fn strings_dates_and_numbers() {
    for text in [
        "s = \"a\\tb\\u00e9\\U0001F600\\\\\\\"\\e\\x41\"",
        "s = \"\"\"\nline one\nline \"two\"\"\"\"",
        "s = \"\"\"a \\\n   \n  b\"\"\"",
        "s = \"\"\"\"\"\"",
        "s = 'lit\\eral'",
        "v = 2025-02-28",
        "v = -42 # comment",
        "v = 0",
        "v = true",
        "w = [1, \"x\", 2025-01-01, [true], {a = 1, b = \"c\"},]",
        "w = [\n  1, # one\n  2\n]",
        "t = { x = 1, y = { z = [] } }",
        "[t]\na = 1\n[t.u]\nb = 2\n[[t.w]]\nc = 3\n[[t.w]]\nc = 4\n[t.w.x]\nd = 5",
    ] {
        assert!(from_str::<Any>(text).is_some(), "{text}");
        assert!(agrees::<Any>(text), "{text}");
    }
}

#[test]
fn gives_up_on_what_toml_refuses_or_it_does_not_read() {
    for text in [
        "v = 1.5",
        "v = 1e3",
        "v = 0x10",
        "v = +1",
        "v = 01",
        "v = -0",
        "v = 1_000",
        "v = 2025-01-01T08:00:00",
        "v = 2025-01-01 08:00:00",
        "v = 2025-02-30",
        "v = 99999999999999999999",
        "s = \"a\nb\"",
        "s = \"\\q\"",
        "s = \"\\uD800\"",
        "s = '''x'''",
        "s = \"\"\"a\r\nb\"\"\"",
        "s = \"\"\"a\"\"\"\"\"\"",
        "s = \"x\" \"y\"",
        "s = \"x\"\ns = \"y\"",
        "a.b = 1",
        "\"q\" = 1",
        "[t]\n[t]",
        "[t.u]\n[t]",
        "[[t]]\n[t]",
        "[t]\n[[t]]",
        "t = 1\n[t]",
        "t = [1]\n[[t]]",
        "t = {a = 1}\n[t.b]",
        "t = {a = 1,}",
        "t = {a = 1\n}",
        "[ t ]",
        "x = 1\r",
        "# \u{7f}",
        "\u{feff}x = 1",
    ] {
        assert!(from_str::<Any>(text).is_none(), "{text:?}");
    }
}

/// A small deterministic generator for the mutations.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn mutated_measures_read_as_toml_does_or_not_at_all() {
    const BITS: &[&str] = &[
        "\"",
        "'",
        "\\",
        "\n",
        "\r",
        "\t",
        " ",
        "#",
        "=",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        ",",
        ".",
        "-",
        "0",
        "1",
        "2025-01-01",
        "\"\"\"",
        "\\n",
        "\\u00",
        "true",
        "x",
        "é",
        "\u{7f}",
        "\u{85}",
        "a = 1\n",
        "[t]\n",
        "[[article]]\n",
        "label = \"x\"\n",
    ];
    let texts = measures();
    let mut rng = Lcg(7);
    let mut answered = 0;
    for round in 0..1500 {
        let base = &texts[round % texts.len()];
        let mut t = base.clone();
        for _ in 0..1 + rng.below(3) {
            let mut at = rng.below(t.len());
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(3) {
                0 => t.insert_str(at, BITS[rng.below(BITS.len())]),
                1 => {
                    let mut end = (at + 1 + rng.below(8)).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(at..end, "");
                }
                _ => {
                    let mut end = (at + 1 + rng.below(4)).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(at..end, BITS[rng.below(BITS.len())]);
                }
            }
        }
        if from_str::<MeasureFile>(&t).is_some() {
            answered += 1;
        }
        assert!(agrees::<MeasureFile>(&t), "round {round}:\n{t}");
    }
    // The mutations must leave plenty of files the fast reader still reads.
    assert!(answered > 300, "only {answered} mutated files were read");
}
