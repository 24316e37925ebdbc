//! Each measure as an Akoma Ntoso 3.0 document (`data/akn/<id>.xml`), for Indigo, legislation
//! registers and anyone who reads the OASIS LegalDocML standard rather than this site's dataset.
//!
//! The document is an `<act>`: `<meta>` (the FRBR identification, the issuer and this atlas as
//! `TLCOrganization`s, the transcribers' notes as editorial `<note>`s), a `<preface>` with the
//! title and 文号, a `<preamble>` with the lines before the text (the issuing notice), the
//! `<body>` (chapters, articles or a notice's numbered parts, paragraphs 款, and clauses 项 and
//! items 目 as nested points) and `<conclusions>` with the lines after it. The annexed form is
//! not exported. Every unit's `<p>` holds the verbatim words exactly: a reference to another
//! unit is wrapped in `<ref>` and a note is pointed at by an empty `<noteRef/>` after the words,
//! so the text of the `<p>` is still the source's. eIds follow the AKN naming convention
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

/// The document of `m`, as UTF-8 bytes.
pub(crate) fn act(m: &Measure) -> Vec<u8> {
    let mut x = Xml {
        w: Writer::new(Vec::new()),
        depth: 0,
        m,
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
    x.close("act");
    x.close("akomaNtoso");
    x.newline();
    x.w.into_inner()
}

/// The writer, how deep it is (for the indentation between elements) and the measure.
struct Xml<'a> {
    w: Writer<Vec<u8>>,
    depth: usize,
    m: &'a Measure,
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

    fn meta(&mut self) {
        let m = self.m;
        let year = m.issued.get(..4).unwrap_or("0000");
        let work = format!("/akn/cn/act/{year}/{}", m.id);
        let expr = format!("{work}/zho@{}", m.issued);
        self.open("meta", &[]);
        self.open("identification", &[("source", "#atlas")]);
        self.open("FRBRWork", &[]);
        self.empty("FRBRthis", &[("value", &format!("{work}/!main"))]);
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
        self.empty("FRBRthis", &[("value", &format!("{expr}/!main"))]);
        self.empty("FRBRuri", &[("value", &expr)]);
        self.empty("FRBRdate", &[("date", &m.issued), ("name", "issued")]);
        self.empty("FRBRauthor", &[("href", "#issuer")]);
        self.empty("FRBRlanguage", &[("language", "zho")]);
        self.close("FRBRExpression");
        self.open("FRBRManifestation", &[]);
        self.empty("FRBRthis", &[("value", &format!("{expr}/!main.xml"))]);
        self.empty("FRBRuri", &[("value", &format!("{expr}.akn"))]);
        // The transcription has no date of its own in the content; the issue date keeps the
        // file the same from build to build.
        self.empty("FRBRdate", &[("date", &m.issued), ("name", "issued")]);
        self.empty("FRBRauthor", &[("href", "#atlas")]);
        self.close("FRBRManifestation");
        self.close("identification");
        self.open("references", &[("source", "#atlas")]);
        self.empty(
            "TLCOrganization",
            &[
                ("eId", "atlas"),
                ("href", "/ontology/organization/atlas"),
                ("showAs", "JointLab Atlas"),
            ],
        );
        let issuer = format!("/ontology/organization/cn/{}", slug(&m.issuer_en));
        self.empty(
            "TLCOrganization",
            &[("eId", "issuer"), ("href", &issuer), ("showAs", &m.issuer)],
        );
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
    use super::{act, eid};

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
            assert_eq!(act(m), act(m), "{}", m.id);
        }
        let mut m = (*s.measures[0]).clone();
        m.title = "<b>&\"'</b>".into();
        let xml = String::from_utf8(act(&m)).unwrap();
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
        let xml = String::from_utf8(act(&m)).unwrap();
        assert!(
            xml.contains(r##"<p>见<ref href="#art_19">第十九条</ref>。</p>"##),
            "{xml}"
        );
    }
}
