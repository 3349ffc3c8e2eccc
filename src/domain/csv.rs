//! CSV (RFC 4180). Writing: fields quoted when they need it, and cells that a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@` first) defused with a leading apostrophe. Reading:
//! quoted fields with doubled quotes and line breaks inside, CRLF or LF, a UTF-8 byte order
//! mark skipped; each record on its own, so one broken row does not lose the others.

/// Appends one row, ending in CRLF.
pub fn write_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = field.as_ref();
        let defused;
        let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(field) {
            defused = format!("'{field}");
            defused.as_str()
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// One record read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// The line the record starts on, counting from 1.
    pub line: usize,
    /// Its cells, or why they cannot be read.
    pub cells: Result<Vec<String>, String>,
}

/// Splits `bytes` into records. Cells that are not UTF-8 spoil their record only; a quote left
/// open swallows the rest of the file into one record, reported as such.
pub fn read(bytes: &[u8]) -> Vec<CsvRecord> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut records = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < bytes.len() {
        let start_line = line;
        let mut cells: Vec<Vec<u8>> = Vec::new();
        let mut cell = Vec::new();
        let mut quoted = false;
        let mut was_quoted = false;
        let mut ended = false;
        while pos < bytes.len() {
            let b = bytes[pos];
            pos += 1;
            if quoted {
                match b {
                    b'"' if bytes.get(pos) == Some(&b'"') => {
                        cell.push(b'"');
                        pos += 1;
                    }
                    b'"' => quoted = false,
                    b'\n' => {
                        line += 1;
                        cell.push(b);
                    }
                    _ => cell.push(b),
                }
                continue;
            }
            match b {
                b'"' if cell.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                b',' => {
                    cells.push(std::mem::take(&mut cell));
                    was_quoted = false;
                }
                b'\r' if bytes.get(pos) == Some(&b'\n') => {}
                b'\n' | b'\r' => {
                    line += 1;
                    ended = true;
                    break;
                }
                _ => cell.push(b),
            }
        }
        cells.push(cell);
        if !ended && quoted {
            records.push(CsvRecord {
                line: start_line,
                cells: Err("a quoted cell is never closed".into()),
            });
            break;
        }
        if cells.len() == 1 && cells[0].is_empty() {
            continue;
        }
        let cells = cells
            .into_iter()
            .map(|c| {
                String::from_utf8(c).map_err(|_| {
                    "the row is not UTF-8 text: save the file as CSV UTF-8".to_string()
                })
            })
            .collect();
        records.push(CsvRecord {
            line: start_line,
            cells,
        });
    }
    records
}

/// A negative amount is data, not a formula.
fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_it_and_defuses_formulas() {
        let mut out = String::new();
        write_row(
            &mut out,
            &[
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "=SUM(A1)",
                "-12.5",
                "@cmd",
                "Müller",
            ],
        );
        assert_eq!(
            out,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1),-12.5,'@cmd,Müller\r\n"
        );
    }

    fn cells(bytes: &[u8]) -> Vec<(usize, Result<Vec<String>, String>)> {
        read(bytes).into_iter().map(|r| (r.line, r.cells)).collect()
    }

    fn ok(cells: &[&str]) -> Result<Vec<String>, String> {
        Ok(cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn reads_quotes_line_breaks_and_both_line_ends() {
        let got = cells(b"\xEF\xBB\xBFa,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,\n");
        assert_eq!(
            got,
            vec![
                (1, ok(&["a", "b"])),
                (2, ok(&["x, \"y\"", "two\nlines"])),
                (5, ok(&["last", ""])),
            ]
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let row = ["plain", "a,b", "say \"hi\"", "two\nlines", "Müller", ""];
        let mut out = String::new();
        write_row(&mut out, &row);
        write_row(&mut out, &row);
        let got = cells(out.as_bytes());
        assert_eq!(got, vec![(1, ok(&row)), (3, ok(&row))]);
    }

    #[test]
    fn a_bad_row_spoils_only_itself() {
        let got = cells(b"ok,1\nM\xFCller,2\nfine,3\n\"open,4\nmore");
        assert_eq!(got[0], (1, ok(&["ok", "1"])));
        assert!(got[1].1.as_ref().expect_err("not UTF-8").contains("UTF-8"));
        assert_eq!(got[2], (3, ok(&["fine", "3"])));
        assert_eq!(got[3].0, 4);
        assert!(
            got[3]
                .1
                .as_ref()
                .expect_err("open quote")
                .contains("never closed")
        );
        assert_eq!(got.len(), 4);
    }
}
