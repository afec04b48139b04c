//! Canonical judgement keys: the same key for the same judgement whatever
//! the framework's wording (`in_care` for "children looked after and
//! achieving permanence" in 2015 and "children in care" in 2023).

use super::{Judgement, Paragraph};
use crate::vocab::VOCAB;

/// Paragraphs in the section of a judgement the body left ungraded (the
/// grade stands only in the report's judgement table) take that
/// judgement's key and grade: the deepest judgement whose section path
/// starts the paragraph's.
pub fn grade_from_judgements(paragraphs: &mut [Paragraph], judgements: &[Judgement]) {
    for p in paragraphs.iter_mut().filter(|p| p.grade.is_none()) {
        let Some(j) = judgements.iter().filter(|j| p.section.starts_with(&j.section)).max_by_key(|j| j.section.len())
        else {
            continue;
        };
        p.judgement = Some(j.key.clone());
        p.grade = Some(j.grade);
        p.grade_label = Some(j.grade_label.clone());
    }
}

/// The canonical key of a graded judgement named `name` in a report of
/// `family`: the key `index_schema/sections.tsv` gives the heading, else one
/// read from the words of the name (reports word their headings in ways no
/// list has all of). `prefix` is the key prefix of the part the judgement
/// sits in (`lac_` for the SLAC's looked-after-children half).
pub fn judgement_key(name: &str, family: &str, prefix: &str) -> String {
    let key = VOCAB.section_in(name, family).and_then(|s| s.key).map(str::to_string).or_else(|| key_from_words(name));
    let key = key.unwrap_or_else(|| fallback(name));
    if prefix.is_empty() || key.starts_with(prefix) { key } else { format!("{prefix}{key}") }
}

/// A key from the words that name the judgement in every framework, if
/// they name one.
pub fn key_from_words(name: &str) -> Option<String> {
    let l = name.to_lowercase().replace('’', "'");
    let has = |w: &str| l.contains(w);
    let key = if has("safeguarding children board") || has("local safeguarding children") || has("lscb") {
        "lscb"
    } else if has("overall effectiveness") || has("overall judgement") {
        "overall"
    } else if has("help and protection") {
        "help_and_protection"
    } else if has("adoption") {
        "adoption"
    } else if has("care leavers") && !has("children in care and") && !has("children looked after and") {
        "care_leavers"
    } else if has("children in care") || has("looked after") || has("children looked") || has("permanence") {
        // "children looked" and "permanence" alone: plain `pdftotext` can
        // scatter a justified table cell's words ("2. Children looked" /
        // "permanence" / … / "after" / "and" / "achieving").
        "in_care"
    } else if has("leaders") || has("leadership") {
        "leaders"
    } else if has("capacity") {
        "capacity"
    } else if has("quality of provision") {
        "provision"
    } else {
        return None;
    };
    Some(key.to_string())
}

/// The name itself as a key: lower-case words joined by underscores.
fn fallback(name: &str) -> String {
    let words: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "the" | "of" | "and" | "for" | "to" | "a"))
        .take(5)
        .map(str::to_string)
        .collect();
    if words.is_empty() { "judgement".to_string() } else { words.join("_") }
}

#[cfg(test)]
mod tests {
    use super::judgement_key;

    #[test]
    fn one_key_across_frameworks() {
        let k = |name: &str, family: &str| judgement_key(name, family, "");
        assert_eq!(
            k("The experiences and progress of children looked after and achieving permanence", "sif"),
            "in_care"
        );
        assert_eq!(k("The experiences and progress of children in care", "ilacs"), "in_care");
        assert_eq!(k("The experiences and progress of children in care and care leavers", "ilacs"), "in_care");
        assert_eq!(k("The experiences and progress of care leavers", "ilacs"), "care_leavers");
        assert_eq!(k("The graded judgement about the experience and progress of care leavers", "sif"), "care_leavers");
        assert_eq!(k("The impact of leaders on social work practice with children and families", "ilacs"), "leaders");
        assert_eq!(k("Leadership, management and governance", "sif"), "leaders");
        assert_eq!(k("The effectiveness of the Local Safeguarding Children Board", "sif"), "lscb");
        assert_eq!(k("Overall effectiveness", "ilacs"), "overall");
        assert_eq!(k("Children looked permanence", "sif"), "in_care");
        // A wording no list has.
        assert_eq!(k("How well children who need help and protection are supported", "ilacs"), "help_and_protection");
        assert_eq!(k("Staying safe", "slac"), "safe");
        assert_eq!(judgement_key("Staying safe", "slac", "lac_"), "lac_safe");
        assert_eq!(judgement_key("Overall effectiveness", "slac", "lac_"), "lac_overall");
    }
}
