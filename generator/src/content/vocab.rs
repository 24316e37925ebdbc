//! The fixed vocabularies of the content files, as types. A value outside a vocabulary is a
//! positioned error when the file is read (`unknown variant `x`, expected one of …`), so no
//! later stage ever sees one. Each value is written in the files as its kebab-case code (or,
//! for [`DocKind`], the Chinese word); the words a reader sees for it live once, in the
//! theme's catalogue, under the code (`level_national`, `rel_defers-to`, `erratum_typo` …).

use serde::{Deserialize, Serialize};

/// Declares a vocabulary: an enum with its codes, `code()` and the list of every value.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code the content files write.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// Level of government that issued a measure, highest first (the site's order).
    Level {
        /// 国家级: a national ministry (科技部).
        National = "national",
        /// 部委级: a ministry for its own sector (教育部).
        Ministerial = "ministerial",
        /// 省级: a province.
        Provincial = "provincial",
        /// 市级: a city.
        Municipal = "municipal",
    }
}

vocabulary! {
    /// What a document is.
    DocKind {
        /// 办法: measures in articles (第N条).
        Measures = "办法",
        /// 通知: a notice in numbered parts (一、二、).
        Notice = "通知",
    }
}

vocabulary! {
    /// How a measure enters into force.
    EffectiveRule {
        /// On a date the text gives.
        OnDate = "on-date",
        /// 自颁布之日起N日后: a number of days after the day of issue.
        DaysAfterIssue = "days-after-issue",
        /// 自发布之日起: on the day of issue.
        OnIssue = "on-issue",
    }
}

vocabulary! {
    /// What a free-standing line outside the articles is.
    BlockRole {
        /// Navigation of the web page the copy was taken from.
        PageChrome = "page-chrome",
        /// 浙江省科学技术厅文件.
        Letterhead = "letterhead",
        /// A document title.
        Title = "title",
        /// 文号.
        DocNumber = "doc-number",
        /// 各有关单位：
        Addressee = "addressee",
        /// A paragraph of prose.
        Body = "body",
        /// The issuing body under a notice.
        Signature = "signature",
        /// A date line.
        Date = "date",
        /// （此件公开发布） and similar.
        Publication = "publication",
        /// 附件：…
        Attachment = "attachment",
        /// Contact persons and addresses.
        Contact = "contact",
        /// 部内发送：…
        Distribution = "distribution",
    }
}

vocabulary! {
    /// What one measure says about another (or about a kind of base).
    RelationKind {
        /// Mentions or relies on it.
        RefersTo = "refers-to",
        /// Hands the matter over (labs recognised nationally leave the provincial series).
        DefersTo = "defers-to",
        /// Holders of the other recognition are excluded or not supported twice.
        Excludes = "excludes",
        /// Made under or in line with it.
        BasedOn = "based-on",
        /// Repeals it: stated in a measure's `[[repeals]]`, never as a `[[relation]]`.
        Repeals = "repeals",
    }
}

vocabulary! {
    /// What a transcriber's note is about.
    ErratumKind {
        /// An article number is skipped.
        NumberingGap = "numbering-gap",
        /// A slip in the text, kept as printed.
        Typo = "typo",
        /// Conversion residue that is not part of the text.
        Artefact = "artefact",
        /// A sentence broken across a page break in the copy, joined here.
        PageBreak = "page-break",
        /// Mixed half/full-width punctuation, stray spaces, list markers.
        Format = "format",
        /// Navigation lines of the web page the copy was taken from.
        PageChrome = "page-chrome",
    }
}

vocabulary! {
    /// The type of a fact: which of its fields carry the rule.
    FactType {
        /// `value` + `unit`; `strict` for 超过.
        Minimum = "minimum",
        /// `value` + `unit`.
        Maximum = "maximum",
        /// A money amount (`value` + `unit`).
        Amount = "amount",
        /// A money cap (`value` + `unit`).
        Cap = "cap",
        /// A fraction of an amount (`share`).
        Share = "share",
        /// Shares paid in order (`shares`).
        Schedule = "schedule",
        /// `ratio = [a, b]`.
        Ratio = "ratio",
        /// A `grade` list.
        GradeScale = "grade-scale",
        /// `value` + `unit` (+ `from`/`event`): 自通报之日起15日内.
        Period = "period",
        /// `month`, `day`: 每年11月30日前.
        AnnualDate = "annual-date",
        /// `value` + unit `working-day`.
        WorkingDays = "working-days",
        /// A `category` list.
        Categories = "categories",
        /// A naming `pattern`.
        Naming = "naming",
        /// A non-duplication or exclusion rule (quote + note).
        Exclusion = "exclusion",
        /// A plain qualitative requirement.
        Requirement = "requirement",
        /// A fixed calendar date in the text (`value` = "YYYY-MM-DD").
        Date = "date",
    }
}

vocabulary! {
    /// How binding a rule is.
    Force {
        /// 应, 须, 不得, 不少于.
        Hard = "hard",
        /// 原则上, 一般, 鼓励, 可.
        Soft = "soft",
    }
}

vocabulary! {
    /// What a period is to an applicant.
    PeriodKind {
        /// Someone must act within it (…内提交): Civil Code art. 203 moves a last day that falls
        /// on a rest day to the next working day.
        Deadline = "deadline",
        /// It simply runs out (建设期, 一年半后, 三年内不得): never moved.
        Term = "term",
    }
}

vocabulary! {
    /// Whether the day a yearly date names (每年11月30日前) is still in time.
    NamedDay {
        /// 前, 以前: the day named may already be late, so the last day is the day before.
        Excluded = "excluded",
        /// 截至, 含当日: the day named is the last day.
        Included = "included",
    }
}

vocabulary! {
    /// The unit of a fact's `value`.
    Unit {
        /// 人.
        Person = "person",
        /// 元.
        Yuan = "yuan",
        /// 万元.
        WanYuan = "wan-yuan",
        /// 年.
        Year = "year",
        /// 个月.
        Month = "month",
        /// 日.
        Day = "day",
        /// 个工作日.
        WorkingDay = "working-day",
        /// %.
        Percent = "percent",
        /// 平方米.
        Sqm = "sqm",
        /// 项 (items).
        Item = "item",
        /// 次.
        Times = "times",
        /// 周岁.
        Age = "age",
        /// 条.
        Article = "article",
        /// 项 (projects).
        Project = "project",
        /// A calendar date.
        Date = "date",
        /// 字.
        Character = "character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_values_list_the_allowed_ones() {
        #[derive(Deserialize)]
        struct T {
            level: toml::Spanned<Level>,
        }
        for l in Level::ALL {
            let t: T = toml::from_str(&format!("level = \"{}\"", l.code())).unwrap();
            assert_eq!(*t.level.get_ref(), *l);
        }
        let e = toml::from_str::<T>("\nlevel = \"county\"").err().unwrap();
        assert_eq!(e.span().map(|s| s.start), Some(9));
        assert!(
            e.message()
                .contains("expected one of `national`, `ministerial`, `provincial`, `municipal`"),
            "{}",
            e.message()
        );
        assert!(Level::National < Level::Municipal);
        assert_eq!(DocKind::Notice.code(), "通知");
    }
}
