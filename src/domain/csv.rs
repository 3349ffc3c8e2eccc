//! Writing CSV (RFC 4180): fields quoted when they need it, and cells that a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@` first) defused with a leading apostrophe.

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
}
