//! Percent-encoding of URL paths, with the `percent-encoding` crate.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What stays as written in a URL path: unreserved characters, `/` and the
/// sub-delimiters a path may hold (RFC 3986 `pchar`); everything else (spaces,
/// quotes, `%`, `#`, `?`, non-ASCII) is encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// What stays as written in a query value: unreserved characters only.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes everything but unreserved characters (for a query value).
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Percent-encodes what may not stand in a URL path (spaces, quotes, non-ASCII …).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Decodes `%XX` escapes; invalid escapes are kept as written, and a result
/// that is not UTF-8 gives the path back unchanged.
pub fn decode_path(path: &str) -> String {
    match percent_decode_str(path).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => path.to_string(),
    }
}

/// Decodes a request path strictly: `None` for an invalid escape or a result
/// that is not UTF-8 (a server must not guess what such a path names).
pub fn decode_strict(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let valid_escapes = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !valid_escapes {
        return None;
    }
    percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode() {
        assert_eq!(encode_path("a b/é.png"), "a%20b/%C3%A9.png");
        assert_eq!(encode_path("q?#%\"<>"), "q%3F%23%25%22%3C%3E");
        assert_eq!(
            encode_path("a-b_c.d~e/(1)+x=y:z@w"),
            "a-b_c.d~e/(1)+x=y:z@w"
        );
        assert_eq!(decode_path("a%20b/%C3%A9.png"), "a b/é.png");
        assert_eq!(decode_path("100%"), "100%");
        assert_eq!(decode_path("%zz"), "%zz");
        assert_eq!(decode_path("%FF"), "%FF");
    }

    #[test]
    fn strict_decoding_refuses_what_names_no_file() {
        assert_eq!(decode_strict("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(decode_strict("/a%2"), None);
        assert_eq!(decode_strict("/a%zz"), None);
        assert_eq!(decode_strict("/%FF"), None);
    }
}
