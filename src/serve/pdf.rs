//! `/pdf/REPORT_ID`: a report's source PDF, found by the report's id in the
//! index, never by a path from the request. The file is served only while
//! its bytes are the ones indexed (the content hash the index recorded):
//! a source moved, edited or replaced (a symlink pointed elsewhere) since
//! indexing gives 404 and asks for a re-index, so nothing but the indexed
//! documents can be read through the server.

use super::ApiError;
use super::Call;
use super::params::Params;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub fn serve(s: &Call, p: &Params, id: &str) -> Result<Response, ApiError> {
    p.check_known(&[])?;
    let gone = || ApiError::not_found(format!("no report '{id}' in the index"));
    if id.contains('#') {
        return Err(ApiError::bad(format!("'{id}' is a paragraph id; the PDF is /pdf/REPORT_ID#page=N")));
    }
    let report = s.report(id)?.ok_or_else(gone)?;
    let hash = s.source_hash(id)?.ok_or_else(gone)?;
    let changed = || {
        ApiError::not_found(format!(
            "the source of '{id}' is not the file that was indexed (moved, changed or a bundled sample); run `insp index` again"
        ))
    };
    let bytes = std::fs::read(&report.source).map_err(|_| changed())?;
    if format!("{:016x}", crate::hash::fnv64(&bytes)) != hash {
        return Err(changed());
    }
    if !bytes.starts_with(b"%PDF") {
        return Err(ApiError::not_found(format!("the source of '{id}' is text, not a PDF; /show/{id} shows it")));
    }
    let disposition =
        format!("inline; filename=\"{}.pdf\"", id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
