//! Each measure as an Akoma Ntoso 3.0 document (`data/akn/<id>.xml`), for Indigo, legislation
//! registers and anyone who reads the OASIS LegalDocML standard rather than this site's dataset.
//!
//! The document is an `<act>`: `<meta>` (the FRBR identification; the lifecycle, dating the
//! issue, the entry into force and any repeal by a measure of the collection; the issuer and
//! this atlas as `TLCOrganization`s; the transcribers' notes as editorial `<note>`s), a
//! `<preface>` with the title and 文号, a `<preamble>` with the lines before the text (the
//! issuing notice), the `<body>` (chapters, articles or a notice's numbered parts, paragraphs
//! 款, and clauses 项 and items 目 as nested points), `<conclusions>` with the lines after it,
//! and the annexed form (附件), if any, as an `<attachment>`. Every unit's `<p>` holds the
//! verbatim words exactly: a reference to another unit is wrapped in `<ref>` and a note is
//! pointed at by an empty `<noteRef/>` after the words, so the text of the `<p>` is still the
//! source's. eIds follow the AKN naming convention
//! (`chp_1`, `art_19`, `art_19__para_2`, `art_19__para_1__point_1`); each is made from the
//! unit's site anchor (`art-19-p2` ↔ `art_19__para_2`), so the two name the same units.
//!
//! Written through quick-xml, which escapes every text and attribute value, with no date of
//! its own: the same content gives the same bytes.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::address::Address;
use crate::model::marked::{Mark, Marked};
use crate::model::measure::{ArticleView, BlockView, ChapterView, ItemView, Measure, ParaView};

/// The Akoma Ntoso 3.0 namespace.
pub(crate) const NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// The AKN eId of the unit at the site's `anchor` (`art-19-p2-1` → `art_19__para_2__point_1`);
/// `None` for an anchor that is not a unit of the text. An article's own anchor gives the
/// article's eId, `art_19`, not its first paragraph's.
pub(crate) fn eid(anchor: &str) -> Option<String> {
    let a = Address::parse(anchor)?;
    let art = format!("{}_{}", a.prefix.as_str(), a.article);
    if a.para == 1 && a.clause.is_none() && a.item.is_none() {
        return Some(art);
    }
    Some(unit_eid(&a))
}

/// The eId of the paragraph, clause or item at `a` (the first paragraph included).
fn unit_eid(a: &Address) -> String {
    let mut s = format!("{}_{}__para_{}", a.prefix.as_str(), a.article, a.para);
    // Clauses and items are both AKN points; an item under a clause is a point in a point.
    for n in [a.clause, a.item].into_iter().flatten() {
        s.push_str(&format!("__point_{n}"));
    }
    s
}

/// The eId of the paragraph, clause or item at the site's `anchor`; an article's own anchor
/// gives its first paragraph.
fn para_eid(anchor: &str) -> String {
    Address::parse(anchor).map_or_else(|| anchor.replace('-', "_"), |a| unit_eid(&a))
}

/// What a measure's document needs from beyond the measure: the site layer gives it.
pub(crate) struct Context<'a> {
    /// The site's name (the catalogue's `site_name`, which a theme may override): the editor
    /// of the transcription, the `TLCOrganization` `#atlas`.
    pub editor: &'a str,
    /// The measures of the collection that have repealed this one by the status date: each
    /// repeal is an event of its lifecycle, dated by the repealing measure's entry into force.
    pub repealers: Vec<&'a Measure>,
}

/// The FRBR work URI of `m`: `/akn/cn/act/<year of issue>/<id>`.
fn work_uri(m: &Measure) -> String {
    let year = m.issued.get(..4).unwrap_or("0000");
    format!("/akn/cn/act/{year}/{}", m.id)
}

/// The document of `m`, as UTF-8 bytes.
pub(crate) fn act(m: &Measure, cx: &Context) -> Vec<u8> {
    let mut x = Xml {
        w: Writer::new(Vec::new()),
        depth: 0,
        m,
        cx,
    };
    x.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    x.open("akomaNtoso", &[("xmlns", NAMESPACE)]);
    x.open("act", &[("name", m.kind.code())]);
    x.meta();
    x.open("preface", &[]);
    x.inline_p("docTitle", &m.title);
    if let Some(d) = &m.doc_number {
        x.inline_p("docNumber", d);
    }
    x.close("preface");
    if !m.front.is_empty() {
        x.open("preamble", &[]);
        for b in &m.front {
            x.block(b);
        }
        x.close("preamble");
    }
    x.open("body", &[]);
    for c in &m.chapters {
        x.chapter(c);
    }
    x.close("body");
    if !m.back.is_empty() || !m.closing.is_empty() {
        x.open("conclusions", &[]);
        for b in m.back.iter().chain(&m.closing) {
            x.block(b);
        }
        x.close("conclusions");
    }
    x.attachments();
    x.close("act");
    x.close("akomaNtoso");
    x.newline();
    x.w.into_inner()
}

/// The writer, how deep it is (for the indentation between elements), the measure and its
/// context.
struct Xml<'a> {
    w: Writer<Vec<u8>>,
    depth: usize,
    m: &'a Measure,
    cx: &'a Context<'a>,
}

impl Xml<'_> {
    fn event(&mut self, e: Event) {
        // Into a Vec: writing cannot fail.
        self.w.write_event(e).expect("XML into memory");
    }

    /// A line break and indentation, written only between elements, never inside a `<p>`
    /// (whitespace there would be part of the verbatim text).
    fn newline(&mut self) {
        let pad = format!("\n{}", "  ".repeat(self.depth));
        self.event(Event::Text(BytesText::from_escaped(pad)));
    }

    fn start<'b>(name: &'b str, attrs: &[(&'b str, &'b str)]) -> BytesStart<'b> {
        BytesStart::new(name).with_attributes(attrs.iter().copied())
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.newline();
        self.event(Event::Start(Self::start(name, attrs)));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.newline();
        self.event(Event::End(BytesEnd::new(name)));
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.newline();
        self.event(Event::Empty(Self::start(name, attrs)));
    }

    /// `<name attrs>text</name>` on a line of its own.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.newline();
        self.event(Event::Start(Self::start(name, attrs)));
        self.event(Event::Text(BytesText::new(text)));
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<p><inline>text</inline></p>` (the preface's docTitle and docNumber).
    fn inline_p(&mut self, inline: &str, text: &str) {
        self.newline();
        self.event(Event::Start(BytesStart::new("p")));
        self.event(Event::Start(BytesStart::new(inline)));
        self.event(Event::Text(BytesText::new(text)));
        self.event(Event::End(BytesEnd::new(inline)));
        self.event(Event::End(BytesEnd::new("p")));
    }

    /// The eIds of the notes on the unit at `anchor`, in document order.
    fn notes_on(&self, anchor: &str) -> Vec<String> {
        self.m
            .errata
            .iter()
            .enumerate()
            .filter(|(_, e)| e.target == anchor)
            .map(|(i, _)| note_eid(i))
            .collect()
    }

    /// `<p attrs>` with the verbatim `text` (references to units as `<ref>`), then a
    /// `<noteRef/>` for each note on the unit at `anchor`.
    fn p(&mut self, attrs: &[(&str, &str)], text: &Marked, anchor: &str) {
        self.newline();
        self.event(Event::Start(Self::start("p", attrs)));
        let t = &text.text;
        let mut at = 0;
        for s in &text.spans {
            let Mark::Unit(target) = &s.mark else {
                continue;
            };
            let Some(to) = eid(target) else { continue };
            if s.range.start < at {
                continue;
            }
            self.event(Event::Text(BytesText::new(&t[at..s.range.start])));
            let href = format!("#{to}");
            self.event(Event::Start(Self::start("ref", &[("href", &href)])));
            self.event(Event::Text(BytesText::new(&t[s.range.clone()])));
            self.event(Event::End(BytesEnd::new("ref")));
            at = s.range.end;
        }
        self.event(Event::Text(BytesText::new(&t[at..])));
        for n in self.notes_on(anchor) {
            let href = format!("#{n}");
            self.event(Event::Empty(Self::start(
                "noteRef",
                &[("href", &href), ("class", "editorial")],
            )));
        }
        self.event(Event::End(BytesEnd::new("p")));
    }

    /// A line before or after the text, its role as the `<p>`'s class.
    fn block(&mut self, b: &BlockView) {
        self.p(&[("class", b.role.code())], &b.text, &b.anchor);
    }

    /// The FRBR identification of the act's `component` (`main`, or `annex_1` for the
    /// attachment): work, expression and manifestation.
    fn identification(&mut self, component: &str) {
        let m = self.m;
        let work = work_uri(m);
        let expr = format!("{work}/zho@{}", m.issued);
        self.open("identification", &[("source", "#atlas")]);
        self.open("FRBRWork", &[]);
        self.empty("FRBRthis", &[("value", &format!("{work}/!{component}"))]);
        self.empty("FRBRuri", &[("value", &work)]);
        self.empty("FRBRdate", &[("date", &m.issued), ("name", "issued")]);
        self.empty("FRBRauthor", &[("href", "#issuer")]);
        self.empty("FRBRcountry", &[("value", "cn")]);
        if let Some(d) = &m.doc_number {
            self.empty("FRBRnumber", &[("value", d)]);
        }
        self.empty("FRBRname", &[("value", &m.title)]);
        self.close("FRBRWork");
        self.open("FRBRExpression", &[]);
        self.empty("FRBRthis", &[("value", &format!("{expr}/!{component}"))]);
        self.empty("FRBRuri", &[("value", &expr)]);
        self.empty("FRBRdate", &[("date", &m.issued), ("name", "issued")]);
        self.empty("FRBRauthor", &[("href", "#issuer")]);
        self.empty("FRBRlanguage", &[("language", "zho")]);
        self.close("FRBRExpression");
        self.open("FRBRManifestation", &[]);
        self.empty(
            "FRBRthis",
            &[("value", &format!("{expr}/!{component}.xml"))],
        );
        self.empty("FRBRuri", &[("value", &format!("{expr}.akn"))]);
        // The transcription has no date of its own in the content; the issue date keeps the
        // file the same from build to build.
        self.empty("FRBRdate", &[("date", &m.issued), ("name", "issued")]);
        self.empty("FRBRauthor", &[("href", "#atlas")]);
        self.close("FRBRManifestation");
        self.close("identification");
    }

    /// The annexed form (附件) as the act's attachment, a `<doc name="annex">`: its own FRBR
    /// identification as the act's component `annex_1`, its label (with the notes on it) and
    /// title as the preface, then the form in generic containers (it is a template to fill
    /// in, not provisions): the cover's blanks and lines, the filling instructions as points,
    /// the fields as a table, the narrative sections with their guidance. Every text is the
    /// content's words exactly.
    fn attachments(&mut self) {
        let Some(a) = &self.m.annex else { return };
        self.open("attachments", &[]);
        self.open("attachment", &[("eId", "att_1")]);
        self.open("doc", &[("name", "annex")]);
        self.open("meta", &[]);
        self.identification("annex_1");
        self.close("meta");
        self.open("preface", &[]);
        let label = Marked {
            text: a.label.clone(),
            spans: Vec::new(),
        };
        self.p(&[("class", "label")], &label, "annex");
        self.inline_p("docTitle", &a.title);
        self.close("preface");
        self.open("mainBody", &[]);
        if !a.cover_fields.is_empty() || !a.cover_lines.is_empty() {
            self.open("hcontainer", &[("eId", "att_1__cover"), ("name", "cover")]);
            self.open("content", &[]);
            for f in &a.cover_fields {
                self.leaf(
                    "p",
                    &[("class", "field")],
                    &format!("{}{}", f.label, f.blank),
                );
            }
            for l in &a.cover_lines {
                self.leaf("p", &[("class", "line")], l);
            }
            self.close("content");
            self.close("hcontainer");
        }
        if let Some(ins) = &a.instructions {
            let id = "att_1__instructions";
            self.open("hcontainer", &[("eId", id), ("name", "instructions")]);
            self.leaf("heading", &[], &ins.title);
            for (i, item) in ins.items.iter().enumerate() {
                self.open("point", &[("eId", &format!("{id}__point_{}", i + 1))]);
                self.leaf("num", &[], item.label.get_ref());
                self.open("content", &[]);
                self.leaf("p", &[], item.text.get_ref());
                self.close("content");
                self.close("point");
            }
            self.close("hcontainer");
        }
        if let Some(form) = &a.form {
            self.open("hcontainer", &[("eId", "att_1__form"), ("name", "form")]);
            self.leaf("heading", &[], &form.title);
            self.open("content", &[]);
            self.open("table", &[("eId", "att_1__form__table_1")]);
            // One row per field, left to right as printed: its group, subgroup and label as
            // headers, then a cell with its check-box options or its word limit.
            for f in &form.fields {
                self.open("tr", &[]);
                self.cell("th", &[&f.group]);
                if let Some(sub) = &f.subgroup {
                    self.cell("th", &[sub]);
                }
                if !f.label.is_empty() {
                    self.cell("th", &[&f.label]);
                }
                let mut fill: Vec<&str> = f.options.iter().map(String::as_str).collect();
                fill.extend(f.limit_text.as_deref());
                self.cell("td", &fill);
                self.close("tr");
            }
            self.close("table");
            self.close("content");
            self.close("hcontainer");
        }
        for (i, sec) in a.sections.iter().enumerate() {
            let id = format!("att_1__sec_{}", i + 1);
            self.open("hcontainer", &[("eId", &id), ("name", "section")]);
            self.leaf("num", &[], &sec.label);
            self.leaf("heading", &[], &sec.title);
            if !sec.guidance.is_empty() {
                self.open("intro", &[]);
                for g in &sec.guidance {
                    self.leaf("p", &[], g);
                }
                self.close("intro");
            }
            for (j, sub) in sec.subs.iter().enumerate() {
                let sid = format!("{id}__subsec_{}", j + 1);
                self.open("hcontainer", &[("eId", &sid), ("name", "subsection")]);
                self.leaf("num", &[], &sub.label);
                self.leaf("heading", &[], &sub.title);
                if !sub.guidance.is_empty() {
                    self.open("content", &[]);
                    for g in &sub.guidance {
                        self.leaf("p", &[], g);
                    }
                    self.close("content");
                }
                self.close("hcontainer");
            }
            self.close("hcontainer");
        }
        self.close("mainBody");
        self.close("doc");
        self.close("attachment");
        self.close("attachments");
    }

    /// A table cell `<th>` or `<td>` with a `<p>` for each text (an empty cell for none: the
    /// blank to fill in).
    fn cell(&mut self, name: &str, texts: &[&str]) {
        if texts.is_empty() {
            self.empty(name, &[]);
            return;
        }
        self.open(name, &[]);
        for t in texts {
            self.leaf("p", &[], t);
        }
        self.close(name);
    }

    fn meta(&mut self) {
        let m = self.m;
        let work = work_uri(m);
        let expr = format!("{work}/zho@{}", m.issued);
        self.open("meta", &[]);
        self.identification("main");
        self.lifecycle();
        self.open("references", &[("source", "#atlas")]);
        // The documents the lifecycle's events come from: this act, and each that repealed it.
        self.empty(
            "original",
            &[("eId", "original"), ("href", &expr), ("showAs", &m.title)],
        );
        for (i, r) in self.cx.repealers.iter().enumerate() {
            self.empty(
                "passiveRef",
                &[
                    ("eId", &format!("repealer_{}", i + 1)),
                    ("href", &work_uri(r)),
                    ("showAs", &r.title),
                ],
            );
        }
        if let Some(a) = &m.annex {
            self.empty(
                "hasAttachment",
                &[
                    ("eId", "annex_1"),
                    ("href", &format!("{work}/!annex_1")),
                    ("showAs", &a.title),
                ],
            );
        }
        self.empty(
            "TLCOrganization",
            &[
                ("eId", "atlas"),
                ("href", "/ontology/organization/atlas"),
                ("showAs", self.cx.editor),
            ],
        );
        let issuer = format!("/ontology/organization/cn/{}", slug(&m.issuer_en));
        self.empty(
            "TLCOrganization",
            &[("eId", "issuer"), ("href", &issuer), ("showAs", &m.issuer)],
        );
        for (id, show) in self.events() {
            let href = format!("/ontology/event/{id}");
            self.empty(
                "TLCEvent",
                &[("eId", id), ("href", &href), ("showAs", show)],
            );
        }
        self.close("references");
        if !m.errata.is_empty() {
            self.open("notes", &[("source", "#atlas")]);
            for (i, e) in m.errata.iter().enumerate() {
                let id = note_eid(i);
                self.open("note", &[("eId", &id), ("class", "editorial")]);
                self.leaf("p", &[], &e.note);
                self.leaf("p", &[("xml:lang", "en")], &e.note_en);
                self.close("note");
            }
            self.close("notes");
        }
        self.close("meta");
    }

    /// The kinds of event the lifecycle refers to, eId and name.
    fn events(&self) -> Vec<(&'static str, &'static str)> {
        let mut kinds = vec![("issue", "issue")];
        if !self.m.effective.date.is_empty() {
            kinds.push(("entry_into_force", "entry into force"));
        }
        if !self.cx.repealers.is_empty() {
            kinds.push(("repeal", "repeal"));
        }
        kinds
    }

    /// The dated events the content states: the act's issue (its generation), its entry into
    /// force, and its repeal by each measure that has repealed it. Entry into force is a
    /// `generation` event too: it changes no words, and AKN's event types are only generation,
    /// amendment and repeal.
    fn lifecycle(&mut self) {
        let m = self.m;
        self.open("lifecycle", &[("source", "#atlas")]);
        self.empty(
            "eventRef",
            &[
                ("eId", "evt_issue"),
                ("date", &m.issued),
                ("source", "#original"),
                ("type", "generation"),
                ("refersTo", "#issue"),
            ],
        );
        if !m.effective.date.is_empty() {
            self.empty(
                "eventRef",
                &[
                    ("eId", "evt_entry_into_force"),
                    ("date", &m.effective.date),
                    ("source", "#original"),
                    ("type", "generation"),
                    ("refersTo", "#entry_into_force"),
                ],
            );
        }
        for (i, r) in self.cx.repealers.iter().enumerate() {
            self.empty(
                "eventRef",
                &[
                    ("eId", &format!("evt_repeal_{}", i + 1)),
                    ("date", &r.effective.date),
                    ("source", &format!("#repealer_{}", i + 1)),
                    ("type", "repeal"),
                    ("refersTo", "#repeal"),
                ],
            );
        }
        self.close("lifecycle");
    }

    fn chapter(&mut self, c: &ChapterView) {
        // The implicit chapter of a measure without chapters is no element.
        let named = !c.anchor.is_empty();
        if named {
            let id = c.anchor.replace("ch-", "chp_");
            self.open("chapter", &[("eId", &id)]);
            self.leaf("num", &[], &c.label);
            if !c.title.is_empty() {
                self.leaf("heading", &[], &c.title);
            }
        }
        for a in &c.articles {
            self.article(a);
        }
        if named {
            self.close("chapter");
        }
    }

    fn article(&mut self, a: &ArticleView) {
        let id = eid(&a.anchor).unwrap_or_else(|| a.anchor.replace('-', "_"));
        // A notice's numbered parts (一、二、) are sections; a measure's 第N条 articles.
        let name = if a.anchor.starts_with("sec-") {
            "section"
        } else {
            "article"
        };
        self.open(name, &[("eId", &id)]);
        self.leaf("num", &[], &a.label);
        if let Some(h) = a.heading.as_deref().filter(|h| !h.is_empty()) {
            self.leaf("heading", &[], h);
        }
        for p in &a.paras {
            self.para(p);
        }
        self.close(name);
    }

    fn para(&mut self, p: &ParaView) {
        let id = para_eid(&p.anchor);
        self.open("paragraph", &[("eId", &id)]);
        if p.clauses.is_empty() && p.items.is_empty() {
            self.open("content", &[]);
            self.p(&[], &p.text, &p.anchor);
            self.close("content");
        } else {
            self.intro(&p.text, &p.anchor);
            for c in &p.clauses {
                self.point(&c.anchor, &c.label, &c.text, &c.items);
            }
            for i in &p.items {
                self.point(&i.anchor, &i.label, &i.text, &[]);
            }
        }
        self.close("paragraph");
    }

    /// The words before a unit's points; none when there are none (a notice's part whose
    /// numbered items follow its heading directly), rather than an empty `<p>`.
    fn intro(&mut self, text: &Marked, anchor: &str) {
        if text.text.is_empty() && self.notes_on(anchor).is_empty() {
            return;
        }
        self.open("intro", &[]);
        self.p(&[], text, anchor);
        self.close("intro");
    }

    /// A clause (with its items) or an item, as a point.
    fn point(&mut self, anchor: &str, label: &str, text: &Marked, items: &[ItemView]) {
        let id = para_eid(anchor);
        self.open("point", &[("eId", &id)]);
        self.leaf("num", &[], label);
        if items.is_empty() {
            self.open("content", &[]);
            self.p(&[], text, anchor);
            self.close("content");
        } else {
            self.intro(text, anchor);
            for i in items {
                self.point(&i.anchor, &i.label, &i.text, &[]);
            }
        }
        self.close("point");
    }
}

/// The eId of the `i`th note (from 0).
fn note_eid(i: usize) -> String {
    format!("note_{}", i + 1)
}

/// `name` in lower case, words joined by hyphens (an issuer's English name as a URI segment).
fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::{act, eid, Context};

    fn cx() -> Context<'static> {
        Context {
            editor: "JointLab Atlas",
            repealers: Vec::new(),
        }
    }

    fn site() -> crate::model::Site {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (corpus, report) = crate::content::load(&dir.join("../content"));
        assert!(!report.has_errors());
        crate::site::model(&corpus, time::macros::date!(2026 - 11 - 21))
    }

    /// The site's anchors name the AKN eIds of the same units.
    #[test]
    fn anchors_map_to_eids() {
        assert_eq!(eid("art-19").as_deref(), Some("art_19"));
        assert_eq!(eid("art-19-p2").as_deref(), Some("art_19__para_2"));
        assert_eq!(eid("art-19-1").as_deref(), Some("art_19__para_1__point_1"));
        assert_eq!(
            eid("art-5-1-2").as_deref(),
            Some("art_5__para_1__point_1__point_2")
        );
        assert_eq!(
            eid("art-16-p2-i3").as_deref(),
            Some("art_16__para_2__point_3")
        );
        assert_eq!(eid("sec-1-i2").as_deref(), Some("sec_1__para_1__point_2"));
        assert_eq!(eid("front-2"), None);
    }

    /// Same measure, same bytes; text that looks like markup is escaped.
    #[test]
    fn deterministic_and_escaped() {
        let s = site();
        for m in &s.measures {
            assert_eq!(act(m, &cx()), act(m, &cx()), "{}", m.id);
        }
        let mut m = (*s.measures[0]).clone();
        m.title = "<b>&\"'</b>".into();
        let xml = String::from_utf8(act(&m, &cx())).unwrap();
        assert!(xml.contains("&lt;b&gt;&amp;"), "{xml}");
        assert!(!xml.contains("<b>"), "{xml}");
    }

    /// A reference to a unit of the same measure links to its eId; the words stay as printed.
    #[test]
    fn references_link_to_eids() {
        use crate::model::marked::{Mark, Marked, Span};
        let s = site();
        let mut m = (*s.measures[0]).clone();
        m.chapters[0].articles[0].paras[0].text = Marked {
            text: "见第十九条。".into(),
            spans: vec![Span {
                range: 3..15,
                mark: Mark::Unit("art-19".into()),
            }],
        };
        let xml = String::from_utf8(act(&m, &cx())).unwrap();
        assert!(
            xml.contains(r##"<p>见<ref href="#art_19">第十九条</ref>。</p>"##),
            "{xml}"
        );
    }
}
