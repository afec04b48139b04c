//! Grades: "Grade 3 (adequate)", "Grade (good)", "Requires improvement to be good".

use regex::Regex;
use std::sync::LazyLock;

/// A grade as the report states it: the number on the 1–4 scale and the
/// label as printed, in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub number: u8,
    pub label: String,
}

impl Grade {
    /// A grade from its label alone ("Good", "Requires improvement to be good").
    pub fn from_label(label: &str) -> Option<Grade> {
        let label = normalise_label(label);
        let number = label_number(&label)?;
        Some(Grade { number, label })
    }

    /// The canonical label for a number on the 2013+ scale, for people.
    pub fn canonical_label(number: u8) -> &'static str {
        match number {
            1 => "outstanding",
            2 => "good",
            3 => "requires improvement",
            4 => "inadequate",
            _ => "ungraded",
        }
    }
}

/// Lower case, single spaces, no trailing punctuation; "requires improvement
/// to\nbe good" becomes "requires improvement to be good".
pub fn normalise_label(label: &str) -> String {
    let words: Vec<String> = label
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let label = words.join(" ");
    // "Services … require improvement": the label is the grade's own.
    match label.strip_prefix("require improvement") {
        Some(rest) => format!("requires improvement{rest}"),
        None => label,
    }
}

/// The number a label stands for, on either scale.
pub fn label_number(label: &str) -> Option<u8> {
    match label {
        "outstanding" => Some(1),
        "good" => Some(2),
        "adequate" | "satisfactory" => Some(3),
        "requires improvement"
        | "requires improvement to be good"
        | "require improvement"
        | "requires improvement to become good"
        | "require improvement to be good" => Some(3),
        "inadequate" => Some(4),
        _ => None,
    }
}

static GRADE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Grade|GRADE)\s*(\d)?\s*[:\-–]?\s*\(\s*([A-Za-z][A-Za-z ]*?)\s*\)\s*\.?$").unwrap()
});
static GRADE_NUMBER_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:Grade|GRADE)\s*:?\s*([1-4])\s*$").unwrap());
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?[A-Za-z?)])[\s:\-–]*(?:Grade|GRADE)\s*(\d)?\s*[:\-–]?\s*\(\s*([A-Za-z][A-Za-z ]*?)\s*\)\s*\.?$")
        .unwrap()
});

static JUDGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(.{8,220}?)\s*(?::|\s(?:is|are)(?:\s+judged(?:\s+to\s+be)?)?:?|\s(?:requires|require)\b)\s*(outstanding|good|inadequate|requires? improvement(?: to be good)?|improvement(?: to be good)?)\s*\.?$",
    )
    .unwrap()
});

static GRADED_JUDGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^the graded judge?ment (?:for|about|on) (.{4,120}?) is(?: that it is)?:?\s+(outstanding|good|inadequate|requires improvement(?: to be good)?)\s*\.?$").unwrap()
});

/// A judgement stated with its heading: "The experiences and progress of
/// children in care: good", "… protection is: Good", "… care leavers are
/// inadequate", "The effectiveness of the LSCB requires improvement".
/// Returns the heading and the grade; the caller decides whether the heading
/// is one it knows.
pub fn judgement_heading(text: &str) -> Option<(String, Grade)> {
    // Both forms end with a grade word; most lines do not.
    let end = text.trim_end().trim_end_matches('.').trim_end().to_ascii_lowercase();
    if !["outstanding", "good", "inadequate", "improvement"].iter().any(|w| end.ends_with(w)) {
        return None;
    }
    if let Some(c) = GRADED_JUDGEMENT.captures(text.trim()) {
        let mut title = c[1].trim().to_string();
        if let Some(first) = title.get(0..1) {
            title = first.to_uppercase() + &title[1..];
        }
        let label = normalise_label(&c[2]);
        return label_number(&label).map(|number| (title, Grade { number, label }));
    }
    let c = JUDGEMENT.captures(text.trim())?;
    let title = c[1].trim().trim_end_matches([':', ',']).trim().to_string();
    let mut label = normalise_label(&c[2]);
    if label.starts_with("improvement") {
        label = format!("requires {label}");
    }
    let number = label_number(&label)?;
    Some((title, Grade { number, label }))
}

/// A line that is only a grade: "Grade 3 (adequate)", "Grade (good)", "Grade 2".
pub fn grade_line(line: &str) -> Option<Grade> {
    let line = line.trim();
    if !(line.starts_with("Grade") || line.starts_with("GRADE")) {
        return None;
    }
    if let Some(c) = GRADE_LINE.captures(line) {
        return grade_from_parts(c.get(1).map(|m| m.as_str()), &c[2]);
    }
    if let Some(c) = GRADE_NUMBER_ONLY.captures(line) {
        let number: u8 = c[1].parse().ok()?;
        return Some(Grade { number, label: Grade::canonical_label(number).to_string() });
    }
    None
}

/// A heading with its grade on the same line: "Staying safe Grade 3
/// (adequate)", "Overall Effectiveness: Grade 3 (Adequate)". Returns the
/// heading text and the grade.
pub fn glued(line: &str) -> Option<(String, Grade)> {
    if !line.trim_end().trim_end_matches('.').trim_end().ends_with(')')
        || !(line.contains("Grade") || line.contains("GRADE"))
    {
        return None;
    }
    let c = GLUED.captures(line.trim())?;
    let title = c[1].trim().trim_end_matches([':', '-', '–']).trim().to_string();
    if title.is_empty() {
        return None;
    }
    let grade = grade_from_parts(c.get(2).map(|m| m.as_str()), &c[3])?;
    Some((title, grade))
}

fn grade_from_parts(number: Option<&str>, label: &str) -> Option<Grade> {
    let label = normalise_label(label);
    let from_label = label_number(&label);
    let number = match number.and_then(|n| n.parse::<u8>().ok()) {
        Some(n) if (1..=4).contains(&n) => n,
        Some(_) => return None,
        None => from_label?,
    };
    Some(Grade { number, label })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_lines() {
        assert_eq!(grade_line("Grade 3 (adequate)"), Some(Grade { number: 3, label: "adequate".into() }));
        assert_eq!(grade_line("Grade 2 (Good)").unwrap().label, "good");
        assert_eq!(grade_line("Grade (good)").unwrap().number, 2);
        assert_eq!(grade_line("Grade 1 (Outstanding)").unwrap().number, 1);
        assert_eq!(grade_line("Grade 4"), Some(Grade { number: 4, label: "inadequate".into() }));
        assert_eq!(grade_line("Outstanding (Grade 1)"), None);
        assert_eq!(grade_line("Grade (unknown)"), None);
    }

    #[test]
    fn glued_headings() {
        let (t, g) = glued("Staying safeGrade 3 (adequate)").unwrap();
        assert_eq!((t.as_str(), g.number), ("Staying safe", 3));
        let (t, g) = glued("Overall Effectiveness: Grade 3 (Adequate)").unwrap();
        assert_eq!((t.as_str(), g.number, g.label.as_str()), ("Overall Effectiveness", 3, "adequate"));
        let (t, _) =
            glued("The contribution of health agencies to keeping children and young people safe Grade 3 (adequate)")
                .unwrap();
        assert!(t.ends_with("people safe"));
        assert_eq!(glued("Grade 3 (adequate)"), None);
    }

    #[test]
    fn judgement_headings() {
        let (t, g) = judgement_heading(
            "The experiences and progress of children who need help and protection: requires improvement to be good",
        )
        .unwrap();
        assert_eq!(
            (t.as_str(), g.number, g.label.as_str()),
            (
                "The experiences and progress of children who need help and protection",
                3,
                "requires improvement to be good"
            )
        );
        let (t, g) =
            judgement_heading("The experiences and progress of children who need help and protection is: Good")
                .unwrap();
        assert_eq!(
            (t.as_str(), g.number),
            ("The experiences and progress of children who need help and protection", 2)
        );
        let (t, g) =
            judgement_heading("The experiences and progress of children in care and care leavers are: inadequate")
                .unwrap();
        assert_eq!((t.as_str(), g.number), ("The experiences and progress of children in care and care leavers", 4));
        let (t, g) =
            judgement_heading("The effectiveness of the Local Safeguarding Children Board (LSCB) requires improvement")
                .unwrap();
        assert_eq!(
            (t.as_str(), g.label.as_str()),
            ("The effectiveness of the Local Safeguarding Children Board (LSCB)", "requires improvement")
        );
        assert_eq!(judgement_heading("Children are seen alone."), None);
        let (t, g) =
            judgement_heading("The graded judgement for adoption performance is that it is Inadequate").unwrap();
        assert_eq!((t.as_str(), g.number), ("Adoption performance", 4));
    }

    #[test]
    fn labels_across_eras() {
        assert_eq!(Grade::from_label("Requires improvement to\nbe good").unwrap().number, 3);
        assert_eq!(
            Grade::from_label("Requires improvement to be good").unwrap().label,
            "requires improvement to be good"
        );
        assert_eq!(Grade::from_label("Adequate").unwrap().number, 3);
        assert_eq!(Grade::from_label("Inadequate").unwrap().number, 4);
        assert_eq!(Grade::from_label("Excellent"), None);
    }
}
