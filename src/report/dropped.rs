//! Why a line went into no paragraph: one reason per way a line is left out,
//! by the cleaning of lines (`lines`) or by the walk (`structure`). The
//! text is what `parse --lines` prints.

use std::fmt;

/// The reason a line of the text is in no paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    // Cleared by `lines` before the walk.
    RunningHeader,
    Footnote,
    OfstedAddress,
    NoText,
    // Left out by `structure`.
    LetterOpening,
    LetterClosing,
    JudgementRow,
    VerdictSentence,
    FrontMatter,
    Heading,
    GradeLine,
    Separator,
    RecordOfMainFindings,
    Signature,
    NotReportText,
    GradeScale,
    ContentsEntry,
    ContentsHeading,
    Metadata,
    Boilerplate,
    Title,
    AuthorityName,
    EmptyNumber,
}

impl DropReason {
    /// The words `parse --lines` shows.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::RunningHeader => "running header or page number",
            DropReason::Footnote => "footnote",
            DropReason::OfstedAddress => "Ofsted's address",
            DropReason::NoText => "no text: a rule, a table header or markup alone",
            DropReason::LetterOpening => "the letter's address and salutation",
            DropReason::LetterClosing => "the letter's sign-off and what follows it",
            DropReason::JudgementRow => "a row of the judgements table (read as a judgement)",
            DropReason::VerdictSentence => "a verdict sentence (read as a judgement)",
            DropReason::FrontMatter => "front matter (before the report's text begins)",
            DropReason::Heading => "a heading (the section of the paragraphs under it)",
            DropReason::GradeLine => "a grade line (the grade of its section)",
            DropReason::Separator => "a separator line",
            DropReason::RecordOfMainFindings => "the record of main findings (read as judgements)",
            DropReason::Signature => "a signature block",
            DropReason::NotReportText => "not read as report text",
            DropReason::GradeScale => "the grade scale table",
            DropReason::ContentsEntry => "a contents entry",
            DropReason::ContentsHeading => "the contents heading",
            DropReason::Metadata => "metadata (dates, inspectors, contacts)",
            DropReason::Boilerplate => "boilerplate",
            DropReason::Title => "the report's title",
            DropReason::AuthorityName => "the authority's name (title page)",
            DropReason::EmptyNumber => "a paragraph number with no text",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
