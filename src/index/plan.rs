//! What an update will do, decided without touching the index: which
//! reports to remove, which a new report replaces, and the id each new
//! report gets. Pure: `update` applies it.

use std::collections::{HashMap, HashSet};

/// A report already in the index, by its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub report_id: String,
    pub hash: String,
}

/// The plan of one update.
#[derive(Debug)]
pub struct Plan {
    existing: HashMap<String, Existing>,
    /// Report ids that new reports may not take.
    taken: HashSet<String>,
    /// Reports whose source is gone from an indexed folder.
    pub remove: Vec<String>,
}

impl Plan {
    /// `existing`: the index's reports by source; `sources`: every input of
    /// this run; `roots`: the folders the inputs were found under. A report
    /// under a root whose source is no longer an input is removed.
    pub fn new(existing: HashMap<String, Existing>, sources: &HashSet<String>, roots: &[String]) -> Plan {
        let taken = existing
            .iter()
            .filter(|(src, _)| sources.contains(*src) || !under_roots(src, roots))
            .map(|(_, e)| e.report_id.clone())
            .collect();
        let mut remove: Vec<String> = existing
            .iter()
            .filter(|(src, _)| !sources.contains(*src) && under_roots(src, roots))
            .map(|(_, e)| e.report_id.clone())
            .collect();
        remove.sort();
        Plan { existing, taken, remove }
    }

    /// The report this source's new report replaces, whose id it frees.
    pub fn replace(&mut self, source: &str) -> Option<String> {
        let old = self.existing.get(source)?.report_id.clone();
        self.taken.remove(&old);
        Some(old)
    }

    /// A report id not yet taken: `id`, else `id-2`, `id-3`…, now taken.
    pub fn claim_id(&mut self, id: &str) -> String {
        let mut candidate = id.to_string();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

fn under_roots(source: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| source == r || source.starts_with(&format!("{}/", r.trim_end_matches('/'))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing(rows: &[(&str, &str, &str)]) -> HashMap<String, Existing> {
        rows.iter()
            .map(|(src, id, hash)| (src.to_string(), Existing { report_id: id.to_string(), hash: hash.to_string() }))
            .collect()
    }

    #[test]
    fn removes_what_left_a_root_and_keeps_the_rest() {
        let ex = existing(&[("/in/a.txt", "a", "1"), ("/in/b.txt", "b", "2"), ("/elsewhere/c.txt", "c", "3")]);
        let sources: HashSet<String> = ["/in/a.txt".to_string()].into();
        let mut plan = Plan::new(ex, &sources, &["/in".to_string()]);
        assert_eq!(plan.remove, ["b"]);
        // "a" and "c" are still taken; "b" was freed by its removal.
        assert_eq!(plan.claim_id("a"), "a-2");
        assert_eq!(plan.claim_id("c"), "c-2");
        assert_eq!(plan.claim_id("b"), "b");
        assert_eq!(plan.claim_id("b"), "b-2");
    }

    #[test]
    fn a_changed_report_keeps_its_id() {
        let ex = existing(&[("/in/a.txt", "a", "1")]);
        let sources: HashSet<String> = ["/in/a.txt".to_string()].into();
        let mut plan = Plan::new(ex, &sources, &["/in/".to_string()]);
        assert_eq!(plan.replace("/in/a.txt").as_deref(), Some("a"));
        assert_eq!(plan.claim_id("a"), "a");
        assert_eq!(plan.replace("/in/new.txt"), None);
        assert!(plan.remove.is_empty());
    }
}
