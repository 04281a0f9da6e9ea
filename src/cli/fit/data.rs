//! Reading a Bass curve: one count per period from a CSV file (optionally
//! one series of a long file, e.g. the classic Bass data set's
//! `series,year,t,adoptions`) or from `values = [...]` in the fit file.
//!
//! The periods must run 1, 2, 3, … without gaps once the series is
//! selected: the Bass fit's time origin is the start of the first period
//! (`F(0) = 0`, period t covers (t − 1, t]), so a missing year would shift
//! every later period. Counts are per period unless `cumulative = true`
//! (then they must never fall; the per-period counts are their differences).

use std::path::Path;

use super::spec::{DataSource, DataSpec};

/// At most this many problems are listed (then a count of the rest).
const MAX_LISTED: usize = 20;

/// New adopters per period (period 1 first), with where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct BassCurve {
    /// New adopters per period.
    pub adopters: Vec<f64>,
    /// The period label of the first row (the step column's value).
    pub first_step: f64,
}

/// Problems of a data file, each `file:line: message`, listed together.
pub fn data_error(file: &Path, problems: Vec<(usize, String)>) -> anyhow::Error {
    let shown = printable_path(file);
    let n = problems.len();
    let mut lines: Vec<String> =
        problems.into_iter().take(MAX_LISTED).map(|(l, m)| format!("{shown}:{l}: {m}")).collect();
    if n > MAX_LISTED {
        lines.push(format!("{shown}: … and {} more problems", n - MAX_LISTED));
    }
    anyhow::anyhow!("{}", lines.join("\n")).context(format!("invalid data {shown}"))
}

fn printable_path(p: &Path) -> String {
    womsim::scenario::printable(&p.display().to_string()).into_owned()
}

/// Read the curve a Bass fit needs.
pub fn read_bass_curve(data: &DataSpec) -> anyhow::Result<BassCurve> {
    match &data.source {
        DataSource::Inline(values) => {
            let adopters = per_period(values, data.cumulative).map_err(|problems| {
                let list: Vec<String> =
                    problems.into_iter().map(|(i, m)| format!("data.values[{}]: {m}", i + 1)).collect();
                anyhow::anyhow!("{}", list.join("\n")).context("invalid data.values")
            })?;
            Ok(BassCurve { adopters, first_step: 1.0 })
        }
        DataSource::File(path) => read_file(path, data),
    }
}

/// Per-period counts from `values` (cumulative or not); problems are
/// `(index, message)`.
fn per_period(values: &[f64], cumulative: bool) -> Result<Vec<f64>, Vec<(usize, String)>> {
    let mut problems = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if !v.is_finite() || *v < 0.0 {
            problems.push((i, format!("a count must be a number >= 0, got {v}")));
        }
    }
    if cumulative {
        for i in 1..values.len() {
            if values[i] < values[i - 1] {
                problems.push((i, format!("cumulative counts must never fall: {} after {}", values[i], values[i - 1])));
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.0);
        return Err(problems);
    }
    if !cumulative {
        return Ok(values.to_vec());
    }
    Ok(values.iter().enumerate().map(|(i, v)| if i == 0 { *v } else { v - values[i - 1] }).collect())
}

fn read_file(path: &Path, data: &DataSpec) -> anyhow::Result<BassCurve> {
    let text = womsim::inputs::read_text_bounded(path, womsim::inputs::MAX_TEXT_BYTES)
        .map_err(|e| anyhow::anyhow!("cannot read the data file {}: {e}", printable_path(path)))?;
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| data_error(path, vec![(1, format!("cannot read the header: {e}"))]))?.clone();
    // The header is the first line that is not a comment.
    let header_line = text.lines().position(|l| !l.trim_start().starts_with('#')).map_or(1, |i| i + 1);
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut problems = Vec::new();
    let names = headers.iter().collect::<Vec<_>>().join(", ");
    let step_col = col(&data.step_column);
    let value_col = col(&data.value_column);
    let series_col = col("series");
    if step_col.is_none() {
        problems.push((
            header_line,
            format!("no column {:?} (data.step_column); the columns are {names}", data.step_column),
        ));
    }
    if value_col.is_none() {
        problems.push((
            header_line,
            format!("no column {:?} (data.value_column); the columns are {names}", data.value_column),
        ));
    }
    if data.series.is_some() && series_col.is_none() {
        problems
            .push((header_line, format!("no column \"series\" to select data.series from; the columns are {names}")));
    }
    if !problems.is_empty() {
        return Err(data_error(path, problems));
    }
    let (step_col, value_col) = (step_col.expect("checked"), value_col.expect("checked"));
    let mut rows: Vec<(usize, f64, f64)> = Vec::new();
    let mut seen_series = Vec::<String>::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push((line, format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if let (Some(want), Some(sc)) = (&data.series, series_col) {
            let s = rec.get(sc).unwrap_or("");
            if !seen_series.iter().any(|x| x == s) && seen_series.len() < 50 {
                seen_series.push(s.to_string());
            }
            if s != want {
                continue;
            }
        }
        let step = rec.get(step_col).unwrap_or("").parse::<f64>();
        let value = rec.get(value_col).unwrap_or("").parse::<f64>();
        match (step, value) {
            (Ok(s), Ok(v)) if s.is_finite() && s.fract() == 0.0 && v.is_finite() && v >= 0.0 => rows.push((line, s, v)),
            (Ok(s), _) if !s.is_finite() || s.fract() != 0.0 => {
                problems.push((line, format!("{} must be a whole period number, got {s}", data.step_column)))
            }
            (Err(_), _) => problems.push((
                line,
                format!(
                    "{} must be a whole period number, got {:?}",
                    data.step_column,
                    rec.get(step_col).unwrap_or("")
                ),
            )),
            (_, Ok(v)) => problems.push((line, format!("{} must be a count >= 0, got {v}", data.value_column))),
            (_, Err(_)) => problems.push((
                line,
                format!("{} must be a count >= 0, got {:?}", data.value_column, rec.get(value_col).unwrap_or("")),
            )),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        let msg = match &data.series {
            Some(s) => format!("no rows of series {s:?}; the series are {}", seen_series.join(", ")),
            None => "no data rows".to_string(),
        };
        problems.push((header_line, msg));
    }
    for w in rows.windows(2) {
        if w[1].1 != w[0].1 + 1.0 {
            problems.push((
                w[1].0,
                format!(
                    "{} must go up by 1 from row to row (periods without gaps), got {} after {}",
                    data.step_column, w[1].1, w[0].1
                ),
            ));
        }
    }
    let values: Vec<f64> = rows.iter().map(|r| r.2).collect();
    if let Err(ps) = per_period(&values, data.cumulative) {
        problems.extend(ps.into_iter().map(|(i, m)| (rows[i].0, m)));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.0);
        return Err(data_error(path, problems));
    }
    let adopters = per_period(&values, data.cumulative).expect("checked");
    Ok(BassCurve { adopters, first_step: rows[0].1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cumulative_counts_become_per_period_and_must_not_fall() {
        assert_eq!(per_period(&[1.0, 3.0, 6.0], true).unwrap(), vec![1.0, 2.0, 3.0]);
        assert_eq!(per_period(&[1.0, 3.0, 6.0], false).unwrap(), vec![1.0, 3.0, 6.0]);
        let e = per_period(&[1.0, 3.0, 2.0, -1.0], true).unwrap_err();
        assert_eq!(e.iter().map(|p| p.0).collect::<Vec<_>>(), vec![2, 3, 3]);
    }
}
