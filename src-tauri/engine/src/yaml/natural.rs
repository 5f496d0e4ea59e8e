//! Natural order for names people read: port `E1/2` before `E1/10`, `leaf-9` before `leaf-10`.
//!
//! Wherever hhsync itself chooses an order (keys the author gave no order for, lists it sorts),
//! plain text order would put `E1/17` between `E1/1` and `E1/2`, which no engineer reads as
//! sorted. Comparing runs of digits by their number fixes that and is still a total order, so
//! the same input always sorts to the same output.

use std::cmp::Ordering;

/// Compares `a` and `b` with runs of ASCII digits taken as numbers (of any length) and the text
/// between them char by char. Numbers that tie (`1` and `01`) are ordered by their leading
/// zeros, fewer first, and only strings that are equal compare equal.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    let mut zeros = Ordering::Equal;
    loop {
        match (x.first(), y.first()) {
            (None, None) => return zeros,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let (m, rest_x) = digits(x);
                let (n, rest_y) = digits(y);
                let (m_trim, n_trim) = (m.trim_ascii_start_zeros(), n.trim_ascii_start_zeros());
                // A longer run of significant digits is a larger number; equal lengths compare
                // digit by digit.
                let by_value = m_trim.len().cmp(&n_trim.len()).then_with(|| m_trim.cmp(n_trim));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                if zeros == Ordering::Equal {
                    zeros = m.len().cmp(&n.len());
                }
                (x, y) = (rest_x, rest_y);
            }
            _ => {
                // Outside digit runs: compare one char (as its UTF-8 bytes, which orders like
                // the char itself) and move on.
                let (c, d) = (char_len(x), char_len(y));
                match x[..c].cmp(&y[..d]) {
                    Ordering::Equal => (x, y) = (&x[c..], &y[d..]),
                    other => return other,
                }
            }
        }
    }
}

fn digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    s.split_at(n)
}

/// The byte length of the UTF-8 char that `s` starts with.
fn char_len(s: &[u8]) -> usize {
    match s[0] {
        b if b < 0x80 => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => 2,
    }
    .min(s.len())
}

trait TrimZeros {
    fn trim_ascii_start_zeros(&self) -> &Self;
}

impl TrimZeros for [u8] {
    fn trim_ascii_start_zeros(&self) -> &[u8] {
        let n = self.iter().take_while(|&&b| b == b'0').count();
        &self[n..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn port_names_sort_by_their_numbers() {
        assert_eq!(
            sorted(&["E1/18", "E1/2", "E1/1", "E1/10", "E1/17", "E1/1/2", "E1/1/10", "E1/1/1", "E2/1"]),
            ["E1/1", "E1/1/1", "E1/1/2", "E1/1/10", "E1/2", "E1/10", "E1/17", "E1/18", "E2/1"]
        );
        assert_eq!(sorted(&["leaf-10", "leaf-9", "leaf-01", "spine-1"]), ["leaf-01", "leaf-9", "leaf-10", "spine-1"]);
        assert_eq!(natural_cmp("E1/2", "E1/10"), Ordering::Less);
    }

    #[test]
    fn text_compares_as_text_and_long_numbers_do_not_overflow() {
        assert_eq!(sorted(&["b", "a10", "a", "a2", "B"]), ["B", "a", "a2", "a10", "b"]);
        let big = "x123456789012345678901234567890";
        assert_eq!(natural_cmp(big, "x99999999999999999999"), Ordering::Greater);
        assert_eq!(sorted(&["é2", "é10", "e3"]), ["e3", "é2", "é10"]);
    }

    #[test]
    fn is_a_total_order_consistent_with_equality() {
        let items = ["1", "01", "001", "a1b", "a01b", "a1c", "", "a", "a0", "10", "9", "x-1", "x-01"];
        for a in items {
            assert_eq!(natural_cmp(a, a), Ordering::Equal);
            for b in items {
                assert_eq!(natural_cmp(a, b), natural_cmp(b, a).reverse(), "{a:?} {b:?}");
                assert_eq!(natural_cmp(a, b) == Ordering::Equal, a == b, "{a:?} {b:?}");
                for c in items {
                    if natural_cmp(a, b).is_le() && natural_cmp(b, c).is_le() {
                        assert!(natural_cmp(a, c).is_le(), "{a:?} <= {b:?} <= {c:?}");
                    }
                }
            }
        }
        assert_eq!(sorted(&["01", "1", "001"]), ["1", "01", "001"]);
    }
}
