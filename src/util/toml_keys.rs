//! Unknown keys of a TOML file, found from the serde types themselves.
//!
//! In: the file's text and the type to read it into. Out: the value and every
//! key the type has no field for, with its place in the file and the fields
//! the surrounding table does have. `serde_ignored` names each skipped key,
//! the TOML parser's spans place it, and a probe deserialiser asks the type
//! for its field names, so no list of keys is kept by hand.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a path into the document: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A key that no field of the type reads.
#[derive(Debug)]
pub struct UnknownKey {
    /// The tables and arrays that lead to the key, without the key itself.
    pub table: Vec<Segment>,
    pub key: String,
    /// Byte range of the key in the text; `None` when the parser kept no place.
    pub span: Option<Range<usize>>,
    /// The field names of the table the key is in.
    pub known: &'static [&'static str],
}

impl UnknownKey {
    /// The table as written in a TOML header (`[azure.routes]`); empty at the top level.
    pub fn table_name(&self) -> String {
        let keys: Vec<&str> = self
            .table
            .iter()
            .filter_map(|s| match s {
                Segment::Key(k) => Some(k.as_str()),
                Segment::Index(_) => None,
            })
            .collect();
        keys.join(".")
    }
}

/// Reads `doc` into `T`, collecting the keys `T` has no field for.
///
/// On a type error, the error comes with the unknown keys found before it.
pub fn read<T: DeserializeOwned>(
    parsed: &Spanned<DeTable<'_>>,
) -> (Result<T, toml::de::Error>, Vec<UnknownKey>) {
    let mut paths = Vec::new();
    let deserializer = toml::Deserializer::from(parsed.clone());
    let value = serde_ignored::deserialize(deserializer, |path| paths.push(segments(&path)));
    let doc = parsed.get_ref();
    let unknown = paths
        .into_iter()
        .filter_map(|mut table| {
            let Some(Segment::Key(key)) = table.pop() else {
                return None;
            };
            let span = key_span(doc, &table, &key);
            let known = fields_at::<T>(&table);
            Some(UnknownKey {
                table,
                key,
                span,
                known,
            })
        })
        .collect();
    (value, unknown)
}

/// `serde_ignored`'s path as owned segments; `Option` and newtype steps are not places in the file.
fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. }
        | Path::Map { parent, .. }
        | Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent),
    };
    match path {
        Path::Seq { index, .. } => out.push(Segment::Index(*index)),
        Path::Map { key, .. } => out.push(Segment::Key(key.clone())),
        _ => {}
    }
    out
}

/// The byte range of `key` in the table at `table`.
fn key_span(doc: &DeTable<'_>, table: &[Segment], key: &str) -> Option<Range<usize>> {
    let (k, _) = table_at(doc, table)?.get_key_value(key)?;
    Some(k.span())
}

/// The byte range of the value at `path` (a key path from the top).
pub fn value_span(doc: &DeTable<'_>, path: &[Segment]) -> Option<Range<usize>> {
    let (last, parents) = path.split_last()?;
    let Segment::Key(key) = last else {
        return None;
    };
    Some(table_at(doc, parents)?.get(key.as_str())?.span())
}

fn table_at<'a, 'i>(doc: &'a DeTable<'i>, path: &[Segment]) -> Option<&'a DeTable<'i>> {
    let mut value: Option<&DeValue<'i>> = None;
    let mut table = doc;
    for segment in path {
        let next = match (segment, value) {
            (Segment::Key(k), None) => table.get(k.as_str())?.get_ref(),
            (Segment::Index(i), Some(DeValue::Array(items))) => items.get(*i)?.get_ref(),
            _ => return None,
        };
        match next {
            DeValue::Table(t) => {
                table = t;
                value = None;
            }
            array @ DeValue::Array(_) => value = Some(array),
            _ => return None,
        }
    }
    value.is_none().then_some(table)
}

/// The field names of the struct that `T` reads at `path`; empty when that is not a struct.
///
/// A probe deserialiser follows the path through `T`'s own `Deserialize`: it
/// offers just the next key (or element) at each step, and at the end records
/// the `fields` that `deserialize_struct` is called with.
pub fn fields_at<T: DeserializeOwned>(path: &[Segment]) -> &'static [&'static str] {
    let found = Cell::new(None);
    let _ = T::deserialize(Probe {
        path,
        found: &found,
    });
    found.get().unwrap_or(&[])
}

type Fields = Option<&'static [&'static str]>;

struct Probe<'a> {
    path: &'a [Segment],
    found: &'a Cell<Fields>,
}

/// Ends the probe: the fields are found, or the path leads nowhere.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("probe stopped")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<E: fmt::Display>(_: E) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.path.split_first() {
            Some((Segment::Key(key), rest)) => visitor.visit_map(OneKey {
                key: Some(key),
                rest,
                found: self.found,
            }),
            Some((Segment::Index(_), rest)) => visitor.visit_seq(OneElement {
                rest: Some(rest),
                found: self.found,
            }),
            None => Err(Stop),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        if self.path.is_empty() {
            self.found.set(Some(fields));
            return Err(Stop);
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}

/// A table with only the key the path goes through.
struct OneKey<'a> {
    key: Option<&'a str>,
    rest: &'a [Segment],
    found: &'a Cell<Fields>,
}

impl<'de> de::MapAccess<'de> for OneKey<'_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        seed.deserialize(Probe {
            path: self.rest,
            found: self.found,
        })
    }
}

/// An array with only the element the path goes through.
struct OneElement<'a> {
    rest: Option<&'a [Segment]>,
    found: &'a Cell<Fields>,
}

impl<'de> de::SeqAccess<'de> for OneElement<'_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.rest.take() {
            Some(path) => seed
                .deserialize(Probe {
                    path,
                    found: self.found,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}
