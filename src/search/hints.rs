//! The values shell completions offer for the filter options. The options
//! accept any text (validated by `Filters::from_raw`, which suggests the
//! nearest name); these only tell the completion scripts what to offer.

use crate::report::{ParagraphKind, ReportType};
use crate::vocab::VOCAB;
use clap::builder::{PossibleValue, TypedValueParser};

/// Any UTF-8 text, with values offered for completion.
#[derive(Clone)]
pub struct Hinted(fn() -> Vec<&'static str>);

impl TypedValueParser for Hinted {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

/// Authorities by their canonical names.
pub fn authorities() -> Hinted {
    Hinted(|| VOCAB.authorities.canonical_names().iter().map(String::as_str).collect())
}

/// Grades by number and by name.
pub fn grades() -> Hinted {
    Hinted(|| ["1", "2", "3", "4", "outstanding", "good", "requires-improvement", "adequate", "inadequate"].to_vec())
}

pub fn report_types() -> Hinted {
    Hinted(|| ReportType::ALL.iter().map(|t| t.as_str()).collect())
}

pub fn kinds() -> Hinted {
    Hinted(|| ParagraphKind::ALL.iter().map(|k| k.as_str()).collect())
}
