//! Serde seeds that stream a data file's numbers straight into `Vec<f32>`.
//!
//! A generic `serde_json::Value` held every number as a 32-byte enum inside a tree of maps and
//! vectors, about 18x the file's size (4.5 GB for a file at the 256 MiB cap). Here each number is
//! kept as the `f32` (or index) the caller needs, and counted against a [`Budget`]: a file with
//! more numbers than its reader can use is refused when the first excess number is read, having
//! held at most the budget. Errors name the JSON path (`input_data[0][12]`); serde_json adds the
//! line and column.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How many numbers a reader keeps before it refuses the file, and why that many.
pub(crate) struct Budget {
    left: Cell<usize>,
    max: usize,
    why: String,
}

impl Budget {
    pub(crate) fn new(max: usize, why: String) -> Self {
        Self {
            left: Cell::new(max),
            max,
            why,
        }
    }

    fn take<E: de::Error>(&self, at: At<'_>, j: usize) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format_args!(
                "too many numbers: {at}[{j}] is past the {} this file may hold ({})",
                self.max, self.why
            ))),
        }
    }
}

/// Where a list sits: `name` or `name[outer]`. Formatted only when an error is reported.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub name: &'a str,
    pub outer: Option<usize>,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outer {
            Some(i) => write!(f, "{}[{i}]", self.name),
            None => f.write_str(self.name),
        }
    }
}

/// One finite `f32` at `at[j]`.
struct Num<'a> {
    at: At<'a>,
    j: usize,
}

impl<'de> DeserializeSeed<'de> for Num<'_> {
    type Value = f32;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<f32, D::Error> {
        // `deserialize_any` so that a string, list or `true` reaches the visitor and is named.
        d.deserialize_any(self)
    }
}

impl Num<'_> {
    fn finite<E: de::Error>(&self, v: f64) -> Result<f32, E> {
        let f = v as f32;
        if f.is_finite() {
            Ok(f)
        } else {
            Err(E::custom(format_args!(
                "{}[{}] = {v:e} is not a finite f32",
                self.at, self.j
            )))
        }
    }

    fn not_a_number<E: de::Error>(&self, found: &str) -> E {
        E::custom(format_args!(
            "{}[{}] is not a number: {found}",
            self.at, self.j
        ))
    }
}

impl<'de> Visitor<'de> for Num<'_> {
    type Value = f32;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a number at {}[{}]", self.at, self.j)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f32, E> {
        self.finite(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f32, E> {
        self.finite(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f32, E> {
        self.finite(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f32, E> {
        let shown: String = v.chars().take(40).collect();
        Err(self.not_a_number(&format!("the string {shown:?}")))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f32, E> {
        Err(self.not_a_number(&v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<f32, E> {
        Err(self.not_a_number("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<f32, A::Error> {
        Err(self.not_a_number("a list (one level of nesting too many)"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<f32, A::Error> {
        Err(self.not_a_number("an object"))
    }
}

/// A list of numbers at `at`.
pub(crate) struct Numbers<'a> {
    pub at: At<'a>,
    pub budget: &'a Budget,
}

impl<'de> DeserializeSeed<'de> for Numbers<'_> {
    type Value = Vec<f32>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<f32>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Numbers<'_> {
    type Value = Vec<f32>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of numbers at {}", self.at)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f32>, A::Error> {
        let mut out = Vec::new();
        let mut j = 0;
        while let Some(x) = seq.next_element_seed(Num { at: self.at, j })? {
            self.budget.take(self.at, j)?;
            out.push(x);
            j += 1;
        }
        Ok(out)
    }
}

/// A list of lists of numbers named `name`; `null` is `None` when `nullable`.
pub(crate) struct Lists<'a> {
    pub name: &'a str,
    pub budget: &'a Budget,
    pub nullable: bool,
}

impl<'de> DeserializeSeed<'de> for Lists<'_> {
    type Value = Option<Vec<Vec<f32>>>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lists<'_> {
    type Value = Option<Vec<Vec<f32>>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of lists of numbers at {}", self.name)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.nullable {
            Ok(None)
        } else {
            Err(E::invalid_type(de::Unexpected::Unit, &self))
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(l) = seq.next_element_seed(Numbers {
            at: At {
                name: self.name,
                outer: Some(i),
            },
            budget: self.budget,
        })? {
            out.push(l);
            i += 1;
        }
        Ok(Some(out))
    }
}

/// A list of non-negative integers (a shape, class labels); `what` names one entry's role.
pub(crate) struct Indices<'a> {
    pub name: &'a str,
    pub what: &'a str,
    pub budget: &'a Budget,
}

impl<'de> DeserializeSeed<'de> for Indices<'_> {
    type Value = Vec<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<usize>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Indices<'_> {
    type Value = Vec<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of non-negative integers at {}", self.name)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<usize>, A::Error> {
        let at = At {
            name: self.name,
            outer: None,
        };
        let mut out = Vec::new();
        while let Some(x) = seq.next_element_seed(Index {
            name: self.name,
            what: self.what,
            j: out.len(),
        })? {
            self.budget.take(at, out.len())?;
            out.push(x);
        }
        Ok(out)
    }
}

/// One entry of [`Indices`].
struct Index<'a> {
    name: &'a str,
    what: &'a str,
    j: usize,
}

impl Index<'_> {
    fn refuse<E: de::Error>(&self, found: impl fmt::Display) -> E {
        E::custom(format_args!(
            "{}[{}] = {found} is not {}",
            self.name, self.j, self.what
        ))
    }
}

impl<'de> DeserializeSeed<'de> for Index<'_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Index<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}[{}]", self.what, self.name, self.j)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        usize::try_from(v).map_err(|_| self.refuse(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
        usize::try_from(v).map_err(|_| self.refuse(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<usize, E> {
        Err(self.refuse(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        let shown: String = v.chars().take(40).collect();
        Err(self.refuse(format_args!("the string {shown:?}")))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<usize, E> {
        Err(self.refuse(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Err(self.refuse("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<usize, A::Error> {
        Err(self.refuse("a list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<usize, A::Error> {
        Err(self.refuse("an object"))
    }
}

/// A map key, as the index of the name it matches in `names` (`None`: a key to skip).
pub(crate) struct Key(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|n| *n == v))
    }
}

/// Skips a value without keeping it (no allocation beyond serde_json's string scratch).
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Stores a field once; a second occurrence is an error naming it.
pub(crate) fn once<T, E: de::Error>(
    slot: &mut Option<T>,
    name: &'static str,
    v: T,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(v);
    Ok(())
}
