//! The schema.org vocabulary as the npm package `schema-dts` states it (pinned in
//! `tests/tools/package.json`): `dist/schema.d.ts` is TypeScript generated from the current
//! schema.org release. Each type `X` is written as
//!
//! ```text
//! interface XBase extends ParentBase { "prop"?: SchemaValue<RangeA | RangeB | IdReference, "prop">; … }
//! export interface XLeaf extends XBase { "@type": "X"; }
//! export type X = XLeaf | SubtypeA | SubtypeB | "https://schema.org/Member" | "Member" | string;
//! ```
//!
//! (a type without properties of its own has no `XBase`: its leaf extends its parent's), and the
//! data types as aliases (`type Date = string`, `type Text = … | URL | string`). [`Vocabulary`]
//! reads that file line by line: each type's `@type`, subtypes, properties with their ranges,
//! and enumeration members; [`Vocabulary::check`] checks a JSON-LD node against it.
//!
//! What schema-dts allows, this allows: a property's value may be an array of values; an object
//! with only `@id` where the range lists `IdReference`; a bare string where the type's union ends
//! in `| string`; an enumeration member by IRI or short name. Not supported (reported as not
//! fitting): `Role` values, which no page uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

/// A schema.org type as schema.d.ts declares it.
#[derive(Debug, Default)]
struct Type {
    /// Its `@type` in JSON-LD: the short name, or a full IRI for a type of another vocabulary.
    at_type: String,
    /// The `…Base` interfaces its leaf extends, where its properties are declared.
    bases: Vec<String>,
    /// Its direct subtypes, by TypeScript name.
    subtypes: Vec<String>,
    /// Enumeration members, in both written forms (IRI and short name).
    members: Vec<String>,
    /// A bare string stands for one (its union has `| string`).
    takes_string: bool,
}

/// A `…Base` interface: the interfaces it extends and the properties it declares.
#[derive(Debug, Default)]
struct Base {
    extends: Vec<String>,
    properties: BTreeMap<String, Vec<String>>,
}

/// The types, properties and data types of schema.org, read from schema-dts's `schema.d.ts`.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// By TypeScript name (the short name for schema.org's own types).
    types: BTreeMap<String, Type>,
    /// `@type` → TypeScript name.
    by_at_type: BTreeMap<String, String>,
    bases: BTreeMap<String, Base>,
    /// `export type X = …` that are not types: data types and their unions, as the members.
    aliases: BTreeMap<String, Vec<String>>,
}

/// Where `npm ci` in tests/tools puts the vocabulary.
pub fn schema_dts_path() -> PathBuf {
    crate::repo().join("tests/tools/node_modules/schema-dts/dist/schema.d.ts")
}

impl Vocabulary {
    /// The pinned vocabulary, installing the test tools first if they are missing; panics
    /// with the install hint when it cannot be read, so a check never passes without it.
    pub fn load() -> Vocabulary {
        let path = schema_dts_path();
        if !path.is_file() {
            crate::install_node_tools();
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", path.display(), crate::NODE_TOOLS_HINT));
        Vocabulary::parse(&text)
    }

    /// Reads the text of a `schema.d.ts`. Panics when the types every check relies on are not
    /// found as expected: a change of format must fail loudly, not pass vacuously.
    pub fn parse(text: &str) -> Vocabulary {
        let mut v = Vocabulary::default();
        // Leaves: TypeScript name → (`@type`, bases); unions: name → members.
        let mut leaves: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        let mut unions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let lines: Vec<&str> = text.lines().collect();
        let mut base: Option<String> = None;
        for (i, line) in lines.iter().enumerate() {
            if let Some(name) = &base {
                if *line == "}" {
                    base = None;
                } else if let Some((prop, ranges)) = property(line) {
                    v.bases
                        .get_mut(name)
                        .unwrap()
                        .properties
                        .insert(prop, ranges);
                }
                continue;
            }
            let at_type = || {
                lines
                    .get(i + 1)
                    .and_then(|l| l.trim().strip_prefix("\"@type\": \""))
                    .and_then(|l| l.strip_suffix("\";"))
                    .map(str::to_string)
            };
            if let Some(rest) = line.strip_prefix("interface ") {
                // interface XBase extends ABase, BBase {
                let Some((name, ext)) = rest.split_once(" extends ") else {
                    continue;
                };
                if let Some(ext) = ext.strip_suffix(" {") {
                    v.bases.insert(
                        name.to_string(),
                        Base {
                            extends: bases_in(ext),
                            properties: BTreeMap::new(),
                        },
                    );
                    base = Some(name.to_string());
                }
            } else if let Some(rest) = line.strip_prefix("export interface ") {
                // export interface XLeaf extends XBase {   then   "@type": "X";
                if let Some((name, ext)) = rest.split_once(" extends ") {
                    if let (Some(name), Some(ext), Some(t)) =
                        (name.strip_suffix("Leaf"), ext.strip_suffix(" {"), at_type())
                    {
                        leaves.insert(name.to_string(), (t, bases_in(ext)));
                    }
                }
            } else if let Some(rest) = line.strip_prefix("export type ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let after = &rest[name.len()..];
                // Generic parameters, as the roles have: `<TContent = never, …>`.
                let after = match after.strip_prefix('<') {
                    Some(g) => g.split_once('>').map_or("", |(_, r)| r),
                    None => after,
                };
                let Some(rhs) = after.strip_prefix(" = ") else {
                    continue;
                };
                if let Some(leaf) = name.strip_suffix("Leaf") {
                    // The roles' leaves: `= Omit<XBase, TProperty> & {`   then   "@type": "X";
                    if let (Some(b), Some(t)) = (
                        rhs.strip_prefix("Omit<")
                            .and_then(|r| r.split_once(','))
                            .map(|(b, _)| b.to_string()),
                        at_type(),
                    ) {
                        leaves.insert(leaf.to_string(), (t, vec![b]));
                    }
                } else if let Some(rhs) = rhs.strip_suffix(';') {
                    let members = rhs
                        .split(" | ")
                        .map(|m| match m.split_once('<') {
                            // `EmployeeRole<TContent, TProperty>` names EmployeeRole.
                            Some((n, _)) if !m.starts_with('"') && !m.starts_with('`') => n,
                            _ => m,
                        })
                        .map(str::to_string)
                        .collect();
                    unions.insert(name, members);
                }
            }
        }
        for (name, members) in unions {
            let leaf = format!("{name}Leaf");
            if !members.contains(&leaf) {
                v.aliases.insert(name, members);
                continue;
            }
            let Some((at_type, bases)) = leaves.remove(&name) else {
                panic!("schema.d.ts: {name} names {leaf}, which is not declared");
            };
            let mut t = Type {
                at_type,
                bases,
                ..Type::default()
            };
            for m in members.into_iter().filter(|m| *m != leaf) {
                if let Some(lit) = m.strip_prefix('"').and_then(|m| m.strip_suffix('"')) {
                    t.members.push(lit.to_string());
                } else if m == "string" {
                    t.takes_string = true;
                } else {
                    t.subtypes.push(m);
                }
            }
            v.by_at_type.insert(t.at_type.clone(), name.clone());
            v.types.insert(name, t);
        }
        v.sanity();
        v
    }

    /// The file was read as this module expects: the types, properties, ranges, subtypes and
    /// members the measure pages rely on are there, as schema.org defines them.
    fn sanity(&self) {
        assert!(
            self.types.len() > 500 && self.bases.len() > 300,
            "schema.d.ts: only {} types and {} property groups read: has its format changed?",
            self.types.len(),
            self.bases.len()
        );
        for t in [
            "Thing",
            "CreativeWork",
            "Legislation",
            "Organization",
            "MediaObject",
        ] {
            assert!(self.is_type(t), "schema.d.ts: no type {t}");
        }
        assert_eq!(
            self.ancestors("Legislation"),
            BTreeSet::from(["Legislation", "CreativeWork", "Thing"].map(String::from)),
            "schema.d.ts: Legislation's supertypes"
        );
        assert!(self.is_a("GovernmentOrganization", "Organization"));
        assert_eq!(
            self.ranges("Legislation", "legislationDate"),
            Some(&["Date".to_string()][..])
        );
        assert_eq!(
            self.ranges("Legislation", "name"),
            Some(&["Text".to_string()][..])
        );
        assert!(self
            .enum_members("LegalForceStatus")
            .contains(&"https://schema.org/InForce"));
        for d in ["Text", "URL", "Date", "DateTime", "Number", "Boolean"] {
            assert!(
                self.aliases.contains_key(d),
                "schema.d.ts: no data type {d}"
            );
        }
    }

    /// Whether `name` (a short name such as "Legislation") is a schema.org type.
    pub fn is_type(&self, name: &str) -> bool {
        self.by_at_type.contains_key(name)
    }

    /// The direct supertypes of type `name`: those that list it as a subtype.
    pub fn parents(&self, name: &str) -> Vec<&str> {
        self.types
            .iter()
            .filter(|(_, t)| t.subtypes.iter().any(|s| s == name))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Type `name` and all its supertypes.
    pub fn ancestors(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            if seen.insert(n.clone()) {
                todo.extend(self.parents(&n).into_iter().map(String::from));
            }
        }
        seen
    }

    /// Whether type `sub` is `ty` or one of its subtypes.
    pub fn is_a(&self, sub: &str, ty: &str) -> bool {
        self.ancestors(sub).contains(ty)
    }

    /// The members of enumeration `name`, IRIs and short names.
    pub fn enum_members(&self, name: &str) -> Vec<&str> {
        self.types
            .get(name)
            .map(|t| t.members.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The ranges of `property` on type `name`, declared on it or inherited; `None` where the
    /// type has no such property.
    pub fn ranges(&self, name: &str, property: &str) -> Option<&[String]> {
        let mut todo: Vec<&str> = self
            .types
            .get(name)?
            .bases
            .iter()
            .map(String::as_str)
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(b) = todo.pop() {
            if !seen.insert(b) {
                continue;
            }
            let Some(base) = self.bases.get(b) else {
                continue;
            };
            if let Some(r) = base.properties.get(property) {
                return Some(r);
            }
            todo.extend(base.extends.iter().map(String::as_str));
        }
        None
    }

    /// Every way JSON-LD node `v` (a page's whole block: `@context` then a typed node) departs
    /// from the vocabulary, each naming where; empty when it conforms.
    pub fn check(&self, v: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        if v.get("@context") != Some(&Value::from("https://schema.org")) {
            errors.push(format!(
                "@context is {}, not https://schema.org",
                v.get("@context").unwrap_or(&Value::Null)
            ));
        }
        self.node(v, "$", &mut errors);
        errors
    }

    /// The types (TypeScript names) that node `v`'s `@type` names; an error for each name that
    /// is not a schema.org type.
    fn node_types(&self, v: &Value, at: &str, errors: &mut Vec<String>) -> Vec<String> {
        let names: Vec<&Value> = match v.get("@type") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(t) => vec![t],
            None => vec![],
        };
        let mut types = Vec::new();
        for n in names {
            match n.as_str().and_then(|s| self.by_at_type.get(s)) {
                Some(t) => types.push(t.clone()),
                None => errors.push(format!("{at}: @type {n} is not a schema.org type")),
            }
        }
        types
    }

    /// Checks node `v` at path `at`: its type, and each property and value.
    fn node(&self, v: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(o) = v.as_object() else {
            errors.push(format!("{at}: {v} is not a node"));
            return;
        };
        if o.get("@type").is_none() && !is_reference(v) {
            errors.push(format!("{at}: a node without @type"));
        }
        let types = self.node_types(v, at, errors);
        for (k, val) in o {
            match k.as_str() {
                "@context" | "@type" => {}
                "@id" => {
                    if !val.as_str().is_some_and(is_url) {
                        errors.push(format!("{at}: @id {val} is not a URL"));
                    }
                }
                _ if k.starts_with('@') => errors.push(format!("{at}: unexpected keyword {k}")),
                _ => {
                    if types.is_empty() {
                        continue; // already reported: no type to define it
                    }
                    let Some(ranges) = types.iter().find_map(|t| self.ranges(t, k)) else {
                        errors.push(format!(
                            "{at}: {k} is not a property of {} or its supertypes",
                            types.join(", ")
                        ));
                        continue;
                    };
                    let values = match val {
                        Value::Array(a) => a.iter().collect(),
                        _ => vec![val],
                    };
                    for (i, x) in values.iter().enumerate() {
                        let here = match val {
                            Value::Array(_) => format!("{at}.{k}[{i}]"),
                            _ => format!("{at}.{k}"),
                        };
                        if !ranges.iter().any(|r| self.fits(x, r)) {
                            errors.push(format!("{here}: {x} is not a {}", ranges.join(" or ")));
                        }
                        if x.get("@type").is_some() {
                            self.node(x, &here, errors);
                        }
                    }
                }
            }
        }
    }

    /// Whether value `v` (one value, not an array) is of range `r`: a type, an enumeration, a
    /// data type, or `IdReference`.
    fn fits(&self, v: &Value, r: &str) -> bool {
        if r == "IdReference" {
            return is_reference(v);
        }
        if let Some(t) = self.types.get(r) {
            return match v {
                Value::String(s) => t.takes_string || t.members.contains(s),
                Value::Object(_) => {
                    let mut sink = Vec::new();
                    let types = self.node_types(v, "", &mut sink);
                    !types.is_empty() && types.iter().any(|t| self.is_a(t, r))
                }
                _ => false,
            };
        }
        // The data types whose TypeScript is bare `string` or `number`: their lexical forms.
        match r {
            "Date" => return v.as_str().is_some_and(is_date),
            "DateTime" => return v.as_str().is_some_and(is_datetime),
            "Time" => return v.as_str().is_some_and(is_time),
            "URL" => return v.as_str().is_some_and(is_url),
            "Integer" => {
                return v.is_i64()
                    || v.is_u64()
                    || v.as_str().is_some_and(|s| s.parse::<i64>().is_ok())
            }
            _ => {}
        }
        let Some(members) = self.aliases.get(r) else {
            panic!("schema.d.ts: range {r} is neither a type nor a data type");
        };
        members.iter().any(|m| match m.as_str() {
            "string" if members.len() == 1 => {
                // An alias of plain string with no lexical rule above: only these are free text.
                assert!(
                    matches!(r, "CssSelectorType" | "XPathType"),
                    "schema.d.ts: no rule here for data type {r}"
                );
                v.is_string()
            }
            "string" => v.is_string(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "`${number}`" => v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok()),
            lit if lit.starts_with('"') => v.as_str() == Some(lit.trim_matches('"')),
            other => self.fits(v, other),
        })
    }
}

/// A property line: `    "name"?: SchemaValue<A | B | IdReference, "name">;` → name, ranges.
fn property(line: &str) -> Option<(String, Vec<String>)> {
    let rest = line.strip_prefix("    \"")?;
    let (name, rest) = rest.split_once("\"?: SchemaValue<")?;
    let ranges = rest.strip_suffix(&format!(", \"{name}\">;"))?;
    Some((
        name.to_string(),
        ranges.split(" | ").map(str::to_string).collect(),
    ))
}

/// The `…Base` interfaces in an `extends` list (not `Partial<IdReference>`).
fn bases_in(ext: &str) -> Vec<String> {
    ext.split(", ")
        .filter(|b| b.ends_with("Base"))
        .map(str::to_string)
        .collect()
}

/// `{"@id": "…"}` and nothing else: schema-dts's `IdReference`.
fn is_reference(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.len() == 1 && o.get("@id").is_some_and(|i| i.as_str().is_some_and(is_url))
    })
}

/// An ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    time::Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .is_ok()
}

/// `[-]CCYY-MM-DDThh:mm:ss[Z|(+|-)hh:mm]`, as schema.org's DateTime gives it (fractions of a
/// second allowed).
pub fn is_datetime(s: &str) -> bool {
    s.split_once('T')
        .is_some_and(|(d, t)| is_date(d.trim_start_matches('-')) && is_time(t))
}

/// `hh:mm[:ss[.s+]][Z|(+|-)hh:mm]`: schema.org's Time (XML Schema time).
pub fn is_time(s: &str) -> bool {
    let t = s.strip_suffix('Z').unwrap_or(s);
    let t = match t.rfind(['+', '-']) {
        Some(i) => {
            let zone = &t[i + 1..];
            if time::Time::parse(zone, &time::macros::format_description!("[hour]:[minute]"))
                .is_err()
            {
                return false;
            }
            &t[..i]
        }
        None => t,
    };
    time::Time::parse(
        t,
        &time::macros::format_description!(
            "[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
        ),
    )
    .is_ok()
}

/// A URL or relative reference (RFC 3986, with IRI's non-ASCII letters allowed): no spaces,
/// controls or characters URLs never carry unescaped, `%` only before two hex digits, and a
/// colon before the first `/`, `?` or `#` only after a scheme.
pub fn is_url(s: &str) -> bool {
    if s.is_empty()
        || s.chars()
            .any(|c| c.is_control() || c.is_whitespace() || "\"<>\\^`{|}".contains(c))
    {
        return false;
    }
    let b = s.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if *c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return false;
        }
    }
    let head = s.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => true,
    }
}
