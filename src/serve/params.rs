//! A request's parameters: the query string read as the command line's
//! options. Filters go through clap with `RawFilters` itself, so a
//! parameter's name is its option's name (`authority`, `type`,
//! `neighbours-of`) and its value is checked by the same code.

use super::ApiError;
use crate::search::{Filters, RawFilters};
use clap::{Args, FromArgMatches};

/// The longest query accepted, in characters.
pub const MAX_QUERY: usize = 1_000;
/// The most hits one request returns.
pub const MAX_LIMIT: usize = 100;
/// The furthest a page may start.
pub const MAX_OFFSET: usize = 10_000;
/// The most queries `/api/trend` draws side by side.
pub const MAX_QUERIES: usize = 8;
/// The most parameters one request carries (every page's links repeat
/// them all, so more would only make pages heavy).
pub const MAX_PARAMS: usize = 64;

/// The query string's pairs, in order (a key may repeat).
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub pairs: Vec<(String, String)>,
}

/// Parameters every page and API call takes besides its own.
const COMMON: [&str; 1] = ["token"];

fn filter_command() -> clap::Command {
    RawFilters::augment_args(clap::Command::new("filters").no_binary_name(true))
}

/// The filters' parameter names: the long names of the command line's options.
pub fn filter_names() -> Vec<String> {
    filter_command().get_arguments().filter_map(|a| a.get_long()).map(str::to_string).collect()
}

/// A flag's value: yes or no, and nothing else.
fn truthy(key: &str, v: &str) -> Result<bool, ApiError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(ApiError::bad(format!("{key}={v}: give 1 or 0 (true or false)"))),
    }
}

impl Params {
    /// The pairs of a raw query string; empty values (a form's unset
    /// field) are left out.
    pub fn parse(raw: Option<&str>) -> Params {
        let pairs = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params { pairs }
    }

    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The one value of `key`: a second one is an error.
    pub fn one<'a>(&'a self, key: &str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(format!("'{key}' was given more than once; give it once")));
        }
        Ok(first)
    }

    /// A flag (`boilerplate`, `latest`): present and not "0"/"false".
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        self.one(key)?.map_or(Ok(false), |v| truthy(key, v))
    }

    /// Refuse a parameter that is neither a filter nor one of `own`.
    pub fn check_known(&self, own: &[&str]) -> Result<(), ApiError> {
        if self.pairs.len() > MAX_PARAMS {
            return Err(ApiError::bad(format!(
                "{} parameters: give at most {MAX_PARAMS} (a filter repeated is one value each)",
                self.pairs.len()
            )));
        }
        let filters = filter_names();
        for (k, _) in &self.pairs {
            if !own.contains(&k.as_str()) && !COMMON.contains(&k.as_str()) && !filters.contains(k) {
                let mut known: Vec<String> = own.iter().map(|s| s.to_string()).collect();
                known.extend(filters.iter().cloned());
                return Err(ApiError::bad(format!("unknown parameter '{k}'; use {}", known.join(", "))));
            }
        }
        Ok(())
    }

    /// `q`, trimmed, at most [`MAX_QUERY`] characters; `None` when absent.
    pub fn query(&self) -> Result<Option<String>, ApiError> {
        let Some(q) = self.one("q")? else { return Ok(None) };
        check_query(q)?;
        Ok(Some(q.trim().to_string()))
    }

    /// A number in `lo..=hi`, `default` when absent.
    pub fn number(&self, key: &str, default: usize, lo: usize, hi: usize) -> Result<usize, ApiError> {
        let Some(v) = self.one(key)? else { return Ok(default) };
        match v.trim().parse::<usize>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(ApiError::bad(format!("{key}={v}: give a whole number from {lo} to {hi}"))),
        }
    }

    pub fn limit(&self) -> Result<usize, ApiError> {
        self.number("limit", 10, 1, MAX_LIMIT)
    }

    pub fn offset(&self) -> Result<usize, ApiError> {
        self.number("offset", 0, 0, MAX_OFFSET)
    }

    /// A value of a command-line enum (`sort`, `by`, `per`), by its name.
    pub fn choice<T: clap::ValueEnum + Clone>(&self, key: &str) -> Result<Option<T>, ApiError> {
        self.one(key)?.map(|v| parse_choice(key, v)).transpose()
    }

    /// The filters as the command line would read them, validated; an
    /// error names the parameter that is wrong (`grade=9: unknown grade …`).
    pub fn filters(&self) -> Result<Filters, ApiError> {
        let raw = raw_filters(&self.pairs)?;
        Filters::from_raw(&raw).map_err(|e| {
            let culprit = self
                .pairs
                .iter()
                .find(|p| raw_filters(std::slice::from_ref(*p)).is_ok_and(|r| Filters::from_raw(&r).is_err()));
            match culprit {
                Some((k, v)) => ApiError::bad(format!("{k}={v}: {e}")),
                None => ApiError::bad(e.to_string()),
            }
        })
    }
}

pub fn check_query(q: &str) -> Result<(), ApiError> {
    let n = q.chars().count();
    if n > MAX_QUERY {
        return Err(ApiError::bad(format!("q is {n} characters long; the most is {MAX_QUERY}")));
    }
    Ok(())
}

pub fn parse_choice<T: clap::ValueEnum + Clone>(key: &str, v: &str) -> Result<T, ApiError> {
    T::from_str(v, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|x| x.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        ApiError::bad(format!("{key}={v}: use one of {}", names.join(", ")))
    })
}

/// The filter pairs among `pairs` parsed by the command line's own parser.
fn raw_filters(pairs: &[(String, String)]) -> Result<RawFilters, ApiError> {
    let cmd = filter_command();
    let mut argv: Vec<String> = Vec::new();
    for (k, v) in pairs {
        let Some(arg) = cmd.get_arguments().find(|a| a.get_long() == Some(k.as_str())) else { continue };
        let repeatable = matches!(arg.get_action(), clap::ArgAction::Append);
        if !repeatable && pairs.iter().filter(|(other, _)| other == k).count() > 1 {
            return Err(ApiError::bad(format!("'{k}' was given more than once; give it once")));
        }
        if matches!(arg.get_action(), clap::ArgAction::SetTrue) {
            if truthy(k, v)? {
                argv.push(format!("--{k}"));
            }
        } else {
            argv.push(format!("--{k}={v}"));
        }
    }
    let matches = cmd.try_get_matches_from(argv).map_err(|e| {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
        ApiError::bad(first.replace("'--", "'").replace(" <", " ").replace(">'", "'"))
    })?;
    RawFilters::from_arg_matches(&matches).map_err(|e| ApiError::bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_the_command_lines_options() {
        let p = Params::parse(Some("q=x&authority=Wakefield&type=slac&neighbours-of=Leeds&boilerplate=1&since=2011"));
        let f = p.filters().unwrap();
        assert_eq!(f.authorities, ["Wakefield"]);
        assert_eq!(f.since, Some(20110101));
        assert!(f.kinds.is_empty() || f.kinds.len() > 1);
        assert!(filter_names().iter().any(|n| n == "neighbours-of"));
        let e = Params::parse(Some("grade=9")).filters().unwrap_err();
        assert!(e.message.starts_with("grade=9: unknown grade '9'"), "{}", e.message);
        let e = Params::parse(Some("since=2011&since=2012")).filters().unwrap_err();
        assert!(e.message.contains("since"), "{}", e.message);
        let e = Params::parse(Some("colour=red")).check_known(&["q"]).unwrap_err();
        assert!(e.message.starts_with("unknown parameter 'colour'"), "{}", e.message);
    }
}
