//! A fast reader for the plain TOML the content files are written in, in front of the `toml`
//! crate.
//!
//! Parsing the measures is most of a build's loading time, and the `toml` crate reads them
//! character by character through a token list and an event list. This reader handles the
//! subset the content uses (bare keys, `[table]` and `[[array]]` headers, basic, multi-line
//! basic and literal strings, decimal integers, booleans, dates, arrays and one-line inline
//! tables) in one pass over the bytes, and feeds serde the same calls, in the same order and with
//! the same spans, as the `toml` crate does.
//!
//! It never decides anything on its own: whatever it does not handle, or would have to judge
//! (a syntax error, a table defined twice, a float, a value that does not fit the type), makes
//! it give up, and the caller parses the file with the `toml` crate, which gives the value or
//! the error with its position and wording. So a file reads the same either way; this reader
//! only makes the common case fast.

use std::borrow::Cow;
use std::ops::Range;
use std::str::FromStr;

use serde::de::value::CowStrDeserializer;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use toml::value::Datetime;

/// Parses `text` into `T` when this reader can and the value fits `T`; `None` means "ask the
/// `toml` crate" (never that the text is wrong).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = Parser::new(text).document()?;
    T::deserialize(ValueDe {
        value: Value::Table(root),
        span: 0..text.len(),
    })
    .ok()
}

/// A parsed value. Tables keep their entries in file order until they are read.
enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Date(Datetime),
    /// An array written as a value (`[1, 2]`).
    Array(Vec<Item<'a>>),
    /// An array of tables built by `[[header]]`s.
    Tables(Vec<Table<'a>>),
    Table(Table<'a>),
}

/// A value and the byte range of its text (a string's includes its quotes).
struct Item<'a> {
    value: Value<'a>,
    span: Range<usize>,
}

#[derive(Default)]
struct Table<'a> {
    entries: Vec<(&'a str, Item<'a>)>,
    /// Written as `{ … }`: closed to headers.
    inline: bool,
}

impl<'a> Table<'a> {
    fn get_mut(&mut self, key: &str) -> Option<&mut Item<'a>> {
        self.entries
            .iter_mut()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Adds an entry; `None` when the key is already there (the `toml` crate reports that).
    fn insert(&mut self, key: &'a str, item: Item<'a>) -> Option<()> {
        if self.entries.iter().any(|(k, _)| *k == key) {
            return None;
        }
        self.entries.push((key, item));
        Some(())
    }
}

/// Where the key/value lines being read go.
enum Section<'a> {
    Root,
    /// `[a.b]`.
    Table(Vec<&'a str>),
    /// `[[a.b]]`.
    ArrayTable(Vec<&'a str>),
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

/// `None`: give up, let the `toml` crate read the file.
type P<T> = Option<T>;

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Characters a basic string may hold as they are: not `"`, `\` or a control character
/// (tab excepted). Bytes of non-ASCII characters all pass, as in the `toml` crate.
fn is_plain(c: u8) -> bool {
    c == b'\t' || (c >= 0x20 && c != b'"' && c != b'\\' && c != 0x7f)
}

/// Length of the run of [`is_plain`] bytes at the start of `b`, eight bytes at a time where
/// none of them needs a look.
fn plain_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut n = 0;
    while let Some(chunk) = b.get(n..n + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // A byte below 0x20 (control), or equal to `"`, `\` or DEL; bytes of non-ASCII
        // characters have their high bit set and are never flagged.
        let special = (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | has_zero(x ^ (ONES * u64::from(b'"')))
            | has_zero(x ^ (ONES * u64::from(b'\\')))
            | has_zero(x ^ (ONES * 0x7f));
        if special != 0 {
            break;
        }
        n += 8;
    }
    while b.get(n).is_some_and(|c| is_plain(*c)) {
        n += 1;
    }
    n
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            b: text.as_bytes(),
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// A comment up to (not including) the end of its line; its characters as `toml` allows.
    fn comment(&mut self) -> P<()> {
        debug_assert_eq!(self.peek(), Some(b'#'));
        self.i += 1;
        while let Some(c) = self.peek() {
            match c {
                b'\n' | b'\r' => break,
                b'\t' => {}
                c if c < 0x20 || c == 0x7f => return None,
                _ => {}
            }
            self.i += 1;
        }
        Some(())
    }

    /// White space, an optional comment, then the end of the line or of the text.
    fn end_of_line(&mut self) -> P<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.i += 1;
                Some(())
            }
            Some(b'\r') if self.b.get(self.i + 1) == Some(&b'\n') => {
                self.i += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// White space, comments and line ends (inside an array).
    fn skip_ws_lines(&mut self) -> P<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.i += 1,
                Some(b'\r') if self.b.get(self.i + 1) == Some(&b'\n') => self.i += 2,
                Some(b'#') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    fn bare_key(&mut self) -> P<&'a str> {
        let start = self.i;
        while self.peek().is_some_and(is_bare) {
            self.i += 1;
        }
        (self.i > start).then(|| &self.text[start..self.i])
    }

    /// The whole document as its root table.
    fn document(mut self) -> P<Table<'a>> {
        if self.text.starts_with('\u{feff}') {
            return None;
        }
        let mut root = Table::default();
        let mut section = Section::Root;
        let mut current = Table::default();
        loop {
            self.skip_ws();
            match self.peek() {
                None => break,
                Some(b'\n' | b'\r' | b'#') => self.end_of_line()?,
                Some(b'[') => {
                    let next = self.header()?;
                    let done = std::mem::replace(&mut section, next);
                    place(&mut root, done, std::mem::take(&mut current))?;
                }
                Some(_) => {
                    let key = self.bare_key()?;
                    self.skip_ws();
                    if self.peek() != Some(b'=') {
                        return None;
                    }
                    self.i += 1;
                    self.skip_ws();
                    let value = self.value()?;
                    current.insert(key, value)?;
                    self.end_of_line()?;
                }
            }
        }
        place(&mut root, section, current)?;
        Some(root)
    }

    /// `[a.b]` or `[[a.b]]` and the end of its line.
    fn header(&mut self) -> P<Section<'a>> {
        self.i += 1;
        let array = self.peek() == Some(b'[');
        if array {
            self.i += 1;
        }
        let mut path = vec![self.bare_key()?];
        while self.peek() == Some(b'.') {
            self.i += 1;
            path.push(self.bare_key()?);
        }
        for _ in 0..1 + usize::from(array) {
            if self.peek() != Some(b']') {
                return None;
            }
            self.i += 1;
        }
        self.end_of_line()?;
        Some(if array {
            Section::ArrayTable(path)
        } else {
            Section::Table(path)
        })
    }

    fn value(&mut self) -> P<Item<'a>> {
        let start = self.i;
        let value = match self.peek()? {
            b'"' => {
                if self.b[self.i..].starts_with(b"\"\"\"") {
                    Value::Str(self.ml_basic_string()?)
                } else {
                    Value::Str(self.basic_string()?)
                }
            }
            b'\'' => Value::Str(self.literal_string()?),
            b'[' => Value::Array(self.array()?),
            b'{' => Value::Table(self.inline_table()?),
            b't' if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                Value::Bool(true)
            }
            b'f' if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                Value::Bool(false)
            }
            b'0'..=b'9' | b'-' => self.number_or_date()?,
            _ => return None,
        };
        // A value ends at white space or punctuation; `5x`, `1.5`, `truex` and dates with
        // times are left to the `toml` crate.
        match self.peek() {
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#' | b',' | b']' | b'}') => {}
            _ => return None,
        }
        Some(Item {
            value,
            span: start..self.i,
        })
    }

    /// `0`, `-?[1-9][0-9]*` within i64, or a date `YYYY-MM-DD`.
    fn number_or_date(&mut self) -> P<Value<'a>> {
        let start = self.i;
        let b = &self.b[start..];
        if b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit)
        {
            // A date followed by a time (`2025-01-01T08:00`, `2025-01-01 08:00`) is not ours.
            if b.get(10) == Some(&b' ') && b.get(11).is_some_and(u8::is_ascii_digit) {
                return None;
            }
            self.i += 10;
            let d = Datetime::from_str(&self.text[start..self.i]).ok()?;
            return Some(Value::Date(d));
        }
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let n = self.i - digits;
        // No leading zeros, no `-0`, at least one digit.
        if n == 0 || (self.b[digits] == b'0' && (n > 1 || digits > start)) {
            return None;
        }
        self.text[start..self.i].parse().ok().map(Value::Int)
    }

    fn basic_string(&mut self) -> P<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        self.i += plain_run(&self.b[self.i..]);
        if self.peek() == Some(b'"') {
            self.i += 1;
            return Some(Cow::Borrowed(&self.text[start..self.i - 1]));
        }
        // Escapes: decode into an owned string.
        let mut out = String::from(&self.text[start..self.i]);
        loop {
            let run = self.i;
            self.i += plain_run(&self.b[self.i..]);
            out.push_str(&self.text[run..self.i]);
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    out.push(self.escape()?);
                }
                _ => return None,
            }
        }
    }

    /// The character of an escape sequence (after its `\`).
    fn escape(&mut self) -> P<char> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            b'b' => '\u{8}',
            b'e' => '\u{1b}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'"' => '"',
            b'\\' => '\\',
            b'x' => self.hex(2)?,
            b'u' => self.hex(4)?,
            b'U' => self.hex(8)?,
            _ => return None,
        })
    }

    fn hex(&mut self, n: usize) -> P<char> {
        let digits = self.b.get(self.i..self.i + n)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let v = u32::from_str_radix(&self.text[self.i..self.i + n], 16).ok()?;
        self.i += n;
        char::from_u32(v)
    }

    /// `"""…"""`: a newline right after the opening quotes is dropped, a backslash at the end
    /// of a line joins it to the next non-blank character, one or two quotes may end the text.
    fn ml_basic_string(&mut self) -> P<Cow<'a, str>> {
        self.i += 3;
        if self.peek() == Some(b'\n') {
            self.i += 1;
        }
        let mut out: Option<String> = None;
        let mut run = self.i;
        loop {
            match self.peek()? {
                b'"' => {
                    let quotes = self.b[self.i..].iter().take_while(|c| **c == b'"').count();
                    if quotes < 3 {
                        self.i += quotes;
                        continue;
                    }
                    if quotes > 5 {
                        return None;
                    }
                    // The last three close the string; any before them belong to it.
                    let end = self.i + quotes - 3;
                    self.i += quotes;
                    return Some(match out {
                        None => Cow::Borrowed(&self.text[run..end]),
                        Some(mut s) => {
                            s.push_str(&self.text[run..end]);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    if matches!(self.peek()?, b' ' | b'\t' | b'\n') {
                        // Line-ending backslash: blanks, one line end, then blanks and line ends.
                        self.skip_ws();
                        if self.peek()? != b'\n' {
                            return None;
                        }
                        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n')) {
                            self.i += 1;
                        }
                    } else {
                        s.push(self.escape()?);
                    }
                    run = self.i;
                }
                b'\n' => self.i += 1,
                c if is_plain(c) => self.i += plain_run(&self.b[self.i..]),
                // Carriage returns and control characters are left to the `toml` crate.
                _ => return None,
            }
        }
    }

    /// `'…'` (one line, no escapes). A `'''` string is left to the `toml` crate.
    fn literal_string(&mut self) -> P<Cow<'a, str>> {
        if self.b[self.i..].starts_with(b"'''") {
            return None;
        }
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek()? {
                b'\'' => {
                    self.i += 1;
                    return Some(Cow::Borrowed(&self.text[start..self.i - 1]));
                }
                b'\t' => self.i += 1,
                c if c < 0x20 || c == 0x7f => return None,
                _ => self.i += 1,
            }
        }
    }

    /// `[v, v, …]` over any number of lines, with comments and a trailing comma.
    fn array(&mut self) -> P<Vec<Item<'a>>> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws_lines()?;
            if self.peek()? == b']' {
                self.i += 1;
                return Some(items);
            }
            items.push(self.value()?);
            self.skip_ws_lines()?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }

    /// `{ k = v, … }` on one line, without a trailing comma.
    fn inline_table(&mut self) -> P<Table<'a>> {
        self.i += 1;
        let mut t = Table {
            entries: Vec::new(),
            inline: true,
        };
        self.skip_ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(t);
        }
        loop {
            self.skip_ws();
            let key = self.bare_key()?;
            self.skip_ws();
            if self.peek()? != b'=' {
                return None;
            }
            self.i += 1;
            self.skip_ws();
            let v = self.value()?;
            t.insert(key, v)?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(t);
                }
                _ => return None,
            }
        }
    }
}

/// Puts the lines read under a header in their place in `root`. Only cases whose validity is
/// plain are taken: a new table, or one more element of an array of tables.
fn place<'a>(root: &mut Table<'a>, section: Section<'a>, table: Table<'a>) -> P<()> {
    let (path, array) = match section {
        Section::Root => {
            // The root's own lines come first, before any header.
            debug_assert!(root.entries.is_empty());
            *root = table;
            return Some(());
        }
        Section::Table(path) => (path, false),
        Section::ArrayTable(path) => (path, true),
    };
    let (last, parents) = path.split_last()?;
    let mut t = root;
    for key in parents {
        if t.get_mut(key).is_none() {
            // An implicit table, as `[a.b]` makes `a`.
            t.insert(
                key,
                Item {
                    value: Value::Table(Table::default()),
                    span: 0..0,
                },
            )?;
        }
        t = match &mut t.get_mut(key)?.value {
            Value::Table(sub) if !sub.inline => sub,
            Value::Tables(list) => list.last_mut()?,
            _ => return None,
        };
    }
    match t.get_mut(last) {
        None if array => t.insert(
            last,
            Item {
                value: Value::Tables(vec![table]),
                span: 0..0,
            },
        ),
        None => t.insert(
            last,
            Item {
                value: Value::Table(table),
                span: 0..0,
            },
        ),
        Some(Item {
            value: Value::Tables(list),
            ..
        }) if array => {
            list.push(table);
            Some(())
        }
        // A table named again (even one only implied so far) is left to the `toml` crate.
        Some(_) => None,
    }
}

/// Any error: give up and let the `toml` crate read the file.
#[derive(Debug)]
struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to the toml crate")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

/// A value for serde, answering as `toml::de::ValueDeserializer` does.
struct ValueDe<'a> {
    value: Value<'a>,
    span: Range<usize>,
}

impl<'de> IntoDeserializer<'de, GiveUp> for ValueDe<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.value {
            Value::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Value::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Value::Int(n) => visitor.visit_i64(n),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Date(d) => visitor.visit_map(toml_datetime::de::DatetimeDeserializer::new(d)),
            Value::Array(items) => visitor.visit_seq(Seq {
                items: items.into_iter(),
            }),
            Value::Tables(tables) => visitor.visit_seq(Seq {
                items: tables.into_iter().map(|t| Item {
                    value: Value::Table(t),
                    span: 0..0,
                }),
            }),
            Value::Table(mut t) => {
                // The `toml` crate keeps a table's keys sorted and hands them over in that order.
                t.entries.sort_by(|a, b| a.0.cmp(b.0));
                visitor.visit_map(Map {
                    entries: t.entries.into_iter(),
                    value: None,
                })
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        // A key that is there is `Some`; a missing one never reaches a deserializer.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        if serde_spanned::de::is_spanned(name) {
            // Only a scalar's span is surely the same as the `toml` crate's.
            if matches!(
                self.value,
                Value::Array(_) | Value::Tables(_) | Value::Table(_)
            ) {
                return Err(GiveUp);
            }
            let span = self.span.clone();
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, span));
        }
        if toml_datetime::de::is_datetime(name) {
            if let Value::Date(d) = self.value {
                return visitor.visit_map(toml_datetime::de::DatetimeDeserializer::new(d));
            }
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        match self.value {
            Value::Str(s) => visitor.visit_enum(CowStrDeserializer::new(s)),
            // Enums written as tables are left to the `toml` crate.
            _ => Err(GiveUp),
        }
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
    }
}

struct Seq<'a, I: Iterator<Item = Item<'a>>> {
    items: I,
}

impl<'de, I: Iterator<Item = Item<'de>>> de::SeqAccess<'de> for Seq<'de, I> {
    type Error = GiveUp;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GiveUp> {
        match self.items.next() {
            Some(item) => seed
                .deserialize(ValueDe {
                    value: item.value,
                    span: item.span,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

struct Map<'a> {
    entries: std::vec::IntoIter<(&'a str, Item<'a>)>,
    value: Option<Item<'a>>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = GiveUp;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GiveUp> {
        match self.entries.next() {
            Some((key, item)) => {
                self.value = Some(item);
                seed.deserialize(CowStrDeserializer::<GiveUp>::new(Cow::Borrowed(key)))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, GiveUp> {
        let item = self.value.take().ok_or(GiveUp)?;
        seed.deserialize(ValueDe {
            value: item.value,
            span: item.span,
        })
    }
}

#[cfg(test)]
mod tests;
